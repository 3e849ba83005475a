// The policy in force: the notice page, the machine-readable policy, and the web shell's assets.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { renderPrivacyPage } from '../pages/privacy.js';
import type { RouteModule } from '../route-module.js';

const ASSETS: Record<string, { file: URL; type: string }> = {
  'vow.css': { file: new URL('../../web/assets/vow.css', import.meta.url), type: 'text/css; charset=utf-8' },
};

export const policyRoutes: RouteModule = (app, ctx) => {
  let privacyHtml: string | undefined;
  app.get(
    '/privacy',
    {
      config: { access: 'public' },
      schema: { tags: ['policy'], summary: 'The privacy notice (HTML), rendered from the policy in force' },
    },
    async (_req, reply) => {
      privacyHtml ??= renderPrivacyPage(ctx.policy, { consentScript: '/consent.js' });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(privacyHtml);
    },
  );

  app.get(
    '/v1/policy',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policy'],
        summary: 'The policy in force, as data',
        response: {
          200: z.object({
            version: z.string(),
            consentVersion: z.string(),
            effectiveDate: z.string(),
            policy: z.record(z.string(), z.unknown()),
          }),
        },
      },
    },
    async () => ({
      version: ctx.policy.version,
      consentVersion: ctx.policy.consentVersion,
      effectiveDate: ctx.policy.effectiveDate,
      policy: ctx.policy.doc as unknown as Record<string, unknown>,
    }),
  );

  app.get(
    '/assets/:file',
    {
      config: { access: 'public' },
      schema: { hide: true, params: z.object({ file: z.string() }) },
    },
    async (req, reply) => {
      const asset = ASSETS[req.params.file];
      if (!asset) throw new VowError('VOW_NOT_FOUND', 'No such asset');
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=3600')
        .send(await readFile(asset.file));
    },
  );
};
