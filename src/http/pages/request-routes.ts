// Data subject requests, the shopper's pages: the request form, the status page (reached by its
// unguessable token, never by email) with the code form, and the export (summary, JSON, CSV).

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { statusOf } from '../../app/error-registry.js';
import { type ExportDocument, JURISDICTIONS, REQUEST_TYPES } from '../../modules/rights/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { formToken } from '../access.js';
import { type FormPage, formRefusalOf } from '../form-issues.js';
import { pageLocale, refusalOf, sendDownload, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { addressPartsBody, correctionValueOf } from './address-parts.js';
import { type FormState, formStateOf } from './form-state.js';
import { REQUEST_WORDS, STATUS_MESSAGE_KINDS, STATUS_MESSAGES, type StatusMessage } from './i18n/requests.js';
import { optionalHint, refuseControlCharacters } from './optional-query.js';
import { plainData, plainDataCsv } from './plain-data.js';
import {
  CONFIRMED_TYPES,
  REQUEST_FIELDS,
  renderExportSummary,
  renderLinkError,
  renderRequestForm,
  renderRequestReview,
  renderRequestStatus,
} from './requests.js';
import { viewerOf } from './shopper-layout.js';

const token = line().min(20).max(100);
/** Checked in the handler: a mistyped address comes back in the form, with what was typed. */
const email = line().max(254);
const isEmail = (s: string) => z.email().safeParse(s.trim()).success;

const formBody = z.object({
  _csrf: line().optional(),
  type: z.enum(REQUEST_TYPES),
  jurisdiction: z.enum(JURISDICTIONS),
  email,
  name: line().max(200).optional(),
  correction_category: line().max(128).optional(),
  correction_value: line().max(2000).optional(),
  ...addressPartsBody,
  details: prose().max(4000).optional(),
  /** A request that changes something is shown for confirmation first; "yes" sends it. */
  confirm: z.literal('yes').optional(),
});

/** Where a mistake of the rights module's correction shows on the form. */
const CORRECTION_AT: Readonly<Record<string, string>> = {
  'correction.category': 'correction_category',
  'correction.value': 'correction_value',
};

export const requestPageRoutes: RouteModule = (app, ctx, services) => {
  const rights = services.rights;
  /** The form again, with what was typed and each mistake at its field. */
  const formAgain = (req: FastifyRequest, reply: FastifyReply, state: FormState, status = 400) =>
    sendHtml(
      reply,
      renderRequestForm(ctx.policy, formToken(ctx, '/privacy/request'), viewerOf(req), state),
      status,
    );
  /**
   * A refused post on a request's status page goes back to it (`query`: what it then says); a link
   * that is not one keeps the error page.
   */
  const backToStatus =
    (query: string): FormPage =>
    (req, reply, refusal) => {
      const t = (req.params as { token?: unknown }).token;
      if (typeof t !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(t)) throw refusal.error;
      return reply.code(303).header('location', `/privacy/request/status/${t}${query}`).send();
    };
  const formPage: FormPage = (req, reply, refusal) =>
    formAgain(
      req,
      reply,
      formStateOf(refusal, pageLocale(req), REQUEST_FIELDS, (path) => CORRECTION_AT[path]),
      refusal.status,
    );

  app.get(
    '/privacy/request',
    {
      config: { access: 'public' },
      schema: { tags: ['pages'], summary: 'The privacy request form', hide: true },
    },
    async (req, reply) =>
      sendHtml(reply, renderRequestForm(ctx.policy, formToken(ctx, '/privacy/request'), viewerOf(req))),
  );

  app.post(
    '/privacy/request',
    {
      config: { access: 'public', csrf: 'form', mailsTo: 'email', formPage },
      schema: { tags: ['pages'], summary: 'The privacy request form, posted', hide: true, body: formBody },
    },
    async (req, reply) => {
      const typedIn = { ...req.body, email: req.body.email.trim() };
      const mistakes = REQUEST_WORDS[pageLocale(req)].mistakes;
      const mistake = (field: string, text: string) =>
        formAgain(req, reply, { values: typedIn, errors: { [field]: text } });
      if (!isEmail(typedIn.email)) return mistake('email', mistakes.email);
      // A postal address given in its parts is the correction's value (as JSON).
      const valued = correctionValueOf(
        typedIn.type === 'correction' ? typedIn.correction_category : undefined,
        typedIn.correction_value,
        typedIn,
        pageLocale(req),
      );
      if ('mistake' in valued) return mistake(valued.field, valued.mistake);
      const b = { ...typedIn, correction_value: valued.value };
      if (b.type === 'correction' && !b.correction_category)
        return mistake('correction_category', mistakes.correction);
      if (b.type === 'correction' && !b.correction_value)
        return mistake('correction_value', mistakes.correction);
      // Named before the confirmation step, not refused after it.
      if (b.type === 'correction' && !ctx.policy.isCorrectable(b.correction_category ?? ''))
        return mistake('correction_category', mistakes.notCorrectable);
      if (CONFIRMED_TYPES.has(b.type) && b.confirm !== 'yes')
        return sendHtml(
          reply,
          renderRequestReview(
            ctx.policy,
            formToken(ctx, '/privacy/request'),
            {
              type: b.type,
              jurisdiction: b.jurisdiction,
              email: b.email,
              name: b.name || undefined,
              correction_category: b.correction_category || undefined,
              correction_value: b.correction_value || undefined,
              details: b.details || undefined,
            },
            viewerOf(req),
          ),
        );
      const correction =
        b.type === 'correction' && b.correction_category && b.correction_value
          ? { category: b.correction_category, value: b.correction_value }
          : undefined;
      try {
        const r = await rights.submit(
          {
            type: b.type,
            jurisdiction: b.jurisdiction,
            email: b.email,
            name: b.name || undefined,
            details: b.details || undefined,
            correction,
          },
          { channel: 'web', locale: pageLocale(req) },
        );
        return reply.code(303).header('location', `/privacy/request/status/${r.statusToken}`).send();
      } catch (err) {
        return formPage(req, reply, formRefusalOf(err, req.body));
      }
    },
  );

  app.get(
    '/privacy/request/status/:token',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['pages'],
        summary: 'The status page of a request',
        hide: true,
        params: z.strictObject({ token }),
        querystring: z.object({ m: optionalHint(z.enum(STATUS_MESSAGES)) }),
      },
    },
    async (req, reply) => {
      try {
        const v = await rights.statusByToken(req.params.token);
        const m = req.query.m;
        const said = REQUEST_WORDS[pageLocale(req)].messages;
        const message = m ? { kind: STATUS_MESSAGE_KINDS[m], text: said[m] } : undefined;
        return sendHtml(
          reply,
          renderRequestStatus(
            ctx.policy,
            v,
            req.params.token,
            formToken(ctx, '/privacy/request/status/:token'),
            message,
            {
              offer: await rights.appealOffer(req.params.token),
              csrf: formToken(ctx, '/privacy/request/status/:token/appeal'),
            },
            viewerOf(req),
            formToken(ctx, '/privacy/request/status/:token/resend'),
          ),
        );
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_REQUEST_NOT_FOUND')
          return sendHtml(reply, renderLinkError(ctx.policy, 'requestNotFound', viewerOf(req)), 404);
        throw err;
      }
    },
  );

  app.post(
    '/privacy/request/status/:token',
    {
      config: {
        access: 'public',
        csrf: 'form',
        // A code no email holds (too long, a stray character) is a wrong code, said on the status
        // page; a link that is not one keeps the error page.
        formPage: backToStatus('?m=invalid'),
      },
      schema: {
        tags: ['pages'],
        summary: 'The code form of a request',
        hide: true,
        params: z.strictObject({ token }),
        body: z.object({ _csrf: line().optional(), code: line().max(20) }),
      },
    },
    async (req, reply) => {
      const t = req.params.token;
      let outcome: 'ok' | 'invalid' | 'locked' | 'wait';
      try {
        await rights.verifyCode(t, req.body.code, req.ip);
        outcome = 'ok';
      } catch (err) {
        const { error } = refusalOf(err);
        if (error.code === 'VOW_REQUEST_NOT_FOUND')
          return sendHtml(reply, renderLinkError(ctx.policy, 'requestNotFound', viewerOf(req)), 404);
        outcome =
          error.code === 'VOW_VERIFICATION_LOCKED'
            ? 'locked'
            : error.code === 'VOW_LOCKED_OUT'
              ? 'wait'
              : 'invalid';
      }
      // Post/redirect/get: reloading the status page never sends the code again.
      return reply.code(303).header('location', `/privacy/request/status/${t}?m=${outcome}`).send();
    },
  );

  app.post(
    '/privacy/request/status/:token/resend',
    {
      config: {
        access: 'public',
        csrf: 'form',
        // A link that is not one keeps the error page; any other refusal is said on the status page.
        formPage: backToStatus(''),
      },
      schema: {
        tags: ['pages'],
        summary: 'The new-code form of a request (to the address given with it)',
        hide: true,
        params: z.strictObject({ token }),
        body: z.object({ _csrf: line().optional() }),
      },
    },
    async (req, reply) => {
      const t = req.params.token;
      let outcome: StatusMessage | undefined;
      try {
        await rights.resendCode(t);
        outcome = 'resent';
      } catch (err) {
        const { error } = refusalOf(err);
        if (error.code === 'VOW_REQUEST_NOT_FOUND')
          return sendHtml(reply, renderLinkError(ctx.policy, 'requestNotFound', viewerOf(req)), 404);
        const details = (error.details ?? {}) as { reason?: string; status?: string };
        if (error.code === 'VOW_RATE_LIMITED')
          outcome = details.reason === 'gap' ? 'soon' : details.reason === 'daily' ? 'daily' : 'mailbox';
        // Verified meanwhile (or answered): the status page says where the request is.
        else if (error.code === 'VOW_REQUEST_STATE') outcome = details.status ? undefined : 'nocode';
        else throw err;
      }
      // Post/redirect/get: reloading the status page never sends another code.
      return reply
        .code(303)
        .header('location', `/privacy/request/status/${t}${outcome ? `?m=${outcome}` : ''}`)
        .send();
    },
  );

  const exportErrors = async (
    req: FastifyRequest,
    reply: FastifyReply,
    work: () => Promise<FastifyReply>,
  ) => {
    try {
      return await work();
    } catch (err) {
      if (isVowError(err) && (err.code === 'VOW_EXPORT_EXPIRED' || err.code === 'VOW_REQUEST_NOT_FOUND'))
        return sendHtml(
          reply,
          renderLinkError(ctx.policy, 'exportExpired', viewerOf(req)),
          statusOf(err.code),
        );
      throw err;
    }
  };

  app.get(
    '/privacy/request/export/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['pages'],
        summary: 'The readable summary of an export (7-day link)',
        hide: true,
        params: z.strictObject({ token }),
      },
    },
    async (req, reply) =>
      exportErrors(req, reply, async () =>
        sendHtml(
          reply,
          renderExportSummary(
            ctx.policy,
            await rights.openExport(req.params.token),
            req.params.token,
            viewerOf(req),
          ),
        ),
      ),
  );

  /** A download of the export (7-day link): its media type, file name and body, from the opened export. */
  const download = (
    path: string,
    summary: string,
    params: z.ZodObject<{ token: typeof token } & Record<string, z.ZodType<string>>>,
    file: (
      doc: ExportDocument,
      req: FastifyRequest<{ Params: { token: string; table?: string } }>,
    ) => { type: string; name: string; body: string },
  ) =>
    app.get(
      path,
      { config: { access: 'public' }, schema: { tags: ['rights'], summary, params } },
      async (req, reply) =>
        exportErrors(req, reply, async () => {
          const r = req as unknown as FastifyRequest<{ Params: { token: string; table?: string } }>;
          return sendDownload(reply, file(await rights.openExport(r.params.token), r));
        }),
    );
  const JSON_TYPE = 'application/json; charset=utf-8';
  const CSV_TYPE = 'text/csv; charset=utf-8';
  const readable = (doc: ExportDocument, req: FastifyRequest) =>
    plainData(ctx.policy, doc.values, doc.request.generatedAt, {}, pageLocale(req));

  // The export in plain words (what the summary page shows), as JSON and as one CSV file.
  download(
    '/privacy/request/export/:token/readable.json',
    'The export in plain words, as JSON (7-day link)',
    z.strictObject({ token }),
    (doc, req) => ({
      type: JSON_TYPE,
      name: 'my-data.json',
      body: JSON.stringify(readable(doc, req), null, 2),
    }),
  );
  download(
    '/privacy/request/export/:token/readable.csv',
    'The export in plain words, as one CSV file (7-day link)',
    z.strictObject({ token }),
    (doc, req) => ({
      type: CSV_TYPE,
      name: 'my-data.csv',
      body: plainDataCsv(readable(doc, req), pageLocale(req)),
    }),
  );
  // The export as stored: every value with its source, and one CSV per table.
  download(
    '/privacy/request/export/:token/data.json',
    'The export as JSON (7-day link)',
    z.strictObject({ token }),
    (doc) => ({ type: JSON_TYPE, name: 'my-data.json', body: JSON.stringify(doc, null, 2) }),
  );
  download(
    '/privacy/request/export/:token/csv/:table',
    'One table of the export as CSV (7-day link)',
    z.strictObject({ token, table: line().min(1).max(200) }),
    (doc, req) => {
      const table = req.params.table ?? '';
      // Own keys only: `constructor` or `__proto__` is no table (it answered 500).
      const csv = Object.hasOwn(doc.csv, table) ? doc.csv[table] : undefined;
      if (csv === undefined) throw new VowError('VOW_NOT_FOUND', 'No such table in this export');
      return { type: CSV_TYPE, name: `${table.replace(/[^a-z0-9_.-]/gi, '_')}.csv`, body: csv };
    },
  );
};
