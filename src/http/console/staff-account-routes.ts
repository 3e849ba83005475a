// Staff accounts in the console, for the admin: the list, adding someone (their one-time password
// shown once), editing someone's roles and disabling or enabling an account.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { STAFF_ROLES } from '../../modules/identity/index.js';
import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import {
  consoleFrame,
  csrfBodyField,
  refusalOf,
  sendHtml,
  staffActorOf,
  staffIdOf,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderStaffAccounts } from './staff-accounts.js';

const username = line().trim().toLowerCase().min(2).max(64);

/** A staff member's user name and the roles to give them (no box ticked, one or several). */
const usernameAndRoles = z.strictObject({
  ...csrfBodyField,
  username,
  roles: z
    .union([z.enum(STAFF_ROLES), z.array(z.enum(STAFF_ROLES)).max(5)])
    .optional()
    .transform((r) => (r === undefined ? [] : Array.isArray(r) ? r : [r])),
});

export const staffAccountConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { staff: staffService } = services.identity;
  /** The accounts page again with what was refused (`done`: what did not happen), under its status. */
  const refused = async (req: FastifyRequest, reply: FastifyReply, err: unknown, done: string) => {
    const { error, status } = refusalOf(err);
    return sendHtml(
      reply,
      renderStaffAccounts(
        consoleFrame(ctx, req),
        await staffService.list(),
        undefined,
        { ok: false, text: `${done}: ${error.message}` },
        staffIdOf(req),
      ),
      status,
    );
  };
  app.get(
    '/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        querystring: z.strictObject({ roles: line().trim().toLowerCase().min(2).max(64).optional() }),
      },
    },
    async (req, reply) => {
      const accounts = await staffService.list();
      const named = req.query.roles;
      // The address after a role change names the account; one naming no account (hand-edited, or
      // the account's name mistyped) once said its roles were changed.
      const known = named === undefined || accounts.some((a) => a.username === named);
      return sendHtml(
        reply,
        renderStaffAccounts(
          consoleFrame(ctx, req),
          accounts,
          undefined,
          named === undefined
            ? undefined
            : known
              ? { ok: true, text: `The roles of ${named} are changed.` }
              : {
                  ok: false,
                  text: `No staff account is named ${named}: no roles were changed. The link may be cut short or mistyped; the accounts are listed below.`,
                },
          staffIdOf(req),
        ),
        known ? 200 : 404,
      );
    },
  );

  // Role editing: the admin sets a colleague's roles (the identity module refuses changing one's
  // own roles and making a privacy officer); then redirect-after-POST.
  app.post(
    '/staff/accounts/roles',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: usernameAndRoles,
      },
    },
    async (req, reply) => {
      const { username, roles } = req.body;
      try {
        await staffService.setRoles(username, roles, staffActorOf(req));
      } catch (err) {
        return refused(req, reply, err, 'Roles not changed');
      }
      return reply.redirect(`/staff/accounts?roles=${encodeURIComponent(username)}`, 303);
    },
  );

  app.post(
    '/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: usernameAndRoles,
      },
    },
    async (req, reply) => {
      const { username, roles: given } = req.body;
      try {
        if (given.length === 0) throw new VowError('VOW_VALIDATION', 'Choose at least one role');
        const out = await staffService.add(username, given, staffActorOf(req));
        return sendHtml(
          reply,
          renderStaffAccounts(
            consoleFrame(ctx, req),
            await staffService.list(),
            { username, password: out.password },
            undefined,
            staffIdOf(req),
          ),
          201,
        );
      } catch (err) {
        return refused(req, reply, err, 'Not added');
      }
    },
  );

  app.post(
    '/staff/accounts/state',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          username,
          disabled: z.enum(['yes', 'no']),
        }),
      },
    },
    async (req, reply) => {
      const { username, disabled } = req.body;
      const me = staffIdOf(req);
      const accounts = await staffService.list();
      const target = accounts.find((a) => a.username === username);
      if (!target) throw new VowError('VOW_NOT_FOUND', 'No such staff account');
      let message: { ok: boolean; text: string };
      let status = 200;
      if (target.id === me && disabled === 'yes') {
        message = { ok: false, text: 'Not done: you cannot disable your own account.' };
        status = 409;
      } else {
        await staffService.setDisabled(username, disabled === 'yes', staffActorOf(req));
        message = {
          ok: true,
          text:
            disabled === 'yes' ? `${username} is disabled; their sessions ended.` : `${username} is enabled.`,
        };
      }
      return sendHtml(
        reply,
        renderStaffAccounts(consoleFrame(ctx, req), await staffService.list(), undefined, message, me),
        status,
      );
    },
  );
};
