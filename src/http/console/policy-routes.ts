// The console's policy page (administrators and the privacy officer): the policy in force, and the
// check of a policy file uploaded or pasted, which stores nothing and changes nothing; the check is
// audited (who checked, whether the file was valid, how many warnings it gave), never the file.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { comparePolicies, parsePolicy } from '../../modules/policy/index.js';
import { unpromisedWarnings } from '../../modules/promises/index.js';
import { consoleFrame, csrfBodyField, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { readMultipart } from './multipart.js';
import { POLICY_CHECK_MAX_BYTES, type PolicyCheckOutcome, renderPolicyPage } from './policy.js';

/**
 * The form's fields: the pasted text (`yaml`) and the uploaded file (`file`, with its `file_name`).
 * Their size is checked by the handler, which names the limit.
 */
const checkBody = z.strictObject({
  ...csrfBodyField,
  yaml: z.string().optional(),
  file: z.string().optional(),
  file_name: z.string().max(1000).optional(),
});

/** The uploaded file's own name, without any folder, as the problems name it. */
function fileNameOf(given: string | undefined): string {
  const base = (given ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\w.\- ]/g, '').slice(0, 100);
  return clean || 'uploaded.yaml';
}

export const policyConsoleRoutes: RouteModule = (app, ctx) => {
  const file = ctx.config.policyPath;
  // A form body encodes the file's text: up to three bytes for one, plus the other fields.
  const bodyLimit = Math.max(ctx.config.bodyLimit, 4 * POLICY_CHECK_MAX_BYTES);
  const actor = (req: FastifyRequest) => ({ type: 'staff' as const, id: staffIdOf(req) });

  app.get(
    '/staff/policy',
    { config: { access: 'staff:admin' }, schema: { hide: true, querystring: z.strictObject({}) } },
    async (req, reply) => sendHtml(reply, renderPolicyPage(consoleFrame(ctx, req), { file })),
  );

  const check = async (req: FastifyRequest, reply: FastifyReply, body: z.infer<typeof checkBody>) => {
    const frame = consoleFrame(ctx, req);
    const uploaded = body.file !== undefined && body.file.length > 0;
    const source = uploaded ? (body.file ?? '') : (body.yaml ?? '');
    const name = uploaded ? fileNameOf(body.file_name) : 'pasted.yaml';
    const bytes = Buffer.byteLength(source, 'utf8');
    const via = uploaded ? 'upload' : 'paste';
    /** The page again, saying why nothing was checked. */
    const notChecked = (text: string, code: string, status: number) =>
      sendHtml(reply, renderPolicyPage(frame, { file, message: { ok: false, text, code } }), status);
    if (source.trim() === '')
      return notChecked('Not checked: choose a policy file or paste its text.', 'VOW_VALIDATION', 400);
    if (bytes > POLICY_CHECK_MAX_BYTES) {
      await ctx.audit.record({
        actor: actor(req),
        action: 'policy.checked',
        details: { via, bytes, refused: 'VOW_BODY_TOO_LARGE' },
      });
      return notChecked(
        `Not checked: ${name} is ${Math.ceil(bytes / 1024)} KiB, and a policy file checked here can be at most ${POLICY_CHECK_MAX_BYTES / 1024} KiB. Check a larger file on the server with npx vow policy check FILE.`,
        'VOW_BODY_TOO_LARGE',
        413,
      );
    }
    const parsed = parsePolicy(source);
    let outcome: PolicyCheckOutcome;
    if (parsed.ok) {
      const comparison = comparePolicies(ctx.policy, parsed.policy);
      outcome = {
        name,
        ok: true,
        policy: parsed.policy,
        comparison,
        warnings: unpromisedWarnings(parsed.policy),
      };
      await ctx.audit.record({
        actor: actor(req),
        action: 'policy.checked',
        details: {
          via,
          bytes,
          valid: true,
          version: parsed.policy.version,
          same: comparison.same,
          consentChanged: comparison.consentVersion.changed,
          warnings: outcome.warnings.length,
        },
      });
    } else {
      outcome = { name, ok: false, problems: parsed.problems };
      await ctx.audit.record({
        actor: actor(req),
        action: 'policy.checked',
        details: { via, bytes, valid: false, problems: parsed.problems.length },
      });
    }
    return sendHtml(
      reply,
      renderPolicyPage(frame, { file, outcome, ...(uploaded ? {} : { pasted: source }) }),
    );
  };

  // The form posts multipart/form-data (a file input). Each route file is registered in its own
  // scope (src/http/app.ts), so this parser reads this file's routes only.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    try {
      done(null, readMultipart(body as Buffer, req.headers['content-type'] ?? ''));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.post(
    '/staff/policy/check',
    { bodyLimit, config: { access: 'staff:admin' }, schema: { hide: true, body: checkBody } },
    async (req, reply) => check(req, reply, req.body),
  );
};
