// API keys in the console, for the admin: the list, creating a key with its scopes (the secret shown
// once) and revoking one after a confirmation. Audited as `vow staff api-key` is, with the admin as actor.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_SCOPES } from '../../modules/identity/index.js';
import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { type ApiKeysView, renderApiKeys, scopeText } from './api-keys.js';
import { renderConfirmation } from './confirm.js';
import { refused } from './shell.js';

const keyId = line().trim().min(1).max(32);

export const apiKeyConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { apiKeys, staff } = services.identity;

  /** The page with the keys as they are now, and what the admin just did. */
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<ApiKeysView, 'keys' | 'staffNames'> = {},
    status = 200,
  ) => {
    const [keys, accounts] = await Promise.all([apiKeys.list(), staff.list()]);
    const staffNames = new Map(accounts.map((a) => [a.id, a.username]));
    return sendHtml(reply, renderApiKeys(consoleFrame(ctx, req), { keys, staffNames, ...extra }), status);
  };

  app.get(
    '/staff/api-keys',
    {
      config: { access: 'staff:admin' },
      schema: { hide: true, querystring: z.strictObject({ revoked: keyId.optional() }) },
    },
    async (req, reply) => {
      const revoked = req.query.revoked;
      if (!revoked) return show(req, reply);
      const key = (await apiKeys.list()).find((k) => k.id === revoked);
      if (key?.revokedAt)
        return show(req, reply, { message: { ok: true, text: `The key for ${key.name} is revoked.` } });
      // The address after revoking names the key; a hand-edited or stale one was shown the list
      // without a word. Say what it names instead (opening a link revokes nothing).
      return show(
        req,
        reply,
        {
          message: {
            ok: false,
            text: key
              ? `The key for ${key.name} is not revoked: it is still in use. Opening a link revokes nothing; use its Revoke button.`
              : `No API key has the id ${revoked}: nothing was revoked. The link may be cut short or come from another Vow.`,
          },
        },
        key ? 409 : 404,
      );
    },
  );

  app.post(
    '/staff/api-keys',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          name: line().max(200),
          // One box ticked is a string, several a list, none absent.
          scopes: z
            .union([z.enum(API_SCOPES), z.array(z.enum(API_SCOPES)).max(API_SCOPES.length)])
            .optional()
            .transform((s) => (s === undefined ? [] : Array.isArray(s) ? s : [s])),
        }),
      },
    },
    async (req, reply) => {
      const { name, scopes } = req.body;
      try {
        const out = await apiKeys.create(name, staffIdOf(req), scopes);
        return show(req, reply, { created: { name: name.trim(), key: out.key, scopes: out.scopes } }, 201);
      } catch (err) {
        const { error, status } = refusalOf(err);
        return show(req, reply, { message: refused(error), form: { name, scopes } }, status);
      }
    },
  );

  app.post(
    '/staff/api-keys/revoke',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: z.strictObject({ ...csrfBodyField, id: keyId, confirmed: z.literal('yes').optional() }),
      },
    },
    async (req, reply) => {
      const { id, confirmed } = req.body;
      const key = (await apiKeys.list()).find((k) => k.id === id && k.revokedAt === null);
      if (!key)
        return show(
          req,
          reply,
          { message: refused(new VowError('VOW_NOT_FOUND', 'No such API key in use (revoked already?)')) },
          404,
        );
      if (confirmed !== 'yes')
        return sendHtml(
          reply,
          renderConfirmation(consoleFrame(ctx, req), {
            title: `revoke the API key for ${key.name}`,
            section: '/staff/api-keys',
            action: '/staff/api-keys/revoke',
            back: '/staff/api-keys',
            fields: { id },
            willHappen: [
              `Calls with the key for ${key.name} (it may ${scopeText(key.scopes)}) are refused, with the error VOW_UNAUTHENTICATED: at once by this server, by any other Vow process within ${ctx.config.apiKeyCacheSeconds} seconds.`,
              'The system holding it stops reaching Vow until it is given another key: create that one first.',
            ],
            cannotUndo: 'A revoked key cannot be used again; the system needs a new key.',
            confirmLabel: `Revoke the key for ${key.name}`,
            tone: 'destructive',
          }),
        );
      await apiKeys.revoke(id, staffIdOf(req));
      return reply.redirect(`/staff/api-keys?revoked=${encodeURIComponent(id)}`, 303);
    },
  );
};
