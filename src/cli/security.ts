// `vow staff …`, `vow keys rotate`, `vow audit verify|anchor`: thin shells over the security services.

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { Services } from '../app/services.js';
import type { API_SCOPE_LABELS, API_SCOPES, STAFF_ROLES } from '../modules/identity/index.js';
import type { VowContext } from '../modules/policy/index.js';
import { counted } from '../platform/counts.js';
import { VowError } from '../platform/errors.js';

export interface SecurityCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Variables only `vow keys rotate` reads (refused everywhere else, like any unknown VOW_*). */
export const ROTATE_KEYS = ['VOW_NEW_MASTER_KEY', 'VOW_NEW_MASTER_KEY_FILE'] as const;

/**
 * The roles and scopes the help of `vow staff …` lists. They live in the identity module, whose
 * import costs about half a second: main.ts loads it only when the command line names `staff`, and
 * without it the staff commands are registered with their names alone (nothing shows their help).
 */
export interface SecurityChoices {
  readonly STAFF_ROLES: typeof STAFF_ROLES;
  readonly API_SCOPES: typeof API_SCOPES;
  readonly API_SCOPE_LABELS: typeof API_SCOPE_LABELS;
}

const identityModule = () => import('../modules/identity/index.js');

async function withContext<T>(
  fn: (ctx: VowContext) => Promise<T>,
  extraKeys: readonly string[] = [],
): Promise<T> {
  const [{ loadConfig }, { createContext }] = await Promise.all([
    import('../platform/config.js'),
    import('../app/context.js'),
  ]);
  const ctx = await createContext(loadConfig(process.env, extraKeys));
  try {
    return await fn(ctx);
  } finally {
    await ctx.store.close();
  }
}

function roles(list: string): string[] {
  return list
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}

export function readNewMasterKey(env: NodeJS.ProcessEnv, file?: string): Buffer {
  const source = file ?? env.VOW_NEW_MASTER_KEY_FILE;
  let text: string | undefined = env.VOW_NEW_MASTER_KEY;
  if (source) {
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      throw new VowError('VOW_MASTER_KEY_MISSING', `Cannot read the new master key file ${source}`);
    }
  }
  if (!text)
    throw new VowError(
      'VOW_MASTER_KEY_MISSING',
      'Give the new key in VOW_NEW_MASTER_KEY, VOW_NEW_MASTER_KEY_FILE or --new-key-file (openssl rand -base64 32)',
    );
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]{43}=$/.test(text.trim()))
    throw new VowError('VOW_MASTER_KEY_INVALID', 'The new master key is not 32 bytes of base64');
  return key;
}

