// Shopper accounts, the pages (P15): register, confirm the email, log in and out, reset and change
// the password ("my data" is my-data-routes.ts). The forms accept JSON too (API clients) and answer
// in kind; a browser's form refused comes back filled in (never the password), the mistake at its
// field.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SESSION_TTL_MS } from '../../modules/identity/index.js';
import { parseSecret } from '../../platform/crypto/index.js';
import { isVowError } from '../../platform/errors.js';
import { LOCALES } from '../../platform/i18n/index.js';
import { defineJob } from '../../platform/jobs/index.js';
import { isPlainAddress, line } from '../../platform/strings.js';
import { formToken } from '../access.js';
import { shopperOf, subjectFinder } from '../account-data.js';
import { type FormPage, formRefusalOf } from '../form-issues.js';
import {
  csrfBodyField,
  endedCookieOptions,
  isForm,
  pageLocale,
  sendHtml,
  sessionCookieOptions,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import {
  ACCOUNT_FIELDS,
  renderConfirmPage,
  renderLoginPage,
  renderMessagePage,
  renderRegisterPage,
  renderResetPage,
  renderResetRequestPage,
} from './account.js';
import { type FormState, formStateOf } from './form-state.js';
import { ACCOUNT_WORDS } from './i18n/account.js';
import { viewerOf } from './shopper-layout.js';

const email = line()
  .trim()
  .min(3)
  .max(254)
  .check((ctx) => {
    // Not .regex(): zod runs it even past max(254), and the regex was quadratic (security.md #32).
    // No RFC 5322 specials: `x:ann@example.org` is mailed to ann@example.org (security.md #33).
    if (!isPlainAddress(ctx.value))
      ctx.issues.push({
        code: 'invalid_format',
        format: 'email',
        input: ctx.value,
        message: 'must be an email address',
      });
  });
const password = line().min(1).max(256);
/** The token of an emailed link (confirm the address, reset the password). */
const linkToken = line().max(80);
const okSchema = z.object({ status: z.string() });
/** Makes and mails a reset link, after the answer (its id is stored with queued jobs: never renamed). */
export const RESET_LINK_JOB = 'account.reset_link';

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
  const loginPage = (req: Req, state?: FormState) =>
    renderLoginPage(ctx.policy, formToken(ctx, '/login'), state, viewerOf(req));
  const registerPage = (req: Req, state?: FormState) =>
    renderRegisterPage(ctx.policy, formToken(ctx, '/account/register'), state, viewerOf(req));
  const resetRequestPage = (req: Req, state?: FormState) =>
    renderResetRequestPage(ctx.policy, formToken(ctx, '/account/reset-request'), viewerOf(req), state);
  /** The emailed link's token a form carries (as sent, when the form comes back). */
  const tokenOf = (req: Req) => {
    const t = (req.body as { token?: unknown } | undefined)?.token;
    return typeof t === 'string' ? t : '';
  };
  const confirmPage = (req: Req, state?: FormState) =>
    renderConfirmPage(ctx.policy, formToken(ctx, '/account/verify'), tokenOf(req), state, viewerOf(req));
  const resetPage = (req: Req, state?: FormState) =>
    renderResetPage(ctx.policy, formToken(ctx, '/account/reset'), tokenOf(req), state, viewerOf(req));
  /** The page a refused form comes back on: filled in (never the password), each mistake at its field. */
  const formOn =
    (render: (req: Req, state: FormState) => string): FormPage =>
    (req, reply, refusal) =>
      sendHtml(reply, render(req, formStateOf(refusal, pageLocale(req), ACCOUNT_FIELDS)), refusal.status);
  /** A refusal from the handler: the form again for a browser, the error body for an API client. */
  const refused = (page: FormPage, req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!isForm(req)) throw err;
    return page(req, reply, formRefusalOf(err, req.body));
  };
  if (!services.jobs.has(RESET_LINK_JOB))
    services.jobs.register(
      defineJob({
        id: RESET_LINK_JOB,
        version: 1,
        schema: z.object({ accountId: z.string().nullable(), locale: z.enum(LOCALES) }),
        handler: async ({ accountId, locale }) => ({
          sent:
            accountId !== null &&
            (await accounts.sendReset(accountId, (to, token, trx) =>
              services.mail.enqueue(
                {
                  to: to.to,
                  ...ACCOUNT_WORDS[locale].mailReset(link(`/account/reset/${token}`)),
                  kind: 'account.reset',
                  ...(to.subjectId ? { subjectId: to.subjectId } : {}),
                },
                trx,
              ),
            )),
        }),
      }),
    );
  const loginForm = formOn(loginPage);
  const registerForm = formOn(registerPage);
  const confirmForm = formOn(confirmPage);
  const resetRequestForm = formOn(resetRequestPage);
  const resetForm = formOn(resetPage);

  // Someone already signed in is sent to their data, not asked to log in again.
  app.get('/login', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    viewerOf(req).signedIn ? reply.redirect('/account/my-data', 303) : sendHtml(reply, loginPage(req)),
  );

  app.post(
    '/login',
    {
      config: { access: 'public', csrf: 'form', limit: 'login', formPage: loginForm },
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
          services.identity.cookies.session.shopper,
          out.token,
          sessionCookieOptions(ctx, SESSION_TTL_MS.shopper),
        );
        if (isForm(req)) return reply.redirect('/account/my-data', 303);
        return { accountId: out.accountId };
      } catch (err) {
        return refused(loginForm, req, reply, err);
      }
    },
  );

  app.get('/account/register', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    sendHtml(reply, registerPage(req)),
  );

  app.post(
    '/account/register',
    {
      config: { access: 'public', csrf: 'form', limit: 'request', mailsTo: 'email', formPage: registerForm },
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
        return refused(registerForm, req, reply, err);
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
        ? sendHtml(
            reply,
            renderConfirmPage(
              ctx.policy,
              formToken(ctx, '/account/verify'),
              req.params.token,
              {},
              viewerOf(req),
            ),
          )
        : sendHtml(reply, message(req, 'linkUnknown'), 400),
  );

  app.post(
    '/account/verify',
    {
      config: { access: 'public', csrf: 'form', limit: 'code', formPage: confirmForm },
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
        return refused(confirmForm, req, reply, err);
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
      void reply.clearCookie(services.identity.cookies.session.shopper, endedCookieOptions(ctx));
      if (isForm(req)) return reply.redirect('/login', 303);
      return { status: 'logged-out' };
    },
  );

  app.get(
    '/account/reset-request',
    { config: { access: 'public' }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, resetRequestPage(req)),
  );

  app.post(
    '/account/reset-request',
    {
      config: {
        access: 'public',
        csrf: 'form',
        limit: 'request',
        mailsTo: 'email',
        formPage: resetRequestForm,
      },
      schema: {
        tags: ['accounts'],
        summary:
          'Email a single-use password reset link (the answer is the same whether or not an account exists)',
        body: z.strictObject({ email, ...csrfBodyField }),
        response: { 202: okSchema },
      },
    },
    async (req, reply) => {
      // The same work whether or not an account uses the address: one job queued, which makes and
      // mails the link (no enumeration by timing; the job of no account does nothing).
      await services.jobs.enqueue({
        name: RESET_LINK_JOB,
        payload: { accountId: await accounts.resetTarget(req.body.email), locale: pageLocale(req) },
      });
      services.jobs.wake();
      if (isForm(req)) return sendHtml(reply, message(req, 'checkEmailReset'), 202);
      return reply.code(202).send({ status: 'check-email' });
    },
  );

  app.get(
    '/account/reset/:token',
    { config: { access: 'public' }, schema: { hide: true, params: z.object({ token: linkToken }) } },
    async (req, reply) =>
      parseSecret(req.params.token)
        ? sendHtml(
            reply,
            renderResetPage(
              ctx.policy,
              formToken(ctx, '/account/reset'),
              req.params.token,
              {},
              viewerOf(req),
            ),
          )
        : sendHtml(reply, message(req, 'linkInvalid'), 400),
  );

  app.post(
    '/account/reset',
    {
      config: { access: 'public', csrf: 'form', limit: 'code', formPage: resetForm },
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
        return refused(resetForm, req, reply, err);
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
};
