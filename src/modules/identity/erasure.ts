// What erasing a person does to the identity module's tables (registered with the erasure registry
// in src/app/services.ts). A purge (P14) deletes their shopper account with its sessions and single-use
// tokens, and its sealed email's key is destroyed after commit. A deletion of everything ends the
// account's sessions and deletes its tokens; the dataset walker masks the account itself
// (datasets/vow.yaml: what stays is kept under `service_customers`). Both delete the limits on
// guessing the person's password and emailed codes: their keys are keyed hashes of the person's
// email's blind index. A mail budget still running is the mailbox's and stays for its hour
// (forgetAttempts says why). A deletion of the email address alone (contact.email, or contact)
// deletes those of the addresses it took.
import type { Transaction } from 'kysely';
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';
import { isWithin } from '../policy/index.js';
import { emailLookupIndexes } from '../subjects/index.js';
import { accountKeyId } from './account-service.js';
import {
  codeTarget,
  keysStartingWith,
  MAIL_BUDGET,
  mailBudgetTarget,
  shopperLoginTarget,
  targetAndPairs,
} from './attempts.js';

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
      why: 'started single sign-on log-ins: a hash of a random state, two times and, sealed, a console path and a kept form’s token, deleted a while after they expire',
    },
    staff_sso_sessions: {
      fate: 'impersonal',
      why: 'a staff member’s single sign-on session: the provider’s opaque user and session ids and, sealed by the vault, its refresh token; deleted when the session ends (security.md #54)',
    },
    staff_sso_logout_jtis: {
      fate: 'impersonal',
      why: 'hashes of the back-channel log-out tokens already taken (a replay is refused), each deleted once it could no longer be accepted',
    },
    staff_form_drafts: {
      fate: 'kept',
      person: null,
      what: 'a console form a staff member sent after their session lapsed (what they typed may name a customer), sealed under a key the store does not hold, for at most 15 minutes until they sign in again',
      basis:
        'GDPR Art. 32(1): the staff member’s work is not lost; deleted when taken back and 15 minutes after it was kept',
    },
    staff_kept_addresses: {
      fate: 'kept',
      person: null,
      what: 'the address of a console page (a list’s filters may hold a typed name or email) asked for with no live staff session, sealed under a key the store does not hold, for at most 15 minutes until a log-in through that page',
      basis:
        'GDPR Art. 32(1): the staff member comes back to the list they were on; deleted when taken back and 15 minutes after it was kept',
    },
    api_keys: { fate: 'impersonal', why: 'the shop backend’s keys (hashes of their secrets)' },
    attempt_counters: {
      fate: 'impersonal',
      why: 'failure counts keyed by a keyed hash of an account or address, expiring with the lock-out window; those keyed by a person’s email (their password’s and emailed codes’ limits) are deleted with them, or with a deletion of that address; a mailbox’s mail budget still running is the mailbox’s (whoever was written to) and ends with its hour',
    },
  },
  async erase(trx, { subjectId, mode, categories, at }) {
    // A kept console form may name this person, and form-drafts.ts deletes those past their 15
    // minutes only when another is kept: any erasure deletes them too (security.md #50).
    await trx.deleteFrom('staff_form_drafts').where('expires_at', '<=', at).execute();
    // So may a kept console address (a list's filters: kept-addresses.ts), deleted likewise.
    await trx.deleteFrom('staff_kept_addresses').where('expires_at', '<=', at).execute();
    if (mode === 'delete' && categories !== 'all') {
      if (!categories.some((c) => isWithin('contact.email', c))) return NOTHING_ERASED;
      return { rows: { attempt_counters: await forgetAttempts(trx, subjectId, [], token, at, 'deleted') } };
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
      attempt_counters: await forgetAttempts(trx, subjectId, accounts, token, at),
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
 * address (`<target>@<client>`), found by ranges on the key's index. `deleted`: only the addresses a
 * partial deletion took (look-ups whose identifier the dataset walker deleted; the subjects module's
 * eraser drops them after).
 *
 * A mail budget is the mailbox's, not the person's (docs/security.md, "Mail budget"): one still
 * running (its hour not over) is left, since `ann+1@` and `ann@` may be two people and the count
 * holds the other's messages too, and since an erasure that reset it would give whoever made it a
 * fresh budget on the mailbox. It names no one once the person's records are gone (a keyed hash of
 * a mailbox) and ends with its hour; one whose hour is over is deleted. Rows keyed
 * `<the address's budget key>@<the mailbox's>` (links from an address as written to its mailbox's
 * budget, written before 0790) are deleted with the address's other rows: that tie was the person's.
 */
async function forgetAttempts(
  trx: Transaction<Database>,
  subjectId: string,
  accounts: readonly { email_index: string }[],
  token: (value: string) => string,
  at: string,
  which: 'all' | 'deleted' = 'all',
): Promise<number> {
  const held = await emailLookupIndexes(trx, subjectId, which);
  const indexes = new Set([...accounts.map((a) => a.email_index), ...held]);
  // A budget whose window began before this has ended (attempts.ts #live).
  const over = new Date(new Date(at).getTime() - MAIL_BUDGET.windowMs).toISOString();
  let n = 0;
  for (const index of indexes) {
    for (const target of [shopperLoginTarget(index), codeTarget(token, index)])
      n += changed(
        await trx
          .deleteFrom('attempt_counters')
          .where((eb) => targetAndPairs(eb, target))
          .executeTakeFirst(),
      );
    const budget = mailBudgetTarget(token, index);
    const [from, to] = keysStartingWith(`${budget}@`);
    n += changed(
      await trx
        .deleteFrom('attempt_counters')
        .where((eb) =>
          eb.or([
            eb.and([eb('key', '=', budget), eb('window_started_at', '<=', over)]),
            eb.and([eb('key', '>=', from), eb('key', '<', to)]),
          ]),
        )
        .executeTakeFirst(),
    );
  }
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
