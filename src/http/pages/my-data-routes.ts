// "My data" (P15), the signed-in shopper's page: everything held about them in plain words, its
// downloads, and correction or deletion requests from it (a browser's form is first shown what
// happens and what is kept; JSON API clients are not asked). A request refused for what it holds
// comes back as the form, filled in, each mistake at its field.

import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { csrfToken } from '../access.js';
import { myDataOf, shopperOf } from '../account-data.js';
import { type FormPage, formRefusalOf } from '../form-issues.js';
import { csrfBodyField, isForm, pageLocale, sendDownload, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { MY_DATA_FIELDS, myDataDocument, renderMyDataPage, renderRequestConfirmPage } from './account.js';
import { addressPartsBody, correctionValueOf } from './address-parts.js';
import { formStateOf } from './form-state.js';
import { ACCOUNT_WORDS } from './i18n/account.js';
import { optionalHint, refuseControlCharacters } from './optional-query.js';
import { plainDataCsv } from './plain-data.js';
import { viewerOf } from './shopper-layout.js';

/** Where a mistake of the rights module's correction shows on the form. */
const CORRECTION_AT: Readonly<Record<string, string>> = {
  'correction.category': 'category',
  'correction.value': 'value',
};

export const myDataPageRoutes: RouteModule = (app, ctx, services) => {
  const { accounts } = services.identity;
  const words = (req: Parameters<typeof viewerOf>[0]) => ACCOUNT_WORDS[pageLocale(req)];

  /** The "my data" page for this shopper, with a message, a sent request or a form sent back. */
  const sendMyData = async (
    req: Parameters<typeof myDataOf>[2],
    reply: FastifyReply,
    o: Parameters<typeof renderMyDataPage>[3],
    status?: number,
  ) =>
    sendHtml(
      reply,
      renderMyDataPage(
        ctx.policy,
        csrfToken(req) ?? '',
        await myDataOf(ctx, services, req),
        o,
        viewerOf(req),
      ),
      status,
    );

  app.get(
    '/account/my-data',
    {
      config: { access: 'shopper' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['accounts'],
        summary: '"My data" page (HTML): every value held about the account holder, in plain words',
        querystring: z.object({
          sent: optionalHint(z.enum(['correction', 'deletion'])),
          due: optionalHint(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
        }),
      },
    },
    async (req, reply) => sendMyData(req, reply, req.query),
  );

  /** The plain-language document of "my data" (the page's content), for the downloads. */
  const plainMyData = async (req: Parameters<typeof myDataOf>[2]) => {
    const view = await myDataOf(ctx, services, req);
    return myDataDocument(ctx.policy, view, pageLocale(req));
  };

  app.get(
    '/account/my-data/download',
    {
      config: { access: 'shopper' },
      schema: { tags: ['accounts'], summary: 'Download "my data" as a JSON file, in plain words' },
    },
    async (req, reply) =>
      sendDownload(reply, {
        type: 'application/json; charset=utf-8',
        name: 'my-data.json',
        body: JSON.stringify(await plainMyData(req), null, 2),
      }),
  );

  app.get(
    '/account/my-data/download.csv',
    {
      config: { access: 'shopper' },
      schema: { tags: ['accounts'], summary: 'Download "my data" as a CSV file (one line per piece)' },
    },
    async (req, reply) =>
      sendDownload(reply, {
        type: 'text/csv; charset=utf-8',
        name: 'my-data.csv',
        body: plainDataCsv(await plainMyData(req), pageLocale(req)),
      }),
  );

  /** My data with its request form sent back: what was chosen and typed, each mistake at its field. */
  const formPage: FormPage = (req, reply, refusal) =>
    sendMyData(
      req,
      reply,
      { form: formStateOf(refusal, pageLocale(req), MY_DATA_FIELDS, (path) => CORRECTION_AT[path]) },
      refusal.status,
    );

  app.post(
    '/account/requests',
    {
      config: { access: 'shopper', formPage },
      schema: {
        tags: ['accounts'],
        summary:
          'Start a correction or deletion request as the logged-in account holder (verified by the session)',
        body: z.strictObject({
          type: z.enum(['correction', 'deletion']),
          jurisdiction: z
            .union([z.enum(JURISDICTIONS), z.literal('')])
            .optional()
            .describe('Where the person lives; empty or absent: from the address on file, else `other`'),
          category: line().max(128).optional(),
          value: line().max(1000).optional(),
          ...addressPartsBody,
          details: prose().max(1000).optional(),
          /** A browser's form is first shown what happens and what is kept; "yes" sends it. */
          confirm: z.literal('yes').optional(),
          ...csrfBodyField,
        }),
        response: { 202: z.object({ status: z.string(), requestId: z.string(), dueOn: z.string() }) },
      },
    },
    async (req, reply) => {
      const p = shopperOf(req);
      const view = await accounts.view(p.accountId);
      if (!view?.subjectId && isForm(req))
        return sendMyData(req, reply, { error: words(req).confirmFirst }, 403);
      if (!view?.subjectId)
        throw new VowError(
          'VOW_FORBIDDEN',
          'Confirm your email address first: we hold nothing else under it yet',
        );
      // A postal address given in its parts is the correction's value (as JSON).
      const valued = correctionValueOf(
        req.body.type === 'correction' ? req.body.category : undefined,
        req.body.value,
        req.body,
        pageLocale(req),
      );
      if ('mistake' in valued) {
        if (!isForm(req))
          throw new VowError('VOW_VALIDATION', valued.mistake, {
            issues: [{ path: `/${valued.field}`, message: valued.mistake }],
          });
        return sendMyData(
          req,
          reply,
          { form: { values: req.body, errors: { [valued.field]: valued.mistake } } },
          400,
        );
      }
      const b = { ...req.body, value: valued.value };
      // A correction needs what to correct and its value: the form comes back filled in, before
      // any confirmation step (which would otherwise promise to correct "the information you named").
      if (isForm(req) && b.type === 'correction' && !(b.category && b.value)) {
        const field = b.category ? 'value' : 'category';
        const form = { values: req.body, errors: { [field]: words(req).correctionNeeds } };
        return sendMyData(req, reply, { form }, 400);
      }
      // Named before the confirmation step, not refused after it.
      if (isForm(req) && b.type === 'correction' && !ctx.policy.isCorrectable(b.category ?? '')) {
        const form = { values: req.body, errors: { category: words(req).notCorrectable } };
        return sendMyData(req, reply, { form }, 400);
      }
      if (isForm(req) && b.confirm !== 'yes')
        return sendHtml(
          reply,
          renderRequestConfirmPage(
            ctx.policy,
            csrfToken(req) ?? '',
            {
              type: b.type,
              jurisdiction: b.jurisdiction ?? '',
              category: b.category || undefined,
              value: b.value || undefined,
              details: b.details || undefined,
            },
            await myDataOf(ctx, services, req),
            viewerOf(req),
          ),
        );
      const { jurisdiction } = await services.rights.resolveJurisdiction(
        b.jurisdiction || undefined,
        view.subjectId,
      );
      const correction =
        b.type === 'correction' && b.category && b.value
          ? { category: b.category, value: b.value }
          : undefined;
      let out: Awaited<ReturnType<typeof services.rights.submit>>;
      try {
        out = await services.rights.submit(
          {
            type: b.type,
            jurisdiction,
            ...(correction ? { correction } : {}),
            ...(b.details ? { details: b.details } : {}),
          },
          {
            channel: 'account',
            locale: pageLocale(req),
            sessionSubjectId: view.subjectId,
            // The answer goes to the account's confirmed email.
            replyTo: view.emailVerifiedAt ? (view.email ?? undefined) : undefined,
          },
        );
      } catch (err) {
        if (!isForm(req)) throw err;
        return formPage(req, reply, formRefusalOf(err, req.body));
      }
      // Post/redirect/get: reloading My data never sends the request again.
      if (isForm(req)) return reply.redirect(`/account/my-data?sent=${b.type}&due=${out.dueOn}`, 303);
      return reply.code(202).send({ status: out.status, requestId: out.requestId, dueOn: out.dueOn });
    },
  );
};
