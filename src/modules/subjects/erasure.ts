// What erasing a person does to the subjects module's tables (registered last with the erasure
// registry in src/app/services.ts, so every other eraser can still find the person). A purge (P14)
// deletes their identifiers, look-ups and record links (the under-13 markers were written first, and
// the subject row stays, marked). A deletion of everything removes their look-ups, so they are no
// longer found by email or phone; the identifiers' values go through the dataset walker; after a partial one, the look-ups
// of identifiers the walker deleted go.
import type { Transaction } from 'kysely';
import { changed, type Eraser } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';

/** Deletes the person's look-ups that none of their identifiers backs any more; returns how many. */
export async function forgetStaleLookups(trx: Transaction<Database>, subjectId: string): Promise<number> {
  const res = await trx
    .deleteFrom('subject_lookup')
    .where('subject_id', '=', subjectId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('subject_identifiers as i')
            .select('i.id')
            .whereRef('i.subject_id', '=', 'subject_lookup.subject_id')
            .whereRef('i.kind', '=', 'subject_lookup.kind')
            .whereRef('i.blind_index', '=', 'subject_lookup.blind_index'),
        ),
      ),
    )
    .executeTakeFirst();
  return changed(res);
}

export const subjectsEraser: Eraser = {
  owner: 'subjects',
  tables: ['subject_identifiers', 'subject_lookup', 'subject_records'],
  async erase(trx, { subjectId, mode, categories }) {
    if (mode === 'delete') {
      // After a partial deletion (the walker deleted some identifiers), the person is found only by
      // what they still have: a look-up whose identifier is gone goes too.
      if (categories !== 'all') return { rows: { subject_lookup: await forgetStaleLookups(trx, subjectId) } };
      return {
        rows: {
          subject_lookup: changed(
            await trx.deleteFrom('subject_lookup').where('subject_id', '=', subjectId).executeTakeFirst(),
          ),
        },
      };
    }
    const rows: Record<string, number> = {};
    for (const table of ['subject_identifiers', 'subject_lookup', 'subject_records'] as const) {
      rows[table] = changed(
        await trx.deleteFrom(table).where('subject_id', '=', subjectId).executeTakeFirst(),
      );
    }
    return { rows };
  },
};
