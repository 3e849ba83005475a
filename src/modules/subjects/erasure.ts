// What erasing a person does to the subjects module's tables (registered last with the erasure
// registry in src/app/services.ts, so every other eraser can still find the person). A purge (P14)
// deletes their identifiers, look-ups and record links (the under-13 markers were written first, and
// the subject row stays, marked). A deletion of everything removes their look-ups, so they are no
// longer found by email or phone; the identifiers' values go through the dataset walker.
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

export const subjectsEraser: Eraser = {
  owner: 'subjects',
  tables: ['subject_identifiers', 'subject_lookup', 'subject_records', 'under13_proposals'],
  async erase(trx, { subjectId, mode, categories }) {
    if (mode === 'delete') {
      if (categories !== 'all') return NOTHING_ERASED;
      return {
        rows: {
          subject_lookup: changed(
            await trx.deleteFrom('subject_lookup').where('subject_id', '=', subjectId).executeTakeFirst(),
          ),
          // A proposal about someone deleted has nothing left to decide (the audit trail keeps who
          // proposed and decided what).
          under13_proposals: changed(
            await trx.deleteFrom('under13_proposals').where('subject_id', '=', subjectId).executeTakeFirst(),
          ),
        },
      };
    }
    const rows: Record<string, number> = {};
    for (const table of [
      'subject_identifiers',
      'subject_lookup',
      'subject_records',
      'under13_proposals',
    ] as const) {
      rows[table] = changed(
        await trx.deleteFrom(table).where('subject_id', '=', subjectId).executeTakeFirst(),
      );
    }
    return { rows };
  },
};
