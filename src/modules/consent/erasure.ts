// What erasing a person does to the consent module's tables (registered with the erasure registry in
// src/app/services.ts). A deletion deletes their unsubscribe tokens and keeps the ledger: its events and state are the suppression record
// that keeps the person from being mailed again (the policy's `suppression` exemption, datasets/vow.yaml).
import type { Transaction } from 'kysely';
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';
import { isWithin } from '../policy/index.js';

export const consentEraser: Eraser = {
  owner: 'consent',
  tables: {
    unsubscribe_tokens: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted by the purge and by a deletion of everything',
    },
    consent_state: {
      fate: 'kept',
      person: { column: 'subject_ref' },
      what: 'where the person stands per channel (no contact value); deleted by the purge',
      basis: 'exemption:suppression',
    },
    consent_events: {
      fate: 'kept',
      person: { column: 'subject_ref' },
      what: 'the consent and unsubscribe events (no contact value); deleted by the purge',
      basis: 'exemption:suppression',
    },
    sms_flags: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'an ambiguous SMS reply waiting for staff: deleted (its sealed text shredded) by the purge and by a deletion of everything or of the phone number',
    },
    mail_feedback: {
      fate: 'kept',
      person: null,
      what: 'a keyed hash of an address that bounced or complained, with the DSN status or feedback type, never linked to the person',
      basis: 'exemption:suppression',
    },
    suppression_list: {
      fate: 'kept',
      person: null,
      what: 'a keyed hash of an unsubscribed or deleted address, never linked to the person',
      basis: 'exemption:suppression',
    },
  },
  async erase(trx, { subjectId, mode, categories }) {
    if (mode === 'delete') {
      if (categories !== 'all') {
        // A deletion of the phone number (contact.phone, or all contact): the replies received from
        // it go too, with the keyed hash of the number they are filed under.
        if (!categories.some((c) => isWithin('contact.phone', c))) return NOTHING_ERASED;
        const flags = await dropFlags(trx, subjectId);
        return flags.length ? { rows: { sms_flags: flags.length }, destroyKeys: flags } : NOTHING_ERASED;
      }
      // The ledger stays (the suppression record); the links that named the person go.
      const flags = await dropFlags(trx, subjectId);
      return {
        rows: {
          unsubscribe_tokens: changed(
            await trx.deleteFrom('unsubscribe_tokens').where('subject_id', '=', subjectId).executeTakeFirst(),
          ),
          sms_flags: flags.length,
        },
        destroyKeys: flags,
      };
    }
    const flags = await dropFlags(trx, subjectId);
    return {
      destroyKeys: flags,
      rows: {
        sms_flags: flags.length,
        unsubscribe_tokens: changed(
          await trx.deleteFrom('unsubscribe_tokens').where('subject_id', '=', subjectId).executeTakeFirst(),
        ),
        consent_state: changed(
          await trx.deleteFrom('consent_state').where('subject_ref', '=', subjectId).executeTakeFirst(),
        ),
        consent_events: changed(
          await trx.deleteFrom('consent_events').where('subject_ref', '=', subjectId).executeTakeFirst(),
        ),
      },
    };
  },
};

/** Deletes the person's flagged SMS replies; returns the vault keys of their texts to destroy. */
async function dropFlags(trx: Transaction<Database>, subjectId: string): Promise<string[]> {
  const rows = await trx.selectFrom('sms_flags').select('id').where('subject_id', '=', subjectId).execute();
  if (rows.length > 0) await trx.deleteFrom('sms_flags').where('subject_id', '=', subjectId).execute();
  return rows.map((r) => `sms-flag:${r.id}`);
}
