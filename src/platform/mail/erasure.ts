// What erasing a person does to the mail outbox (registered with the erasure registry in
// src/app/erasure.ts). A purge (P14) deletes every message to or about the person; a deletion of
// everything fails the ones still queued for them (their text was sealed under their key, which goes).
// Where the transport keeps copies of what it sent (the development mailbox, mail.jsonl), the copies
// to the person's addresses and about them go too: with the purge, a deletion of everything, and a
// deletion of their email address (those to the deleted addresses). Mail sent over SMTP is out of
// Vow's reach (docs/operations.md, "Mail").
import type { Transaction } from 'kysely';
import { changed, type Eraser, type ErasureOutcome, NOTHING_ERASED } from '../erasure/index.js';
import type { Database } from '../store/index.js';
import { mailboxOf } from './mailbox.js';
import type { SentCopy } from './transport.js';

export interface MailErasureOptions {
  /** The vault's blind index of kind `email` of a normalised address (lower-cased, trimmed). */
  readonly emailIndex: (address: string) => string;
  /**
   * The keyed hashes (kind `email`) of the person's addresses the erasure takes: all of them (the
   * directory's and their shopper accounts'), or after a partial deletion those the dataset walker
   * deleted. Given by the composition root: the directory and the accounts are modules' tables.
   */
  readonly erasedAddresses: (
    trx: Transaction<Database>,
    subjectId: string,
    all: boolean,
  ) => Promise<ReadonlySet<string>>;
  /** Deletes the copies of sent mail that `drop` picks (MailService.forgetSent); absent: none kept. */
  readonly forgetSent?: (drop: (copy: SentCopy) => boolean) => Promise<number>;
}

const DELETED_ADDRESS = 'contact.email';
const covers = (categories: 'all' | readonly string[]): boolean =>
  categories === 'all' ||
  categories.some((c) => DELETED_ADDRESS === c || DELETED_ADDRESS.startsWith(`${c}.`));

export function mailEraser(options: MailErasureOptions): Eraser {
  /** The kept copies to the addresses or with the outbox ids given go (the file is rewritten once). */
  const forgetCopies = async (
    addresses: ReadonlySet<string>,
    outboxIds: readonly string[],
  ): Promise<number> => {
    if (!options.forgetSent || (addresses.size === 0 && outboxIds.length === 0)) return 0;
    const ids = new Set(outboxIds);
    return options.forgetSent(({ to, messageId }) => {
      const id = /^<([^@>]+)@/.exec(messageId)?.[1];
      if (id && ids.has(id)) return true;
      const address = to.trim().toLowerCase();
      return (
        address !== '' &&
        (addresses.has(options.emailIndex(address)) || addresses.has(options.emailIndex(mailboxOf(address))))
      );
    });
  };
  return {
    owner: 'mail',
    tables: {
      mail_outbox: {
        fate: 'erased',
        person: { column: 'subject_id' },
        how: 'a message’s text is erased once sent; queued ones fail with a deletion of everything; the purge deletes them; recipient notices lose their text after 30 days; the development mailbox’s copies to and about the person go with them',
      },
    },
    async erase(trx, { subjectId, mode, categories }): Promise<ErasureOutcome> {
      const everything = mode === 'purge' || categories === 'all';
      if (!everything && !covers(categories)) return NOTHING_ERASED;
      const addresses = await options.erasedAddresses(trx, subjectId, everything);
      const about = everything
        ? (
            await trx.selectFrom('mail_outbox').select('id').where('subject_id', '=', subjectId).execute()
          ).map((r) => r.id)
        : [];
      // Before the rows that name the messages go; the transaction may still roll back, in which
      // case the copies are gone all the same (a convenience copy of mail, in development only).
      await forgetCopies(addresses, about);
      const rows: Record<string, number> = {};
      if (mode === 'purge') {
        rows.mail_outbox = changed(
          await trx.deleteFrom('mail_outbox').where('subject_id', '=', subjectId).executeTakeFirst(),
        );
        return { rows };
      }
      if (categories !== 'all') return { rows };
      const res = await trx
        .updateTable('mail_outbox')
        .set({ sealed: null, status: 'failed', last_error: 'VOW_SUBJECT_SHREDDED' })
        .where('subject_id', '=', subjectId)
        .where('status', '=', 'queued')
        .where('audience', '=', 'person')
        .executeTakeFirst();
      rows.mail_outbox = changed(res);
      return { rows };
    },
  };
}
