// What erasing a person does to the consent module's tables (registered with the erasure registry in
// src/app/services.ts). A deletion deletes their unsubscribe tokens and keeps the ledger: its events and state are the suppression record
// that keeps the person from being mailed again (the policy's `suppression` exemption, datasets/vow.yaml).
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

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
    suppression_list: {
      fate: 'kept',
      person: null,
      what: 'a keyed hash of an unsubscribed or deleted address, never linked to the person',
      basis: 'exemption:suppression',
    },
  },
  async erase(trx, { subjectId, mode, categories }) {
    if (mode === 'delete') {
      if (categories !== 'all') return NOTHING_ERASED;
      // The ledger stays (the suppression record); the links that named the person go.
      return {
        rows: {
          unsubscribe_tokens: changed(
            await trx.deleteFrom('unsubscribe_tokens').where('subject_id', '=', subjectId).executeTakeFirst(),
          ),
        },
      };
    }
    return {
      rows: {
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
