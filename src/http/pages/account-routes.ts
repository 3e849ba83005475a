// Shopper accounts, the pages (P15): register, confirm the email, log in and out, reset and change
// the password, "my data" with its download, and correction or deletion requests from it. The
// forms accept JSON too (API clients) and answer in kind.

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
  sendHtml,
  sessionCookieOptions,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import {
  renderConfirmPage,
  renderLoginPage,
  renderMessagePage,
  renderMyDataPage,
  renderRegisterPage,
  renderResetPage,
  renderResetRequestPage,
} from './account.js';

const email = line()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
const password = line().min(1).max(256);
const okSchema = z.object({ status: z.string() });

export const accountPageRoutes: RouteModule = (app, ctx, services) => {
  const { accounts } = services.identity;
  const link = (path: string) => `${ctx.config.publicUrl}${path}`;

  app.get('/login', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    sendHtml(reply, renderLoginPage(ctx.policy, formToken(ctx, '/login'))),
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
        return answerFormRefusal(req, reply, err, (message) =>
          renderLoginPage(ctx.policy, formToken(ctx, '/login'), message),
        );
      }
    },
  );

  app.get(
    '/account/register',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_req, reply) =>
      sendHtml(reply, renderRegisterPage(ctx.policy, formToken(ctx, '/account/register'))),
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
            subject: 'You already have an account',
            text: `Someone (perhaps you) tried to create an account with this address, which already has one.\nForgot your password? ${link('/account/reset-request')}\n`,
            kind: 'account.exists',
          });
        } else {
          const token = await accounts.issueToken(out.accountId, 'verify_email');
          await services.mail.enqueue({
            to: req.body.email.trim(),
            subject: 'Confirm your email address',
            text: `Open this link to confirm your email address (valid for 7 days); you will be asked for the password you chose:\n${link(`/account/verify/${token}`)}\nIf you did not create an account, do not confirm: someone else used your address.\n`,
            kind: 'account.verify',
          });
        }
        if (isForm(req))
          return sendHtml(
            reply,
            renderMessagePage(ctx.policy, 'Check your email', 'We sent you a link to confirm your address.'),
            202,
          );
        return reply.code(202).send({ status: 'check-email' });
      } catch (err) {
        return answerFormRefusal(req, reply, err, (message) =>
          renderRegisterPage(ctx.policy, formToken(ctx, '/account/register'), message),
        );
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
        params: z.object({ token: line().max(80) }),
      },
    },
    async (req, reply) =>
      (await accounts.tokenUsable(req.params.token, 'verify_email'))
        ? sendHtml(reply, renderConfirmPage(ctx.policy, formToken(ctx, '/account/verify'), req.params.token))
        : sendHtml(
            reply,
            renderMessagePage(ctx.policy, 'Link not valid', 'This link is unknown, expired or already used.'),
            400,
          ),
  );

  app.post(
    '/account/verify',
    {
      config: { access: 'public', csrf: 'form', limit: 'code' },
      schema: {
        tags: ['accounts'],
        summary:
          'Confirm the email address of an account with the emailed link token and the password chosen at registration; every other session of the account ends',
        body: z.strictObject({ token: line().max(80), password, ...csrfBodyField }),
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
        if (isForm(req))
          return sendHtml(
            reply,
            renderMessagePage(
              ctx.policy,
              'Email confirmed',
              'Your email address is confirmed. Log in to see your data.',
            ),
          );
        return { status: 'email-confirmed' };
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_TOKEN_INVALID' && isForm(req))
          return sendHtml(reply, renderMessagePage(ctx.policy, 'Link not valid', err.message), 400);
        return answerFormRefusal(req, reply, err, (message) =>
          renderConfirmPage(ctx.policy, formToken(ctx, '/account/verify'), req.body.token, message),
        );
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
    async (_req, reply) =>
      sendHtml(reply, renderResetRequestPage(ctx.policy, formToken(ctx, '/account/reset-request'))),
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
          subject: 'Reset your password',
          text: `Open this link within an hour to choose a new password:\n${link(`/account/reset/${token}`)}\nIf you did not ask for this, ignore this email.\n`,
          kind: 'account.reset',
          ...(to.subjectId ? { subjectId: to.subjectId } : {}),
        });
      }
      if (isForm(req))
        return sendHtml(
          reply,
          renderMessagePage(
            ctx.policy,
            'Check your email',
            'If an account uses this address, we sent it a link.',
          ),
          202,
        );
      return reply.code(202).send({ status: 'check-email' });
    },
  );

  app.get(
    '/account/reset/:token',
    { config: { access: 'public' }, schema: { hide: true, params: z.object({ token: line().max(80) }) } },
    async (req, reply) =>
      parseSecret(req.params.token)
        ? sendHtml(reply, renderResetPage(ctx.policy, formToken(ctx, '/account/reset'), req.params.token))
        : sendHtml(
            reply,
            renderMessagePage(ctx.policy, 'Link not valid', 'This link is not valid; ask for a new one.'),
            400,
          ),
  );

  app.post(
    '/account/reset',
    {
      config: { access: 'public', csrf: 'form', limit: 'code' },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with a reset link token; every session of the account ends',
        body: z.strictObject({ token: line().max(80), password, ...csrfBodyField }),
        response: { 200: okSchema },
      },
    },
    async (req, reply) => {
      try {
        await accounts.resetPassword(req.body.token, req.body.password, subjectFinder(services));
        if (isForm(req))
          return sendHtml(
            reply,
            renderMessagePage(ctx.policy, 'Password changed', 'Log in with your new password.'),
          );
        return { status: 'password-changed' };
      } catch (err) {
        return answerFormRefusal(req, reply, err, (message) =>
          renderResetPage(ctx.policy, formToken(ctx, '/account/reset'), req.body.token, message),
        );
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

  app.get(
    '/account/my-data',
    {
      config: { access: 'shopper' },
      schema: {
        tags: ['accounts'],
        summary: '"My data" page (HTML): every value held about the account holder',
      },
    },
    async (req, reply) =>
      sendHtml(reply, renderMyDataPage(ctx.policy, csrfToken(req) ?? '', await myDataOf(ctx, services, req))),
  );

  app.get(
    '/account/my-data/download',
    {
      config: { access: 'shopper' },
      schema: { tags: ['accounts'], summary: 'Download "my data" as a JSON file' },
    },
    async (req, reply) =>
      reply
        .header('content-disposition', 'attachment; filename="my-data.json"')
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(await myDataOf(ctx, services, req), null, 2)),
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
          ...csrfBodyField,
        }),
        response: { 202: z.object({ status: z.string(), requestId: z.string(), dueOn: z.string() }) },
      },
    },
    async (req, reply) => {
      const p = shopperOf(req);
      const view = await accounts.view(p.accountId);
      if (!view?.subjectId)
        throw new VowError(
          'VOW_FORBIDDEN',
          'Confirm your email address first: we hold nothing else under it yet',
        );
      const b = req.body;
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
          sessionSubjectId: view.subjectId,
          // The answer goes to the account's confirmed email.
          replyTo: view.emailVerifiedAt ? (view.email ?? undefined) : undefined,
        },
      );
      if (isForm(req))
        return sendHtml(
          reply,
          renderMessagePage(
            ctx.policy,
            'Request received',
            `Your ${b.type} request was received; we answer by ${out.dueOn}.`,
          ),
          202,
        );
      return reply.code(202).send({ status: out.status, requestId: out.requestId, dueOn: out.dueOn });
    },
  );
};
