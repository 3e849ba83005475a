// What erasing a person does to the identity module's tables (registered with the erasure registry
// in src/app/services.ts). A purge (P14) deletes their shopper account with its sessions and single-use
// tokens, and its sealed email's key is destroyed after commit. A deletion of everything ends the
// account's sessions and deletes its tokens; the dataset walker masks the account itself
// (datasets/vow.yaml: what stays is kept under `service_customers`). Both delete the limits on
// guessing the person's password and emailed codes, and the mail budget of their address: their keys
// are keyed hashes of the person's email's blind index. A deletion of the email address alone
// (contact.email, or contact) deletes those of the addresses it took.
import { sql, type Transaction } from 'kysely';
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';
import { isWithin } from '../policy/index.js';
import { emailLookupIndexes } from '../subjects/index.js';
import { accountKeyId } from './account-service.js';
import { codeTarget, mailBudgetTarget, shopperLoginTarget } from './attempts.js';

/** `token`: the vault's blind index of kind `token` (the key of the emailed codes' limit is one). */
export const identityEraser = (token: (value: string) => string): Eraser => ({
  owner: 'identity',
  tables: {
    shopper_accounts: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'the account row and its creation date, email and password masked; deleted by the purge',
      basis: 'exemption:service_customers',
    },
    sessions: {
      fate: 'erased',
      person: { column: 'principal_id', via: { table: 'shopper_accounts', key: 'id', column: 'subject_id' } },
      how: 'a shopper’s sessions end with a deletion of everything or the purge',
    },
    account_tokens: {
      fate: 'erased',
      person: { column: 'account_id', via: { table: 'shopper_accounts', key: 'id', column: 'subject_id' } },
      how: 'deleted with a deletion of everything or the purge',
    },
    staff_accounts: { fate: 'impersonal', why: 'Vow’s operators (staff), not the shop’s customers' },
    staff_sso_identities: {
      fate: 'impersonal',
      why: 'which single sign-on user (the provider’s opaque id of a staff member) each staff account is',
    },
    staff_sso_flows: {
      fate: 'impersonal',
      why: 'started single sign-on log-ins: a hash of a random state and two times, deleted a while after they expire',
    },
    api_keys: { fate: 'impersonal', why: 'the shop backend’s keys (hashes of their secrets)' },
    attempt_counters: {
      fate: 'impersonal',
      why: 'failure counts keyed by a keyed hash of an account or address, expiring with the lock-out window; those keyed by a person’s email (their password’s and emailed codes’ limits, and the mail budget of their address) are deleted with them, or with a deletion of that address',
    },
  },
  async erase(trx, { subjectId, mode, categories }) {
    if (mode === 'delete' && categories !== 'all') {
      if (!categories.some((c) => isWithin('contact.email', c))) return NOTHING_ERASED;
      return { rows: { attempt_counters: await forgetAttempts(trx, subjectId, [], token, 'deleted') } };
    }
    const accounts = await trx
      .selectFrom('shopper_accounts')
      .select(['id', 'email_index'])
      .where('subject_id', '=', subjectId)
      .execute();
    const rows = {
      shopper_accounts: 0,
      sessions: 0,
      account_tokens: 0,
      attempt_counters: await forgetAttempts(trx, subjectId, accounts, token),
    };
    for (const a of accounts) {
      rows.sessions += changed(
        await trx
          .deleteFrom('sessions')
          .where('kind', '=', 'shopper')
          .where('principal_id', '=', a.id)
          .executeTakeFirst(),
      );
      rows.account_tokens += changed(
        await trx.deleteFrom('account_tokens').where('account_id', '=', a.id).executeTakeFirst(),
      );
      // A deletion keeps the (masked) account under `service_customers`, but no way into it.
      if (mode === 'purge')
        rows.shopper_accounts += changed(
          await trx.deleteFrom('shopper_accounts').where('id', '=', a.id).executeTakeFirst(),
        );
    }
    return { rows, destroyKeys: mode === 'purge' ? accounts.map((a) => accountKeyId(a.id)) : [] };
  },
});

/**
 * Deletes the limits keyed by the person's emails (their accounts' and those the directory holds,
 * still there: the subjects module's eraser runs last): each target's row and its rows per client
 * address (`<target>@<client>`). `deleted`: only the addresses a partial deletion took (look-ups
 * whose identifier the dataset walker deleted; the subjects module's eraser drops them after).
 */
async function forgetAttempts(
  trx: Transaction<Database>,
  subjectId: string,
  accounts: readonly { email_index: string }[],
  token: (value: string) => string,
  which: 'all' | 'deleted' = 'all',
): Promise<number> {
  const held = await emailLookupIndexes(trx, subjectId, which);
  const indexes = new Set([...accounts.map((a) => a.email_index), ...held]);
  let n = 0;
  // The budgets of the mailboxes the person's rewritten addresses were counted under (`ann+1@` as
  // `ann@`), named by their link rows (deleted below with the address's other rows).
  for (const index of indexes) {
    const prefix = `${mailBudgetTarget(token, index)}@`;
    const links = await trx
      .selectFrom('attempt_counters')
      .select('key')
      .where(sql`substr(${sql.ref('key')}, 1, ${prefix.length})`, '=', prefix)
      .execute();
    const mailboxes = links.map((l) => l.key.slice(prefix.length)).filter((k) => k.startsWith('mail:'));
    if (mailboxes.length > 0)
      n += changed(await trx.deleteFrom('attempt_counters').where('key', 'in', mailboxes).executeTakeFirst());
  }
  for (const index of indexes)
    for (const target of [
      shopperLoginTarget(index),
      codeTarget(token, index),
      mailBudgetTarget(token, index),
    ])
      n += changed(
        await trx
          .deleteFrom('attempt_counters')
          .where((eb) =>
            eb.or([
              eb('key', '=', target),
              eb(sql`substr(${sql.ref('key')}, 1, ${target.length + 1})`, '=', `${target}@`),
            ]),
          )
          .executeTakeFirst(),
      );
  return n;
}

/** The keyed hashes of a person's shopper-account emails (for the under-13 markers, before the purge). */
export async function accountEmailIndexes(trx: Transaction<Database>, subjectId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('shopper_accounts')
    .select('email_index')
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => r.email_index);
}