export function registerSecurityCommands(
  program: Command,
  io: SecurityCliIo,
  setExit: (code: number) => void,
  choices?: SecurityChoices,
): void {
  const roleList = choices ? choices.STAFF_ROLES.join(', ') : '';
  const scopeList = choices
    ? choices.API_SCOPES.map((s) => `  ${s}: ${choices.API_SCOPE_LABELS[s]}`).join('\n')
    : '';
  const staff = program.command('staff').description('Manage staff accounts and API keys');
  staff
    .command('add')
    .argument('<username>', 'login name (lower-case letters, digits, . _ -)')
    .requiredOption('-r, --roles <roles>', `comma-separated: ${roleList}`)
    .description('Add a staff member; prints a one-time password they must change at first log-in')
    .action(async (username: string, opts: { roles: string }) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        const out = await createIdentityServices(ctx).staff.add(username, roles(opts.roles), null);
        io.out(`Added ${username} (${opts.roles}). One-time password (shown once): ${out.password}`);
      }),
    );
  staff
    .command('list')
    .description('List staff accounts and their roles')
    .action(async () =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        for (const s of await createIdentityServices(ctx).staff.list()) {
          const flags = [
            s.disabled ? 'disabled' : '',
            s.mustChangePassword ? 'must-change-password' : '',
            s.totp ? 'totp' : '',
          ]
            .filter(Boolean)
            .join(' ');
          io.out(`${s.username}\t${s.roles.join(',')}\t${flags}`);
        }
      }),
    );
  staff
    .command('set-roles')
    .argument('<username>')
    .argument('<roles>', `comma-separated: ${roleList}`)
    .description("Replace a staff member's roles")
    .action(async (username: string, list: string) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        await createIdentityServices(ctx).staff.setRoles(username, roles(list), null);
        io.out(`${username}: ${list}`);
      }),
    );
  staff
    .command('disable')
    .argument('<username>')
    .description('Disable a staff account and end its sessions')
    .action(async (username: string) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        await createIdentityServices(ctx).staff.setDisabled(username, true, null);
        io.out(`${username} disabled`);
      }),
    );
  staff
    .command('reset-password')
    .argument('<username>')
    .option('--clear-totp', 'also remove the second factor (a lost authenticator)')
    .description('Give a staff member a new one-time password (their sessions end)')
    .action(async (username: string, opts: { clearTotp?: boolean }) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        const password = await createIdentityServices(ctx).staff.resetPassword(
          username,
          null,
          opts.clearTotp ?? false,
        );
        io.out(`New one-time password for ${username} (shown once): ${password}`);
      }),
    );
  staff
    .command('enable')
    .argument('<username>')
    .description('Enable a disabled staff account')
    .action(async (username: string) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        await createIdentityServices(ctx).staff.setDisabled(username, false, null);
        io.out(`${username} enabled`);
      }),
    );
  const apiKey = staff.command('api-key').description("API keys of the shop's backend (service access)");
  apiKey
    .command('create')
    .argument('<name>', 'what the key is for, e.g. "shop backend"')
    .addOption(
      new Option('--scope <scope>', `what the key may do, repeatable or comma-separated:\n${scopeList}\n`)
        .argParser((value: string, list: string[]) => [...list, ...value.split(',').map((s) => s.trim())])
        .default([] as string[], 'none: give at least one'),
    )
    .description('Create an API key with its scopes; prints it once (only its hash is stored)')
    .action(async (name: string, opts: { scope: string[] }) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        const out = await createIdentityServices(ctx).apiKeys.create(name, null, opts.scope);
        io.out(`API key ${out.id} (shown once): ${out.key}`);
        io.out(`Scopes: ${out.scopes.join(' ')}`);
      }),
    );
  apiKey
    .command('list')
    .description('List API keys (ids, names, scopes, creation; never the secrets)')
    .action(async () =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        for (const k of await createIdentityServices(ctx).apiKeys.list())
          io.out(
            `${k.id}\t${k.name}\t${k.scopes.join(',')}\t${k.createdAt}${k.revokedAt ? `\trevoked ${k.revokedAt}` : ''}`,
          );
      }),
    );
  apiKey
    .command('revoke')
    .argument('<id>')
    .description('Revoke an API key')
    .action(async (id: string) =>
      withContext(async (ctx) => {
        const { createIdentityServices } = await identityModule();
        if (await createIdentityServices(ctx).apiKeys.revoke(id, null)) io.out(`Revoked ${id}`);
        else {
          io.err(`VOW_NOT_FOUND: No active API key ${id}: list them with \`vow staff api-key list\``);
          setExit(1);
        }
      }),
    );

  const keys = program.command('keys').description('The master key');
  keys
    .command('rotate')
    .option(
      '--new-key-file <file>',
      'file holding the new key (else VOW_NEW_MASTER_KEY or VOW_NEW_MASTER_KEY_FILE)',
    )
    .description(
      'Re-wrap every data key (and the index key) under a new master key; no sealed value is touched. Stop every Vow process first.',
    )
    .action(async (opts: { newKeyFile?: string }) => {
      const next = readNewMasterKey(process.env, opts.newKeyFile);
      await withContext(async (ctx) => {
        const n = await ctx.vault.rotateMasterKey(next);
        await ctx.audit.record({
          actor: { type: 'system' },
          action: 'security.master_key.rotated',
          reason: 'vow keys rotate',
          details: { keysRewrapped: n },
        });
        io.out(`Re-wrapped ${counted(n, 'key')} under the new master key.`);
        const { config } = ctx;
        if (!config.masterKey && !config.masterKeyFile && config.env !== 'production') {
          // Development: the key in use is the generated data/master.key; keep it in step.
          const file = path.join(config.dataDir, 'master.key');
          writeFileSync(file, `${next.toString('base64')}\n`, { mode: 0o600 });
          chmodSync(file, 0o600);
          io.out(`${file} now holds the new key.`);
          return;
        }
        io.out(
          'Next: set VOW_MASTER_KEY (or VOW_MASTER_KEY_FILE) to the NEW key, unset VOW_NEW_MASTER_KEY*, and start Vow again.',
        );
        io.out('Then destroy every copy of the old key: it no longer opens anything written from now on.');
      }, ROTATE_KEYS);
    });

  const audit = program.command('audit').description('The hash-chained audit trail');
  audit
    .command('verify')
    .description('Recompute the chain and check the anchors; exit 1 naming the first broken link')
    .action(async () =>
      withContext(async (ctx) => {
        const v = await ctx.audit.verify();
        if (v.ok) io.out(`OK: ${v.entries} entries, head ${v.head}, ${v.anchors} anchor(s) checked`);
        else {
          io.err(`BROKEN at entry ${v.brokenAt}: ${v.problem} (${v.entries} entries verified before it)`);
          setExit(1);
        }
      }),
    );
  audit
    .command('anchor')
    .description('Record the chain head now (keep the printed line somewhere else too)')
    .action(async () =>
      withContext(async (ctx) => {
        const a = await ctx.audit.anchor();
        io.out(`anchor seq=${a.seq} hash=${a.hash} at=${a.at}`);
      }),
    );
}

/** At `vow serve`: the first start creates one admin and prints its one-time password; anchors are scheduled. */
export async function announceSecurity(
  services: Pick<Services, 'identity' | 'scheduleAuditAnchors'>,
  io: SecurityCliIo,
): Promise<void> {
  const { ONE_TIME_PASSWORD_TTL_MS } = await identityModule();
  const admin = await services.identity.staff.ensureBootstrapAdmin();
  if (admin) {
    io.out(
      `First start: created staff account "${admin.username}" with the one-time password ${admin.password}\n` +
        `Log in at /staff/login within ${ONE_TIME_PASSWORD_TTL_MS / 86_400_000} days and choose a new password (it is shown only now; ` +
        `after that, vow staff reset-password ${admin.username} prints a new one).`,
    );
  }
  await services.scheduleAuditAnchors();
}
