// What erasing a person does to the disclosure log (registered with the erasure registry in
// src/app/services.ts): a purge (P14) deletes the person's disclosure entries (ids and categories, never
// a value).
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

export const disclosuresEraser: Eraser = {
  owner: 'disclosures',
  tables: ['disclosures'],
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
