// Shopper accounts, the pages (P15): register, confirm the email, log in and out, reset and change
// the password, "my data" with its download, and correction or deletion requests from it. The
// forms accept JSON too (API clients) and answer in kind.

import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../modules/identity/index.js';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { parseSecret } from '../../platform/crypto/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { csrfToken, formToken } from '../access.js';
import { myDataOf, shopperOf, subjectFinder } from '../account-data.js';
import {
  answerFormRefusal,
  csrfBodyField,
  isForm,
  pageLocale,
  sendHtml,
  sessionCookieOptions,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import {
  myDataDocument,
  renderConfirmPage,
  renderLoginPage,
  renderMessagePage,
  renderMyDataPage,
  renderRegisterPage,
  renderRequestConfirmPage,
  renderResetPage,
  renderResetRequestPage,
} from './account.js';
import { ACCOUNT_WORDS } from './i18n/account.js';
import { plainDataCsv } from './plain-data.js';
import { viewerOf } from './shopper-layout.js';

const email = line()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
const password = line().min(1).max(256);
/** The token of an emailed link (confirm the address, reset the password). */
const linkToken = line().max(80);
const okSchema = z.object({ status: z.string() });

export const accountPageRoutes: RouteModule = (app, ctx, services) => {
  const { accounts } = services.identity;
  const link = (path: string) => `${ctx.config.publicUrl}${path}`;
  const words = (req: Parameters<typeof viewerOf>[0]) => ACCOUNT_WORDS[pageLocale(req)];
  /** A message page after an account step, in the visitor's language. */
  const message = (
    req: Parameters<typeof viewerOf>[0],
    key: keyof (typeof ACCOUNT_WORDS)['en-US']['messages'],
  ) => {
    const m = words(req).messages[key];
    return renderMessagePage(ctx.policy, m.title, m.text, viewerOf(req));
  };
  // The pages with a form, each with the anti-forgery token of the route it posts to.
  type Req = Parameters<typeof viewerOf>[0];
  const loginPage = (req: Req, error?: string, email?: string) =>
    renderLoginPage(ctx.policy, formToken(ctx, '/login'), error, viewerOf(req), email);
  const registerPage = (req: Req, error?: string, email?: string) =>
    renderRegisterPage(ctx.policy, formToken(ctx, '/account/register'), error, viewerOf(req), email);
  const confirmPage = (req: Req, token: string, error?: string) =>
    renderConfirmPage(ctx.policy, formToken(ctx, '/account/verify'), token, error, viewerOf(req));
  const resetPage = (req: Req, token: string, error?: string) =>
    renderResetPage(ctx.policy, formToken(ctx, '/account/reset'), token, error, viewerOf(req));

  // Someone already signed in is sent to their data, not asked to log in again.
  app.get('/login', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    viewerOf(req).signedIn ? reply.redirect('/account/my-data', 303) : sendHtml(reply, loginPage(req)),
  );

  app.post(
    '/login',
    {
      config: { access: 'public', csrf: 'form', limit: 'login' },
      schema: {
        tags: ['accounts'],
        summary: 'Log in a shopper with email and password (sets the session cookie)',
        body: z.strictObject({ email, password, ...csrfBodyField }),
        response: { 200: z.object({ accountId: z.string() }) },
      },
    },
    async (req, reply) => {
      try {
        const out = await accounts.login(req.body.email, req.body.password, req.ip);
        void reply.setCookie(
          SESSION_COOKIE.shopper,
          out.token,
          sessionCookieOptions(ctx, SESSION_TTL_MS.shopper),
        );
        if (isForm(req)) return reply.redirect('/account/my-data', 303);
        return { accountId: out.accountId };
      } catch (err) {
        return answerFormRefusal(req, reply, err, (text) => loginPage(req, text, req.body.email));
      }
    },
  );

  app.get('/account/register', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    sendHtml(reply, registerPage(req)),
  );

  app.post(
    '/account/register',
    {
      config: { access: 'public', csrf: 'form', limit: 'request', mailsTo: 'email' },
      schema: {
        tags: ['accounts'],
        summary:
          'Create a shopper account; a confirmation link is emailed (the answer is the same if one exists)',
        body: z.strictObject({ email, password, ...csrfBodyField }),
        response: { 202: okSchema },
      },
    },
    async (req, reply) => {
      try {
        const out = await accounts.register(req.body.email, req.body.password);
        if (out.existing) {
          await services.mail.enqueue({
            to: req.body.email.trim(),
            ...words(req).mailExists(link('/account/reset-request')),
            kind: 'account.exists',
          });
        } else {
          const token = await accounts.issueToken(out.accountId, 'verify_email');
          await services.mail.enqueue({
            to: req.body.email.trim(),
            ...words(req).mailVerify(link(`/account/verify/${token}`)),
            kind: 'account.verify',
          });
        }
        if (isForm(req)) return sendHtml(reply, message(req, 'checkEmailConfirm'), 202);
        return reply.code(202).send({ status: 'check-email' });
      } catch (err) {
        return answerFormRefusal(req, reply, err, (text) => registerPage(req, text, req.body.email));
      }
    },
  );

  // The link shows a form: confirming needs the account's password too (pre-account takeover).
  app.get(
    '/account/verify/:token',
    {
      config: { access: 'public', limit: 'code' },
      schema: {
        tags: ['accounts'],
        summary: 'The page of the confirmation link: asks for the password chosen at registration',
        params: z.object({ token: linkToken }),
      },
    },
    async (req, reply) =>
      (await accounts.tokenUsable(req.params.token, 'verify_email'))
        ? sendHtml(reply, confirmPage(req, req.params.token))
        : sendHtml(reply, message(req, 'linkUnknown'), 400),
  );

  app.post(
    '/account/verify',
    {
      config: { access: 'public', csrf: 'form', limit: 'code' },
      schema: {
        tags: ['accounts'],
        summary:
          'Confirm the email address of an account with the emailed link token and the password chosen at registration; every other session of the account ends',
        body: z.strictObject({ token: linkToken, password, ...csrfBodyField }),
        response: { 200: okSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      try {
        await accounts.verifyEmail(req.body.token, req.body.password, subjectFinder(services), {
          from: req.ip,
          keepSession: p?.kind === 'shopper' ? p.sessionId : undefined,
        });
        if (isForm(req)) return sendHtml(reply, message(req, 'emailConfirmed'));
        return { status: 'email-confirmed' };
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_TOKEN_INVALID' && isForm(req))
          return sendHtml(reply, message(req, 'linkNotValid'), 400);
        return answerFormRefusal(req, reply, err, (text) => confirmPage(req, req.body.token, text));
      }
    },
  );

  app.post(
    '/account/logout',
    {
      config: { access: 'shopper' },
      schema: {
        tags: ['accounts'],
        summary: 'End this session',
        body: z.strictObject({ ...csrfBodyField }).nullish(),
        response: { 200: okSchema },
      },
    },
    async (req, reply) => {
      await accounts.logout(shopperOf(req).sessionId);
      void reply.clearCookie(SESSION_COOKIE.shopper, { path: '/' });
      if (isForm(req)) return reply.redirect('/login', 303);
      return { status: 'logged-out' };
    },
  );

  app.get(
    '/account/reset-request',
    { config: { access: 'public' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(
        reply,
        renderResetRequestPage(ctx.policy, formToken(ctx, '/account/reset-request'), viewerOf(req)),
      ),
  );

  app.post(
    '/account/reset-request',
    {
      config: { access: 'public', csrf: 'form', limit: 'request', mailsTo: 'email' },
      schema: {
        tags: ['accounts'],
        summary:
          'Email a single-use password reset link (the answer is the same whether or not an account exists)',
        body: z.strictObject({ email, ...csrfBodyField }),
        response: { 202: okSchema },
      },
    },
    async (req, reply) => {
      const to = await accounts.resetRecipient(req.body.email);
      if (to) {
        const token = await accounts.issueToken(to.accountId, 'reset_password');
        await services.mail.enqueue({
          to: to.to,
          ...words(req).mailReset(link(`/account/reset/${token}`)),
          kind: 'account.reset',
          ...(to.subjectId ? { subjectId: to.subjectId } : {}),
        });
      }
      if (isForm(req)) return sendHtml(reply, message(req, 'checkEmailReset'), 202);
      return reply.code(202).send({ status: 'check-email' });
    },
  );

  app.get(
    '/account/reset/:token',
    { config: { access: 'public' }, schema: { hide: true, params: z.object({ token: linkToken }) } },
    async (req, reply) =>
      parseSecret(req.params.token)
        ? sendHtml(reply, resetPage(req, req.params.token))
        : sendHtml(reply, message(req, 'linkInvalid'), 400),
  );

  app.post(
    '/account/reset',
    {
      config: { access: 'public', csrf: 'form', limit: 'code' },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with a reset link token; every session of the account ends',
        body: z.strictObject({ token: linkToken, password, ...csrfBodyField }),
        response: { 200: okSchema },
      },
    },
    async (req, reply) => {
      try {
        await accounts.resetPassword(req.body.token, req.body.password, subjectFinder(services));
        if (isForm(req)) return sendHtml(reply, message(req, 'passwordChanged'));
        return { status: 'password-changed' };
      } catch (err) {
        return answerFormRefusal(req, reply, err, (text) => resetPage(req, req.body.token, text));
      }
    },
  );

  app.post(
    '/account/password',
    {
      config: { access: 'shopper' },
      schema: {
        tags: ['accounts'],
        summary: 'Change the password; every other session of the account ends',
        body: z.strictObject({ current: password, password, ...csrfBodyField }),
        response: { 200: z.object({ status: z.string(), sessionsEnded: z.number() }) },
      },
    },
    async (req) => {
      const p = shopperOf(req);
      const ended = await accounts.changePassword(
        p.accountId,
        req.body.current,
        req.body.password,
        p.sessionId,
        req.ip,
      );
      return { status: 'password-changed', sessionsEnded: ended };
    },
  );

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
      schema: {
        tags: ['accounts'],
        summary: '"My data" page (HTML): every value held about the account holder, in plain words',
        querystring: z.object({
          sent: z.enum(['correction', 'deletion']).optional(),
          due: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
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
      reply
        .header('content-disposition', 'attachment; filename="my-data.json"')
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(await plainMyData(req), null, 2)),
  );

  app.get(
    '/account/my-data/download.csv',
    {
      config: { access: 'shopper' },
      schema: { tags: ['accounts'], summary: 'Download "my data" as a CSV file (one line per piece)' },
    },
    async (req, reply) =>
      reply
        .header('content-disposition', 'attachment; filename="my-data.csv"')
        .header('cache-control', 'no-store')
        .type('text/csv; charset=utf-8')
        .send(plainDataCsv(await plainMyData(req), pageLocale(req))),
  );

  app.post(
    '/account/requests',
    {
      config: { access: 'shopper' },
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
      const b = req.body;
      // A correction needs what to correct and its value: the form comes back filled in, before
      // any confirmation step (which would otherwise promise to correct "the information you named").
      if (isForm(req) && b.type === 'correction' && !(b.category && b.value))
        return sendMyData(req, reply, { draft: b, mistake: words(req).correctionNeeds }, 400);
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
      const out = await services.rights.submit(
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
      // Post/redirect/get: reloading My data never sends the request again.
      if (isForm(req)) return reply.redirect(`/account/my-data?sent=${b.type}&due=${out.dueOn}`, 303);
      return reply.code(202).send({ status: out.status, requestId: out.requestId, dueOn: out.dueOn });
    },
  );
};
