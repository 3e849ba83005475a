// What erasing a person does to the disclosure log (registered with the erasure registry in
// src/app/services.ts): a purge (P14) deletes the person's disclosure entries (ids and categories, never
// a value).
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

export const disclosuresEraser: Eraser = {
  owner: 'disclosures',
  tables: {
    disclosures: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'who received which categories for which purpose, and when (ids and names, never a value); deleted by the purge',
      basis:
        'GDPR Art. 5(2) and 30: the record of disclosures the controller must be able to show; CCPA § 1798.130(a)(5)',
    },
  },
  async erase(trx, { subjectId, mode }) {
    if (mode !== 'purge') return NOTHING_ERASED;
    return {
      rows: {
        disclosures: changed(
          await trx.deleteFrom('disclosures').where('subject_id', '=', subjectId).executeTakeFirst(),
        ),
      },
    };
  },
};
