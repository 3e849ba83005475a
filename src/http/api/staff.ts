// Staff over the JSON API: a bearer token for scripts, who the caller is, the own password and
// second factor, and (admin only) staff accounts and the shop backend's API keys.

import { z } from 'zod';
import { API_SCOPES, SESSION_TTL_MS, STAFF_ROLES } from '../../modules/identity/index.js';
import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import { csrfBodyField, staffActorOf, staffOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const username = line().trim().toLowerCase().min(2).max(64);
const password = line().min(1).max(256);
const totp = line()
  .regex(/^\d{6}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));
const role = z.enum(STAFF_ROLES);
/** An API key's scopes (docs/api.md#api-key-scopes): at least one, no default. */
const scopes = z
  .array(z.enum(API_SCOPES))
  .min(1)
  .max(API_SCOPES.length)
  .describe('What the key may do: `all`, or the few its system needs (docs/api.md, API key scopes)');

export const staffApiRoutes: RouteModule = (app, _ctx, services) => {
  const { staff: staffService, apiKeys } = services.identity;

  app.post(
    '/v1/staff/tokens',
    {
      config: { access: 'public', limit: 'login' },
      schema: {
        tags: ['staff'],
        errors: [
          'VOW_BAD_CREDENTIALS',
          'VOW_LOCKED_OUT',
          'VOW_TOTP_REQUIRED',
          'VOW_PASSWORD_LOGIN_DISABLED',
          'VOW_PASSWORD_EXPIRED',
        ],
        summary: 'A bearer token for staff API use (12 hours); send it as Authorization: Bearer vow_st_…',
        body: z.strictObject({ username, password, totp }),
        response: {
          201: z.object({
            token: z.string(),
            staffId: z.string(),
            mustChangePassword: z.boolean(),
            expiresInSeconds: z.number(),
          }),
        },
      },
    },
    async (req, reply) => {
      const out = await staffService.login(req.body, 'bearer', req.ip);
      return reply.code(201).send({
        token: out.token,
        staffId: out.staffId,
        mustChangePassword: out.mustChangePassword,
        expiresInSeconds: SESSION_TTL_MS.staff / 1000,
      });
    },
  );

  app.get(
    '/v1/staff/me',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        tags: ['staff'],
        errors: [],
        summary: 'Who the staff caller is',
        response: {
          200: z.object({ staffId: z.string(), roles: z.array(z.string()), mustChangePassword: z.boolean() }),
        },
      },
    },
    async (req) => {
      const p = req.principal;
      if (p?.kind === 'staff')
        return { staffId: p.staffId, roles: [...p.roles], mustChangePassword: p.mustChangePassword };
      return { staffId: 'test-principal', roles: [...STAFF_ROLES], mustChangePassword: false };
    },
  );

  app.post(
    '/v1/staff/password',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        tags: ['staff'],
        errors: ['VOW_BAD_CREDENTIALS', 'VOW_LOCKED_OUT', 'VOW_WEAK_PASSWORD'],
        summary: 'Change the own password (required after the first log-in); other sessions end',
        body: z.strictObject({ current: password, password, ...csrfBodyField }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      const me = staffOf(req);
      await staffService.changePassword(me.id, req.body.current, req.body.password, me.sessionId, req.ip);
      return { status: 'password-changed' };
    },
  );

  app.post(
    '/v1/staff/totp/setup',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['staff'],
        errors: [],
        summary: 'A new TOTP secret to add to an authenticator app (nothing changes until confirmed)',
        response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
      },
    },
    async (req) => staffService.newTotpSecret(staffOf(req).id),
  );

  app.post(
    '/v1/staff/totp',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['staff'],
        errors: ['VOW_BAD_CREDENTIALS', 'VOW_LOCKED_OUT'],
        summary:
          'Turn on (or replace) the second factor: the current password, and a code proving the app shows the right one',
        body: z.strictObject({
          secret: line().max(64),
          code: line().regex(/^\d{6}$/),
          password: password.describe('The current password: a stolen session alone cannot move the factor'),
          ...csrfBodyField,
        }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await staffService.confirmTotp(
        staffOf(req).id,
        req.body.secret,
        req.body.code,
        req.body.password,
        req.ip,
      );
      return { status: 'totp-enabled' };
    },
  );

  // Staff accounts and API keys: admin only.
  app.get(
    '/v1/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: [],
        summary: 'Staff accounts',
        response: {
          200: z.object({
            accounts: z.array(
              z.object({
                id: z.string(),
                username: z.string(),
                roles: z.array(z.string()),
                disabled: z.boolean(),
                mustChangePassword: z.boolean(),
                totp: z.boolean(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ accounts: await staffService.list() }),
  );

  app.post(
    '/v1/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: ['VOW_ROLE_GRANT_FORBIDDEN', 'VOW_STAFF_EXISTS'],
        summary: 'Add a staff member; answers their one-time password (to be changed at first log-in)',
        body: z.strictObject({ username, roles: z.array(role).min(1).max(5), ...csrfBodyField }),
        response: { 201: z.object({ id: z.string(), username: z.string(), oneTimePassword: z.string() }) },
      },
    },
    async (req, reply) => {
      const out = await staffService.add(req.body.username, req.body.roles, staffActorOf(req));
      return reply.code(201).send({ id: out.id, username: req.body.username, oneTimePassword: out.password });
    },
  );

  app.put(
    '/v1/staff/accounts/:username/roles',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: ['VOW_ROLE_GRANT_FORBIDDEN', 'VOW_SELF_ROLE_CHANGE', 'VOW_UNKNOWN_STAFF'],
        summary: "Replace a staff member's roles",
        params: z.object({ username }),
        body: z.strictObject({ roles: z.array(role).min(1).max(5), ...csrfBodyField }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await staffService.setRoles(req.params.username, req.body.roles, staffActorOf(req));
      return { status: 'roles-set' };
    },
  );

  app.post(
    '/v1/staff/accounts/:username/disable',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: ['VOW_ROLE_GRANT_FORBIDDEN', 'VOW_UNKNOWN_STAFF'],
        summary: 'Disable a staff account (its sessions end)',
        params: z.object({ username }),
        body: z.strictObject({ ...csrfBodyField }).nullish(),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await staffService.setDisabled(req.params.username, true, staffActorOf(req));
      return { status: 'disabled' };
    },
  );

  app.get(
    '/v1/staff/api-keys',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: [],
        summary: 'API keys of the shop backend (ids, names and scopes; never the secrets)',
        response: {
          200: z.object({
            keys: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                scopes: z.array(z.enum(API_SCOPES)),
                createdAt: z.string(),
                createdBy: z
                  .string()
                  .nullable()
                  .describe('The staff id that made it (null: the command line)'),
                revokedAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ keys: await apiKeys.list() }),
  );

  app.post(
    '/v1/staff/api-keys',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: [],
        summary: 'Create an API key for the shop backend; the key is shown only in this answer',
        body: z.strictObject({ name: line().trim().min(1).max(100), scopes, ...csrfBodyField }),
        response: {
          201: z.object({ id: z.string(), key: z.string(), scopes: z.array(z.enum(API_SCOPES)) }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await apiKeys.create(req.body.name, staffOf(req).id, req.body.scopes)),
  );

  app.delete(
    '/v1/staff/api-keys/:id',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        errors: [],
        summary: 'Revoke an API key',
        params: z.object({ id: line().max(32) }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      if (!(await apiKeys.revoke(req.params.id, staffOf(req).id)))
        throw new VowError('VOW_NOT_FOUND', 'No such active API key');
      return { status: 'revoked' };
    },
  );
};
