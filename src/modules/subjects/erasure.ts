// What erasing a person does to the subjects module's tables (registered last with the erasure
// registry in src/app/services.ts, so every other eraser can still find the person). A purge (P14)
// deletes their identifiers, look-ups and record links (the under-13 markers were written first, and
// the subject row stays, marked). A deletion of everything removes their look-ups, so they are no
// longer found by email or phone; the identifiers' values go through the dataset walker; after a partial one, the look-ups
// of identifiers the walker deleted go.
import type { Transaction } from 'kysely';
import { changed, type Eraser } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';
import { unbacked } from './email-indexes.js';

/** Deletes the person's look-ups that none of their identifiers backs any more; returns how many. */
export async function forgetStaleLookups(trx: Transaction<Database>, subjectId: string): Promise<number> {
  const res = await trx
    .deleteFrom('subject_lookup')
    .where('subject_id', '=', subjectId)
    .where(unbacked)
    .executeTakeFirst();
  return changed(res);
}

export const subjectsEraser: Eraser = {
  owner: 'subjects',
  tables: {
    subject_identifiers: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted (walker, annotations) or by the purge',
    },
    subject_lookup: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted with a deletion of everything, those of deleted identifiers after a partial one, all by the purge',
    },
    subject_records: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted (walker, annotations) or by the purge',
    },
    subjects: {
      fate: 'kept',
      person: { column: 'id' },
      what: 'the person’s random id (and the under-13 flag), so records kept under an exemption still name whose they were',
      basis: 'exemption:service_customers',
    },
    under13_proposals: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'a pending proposal to mark the person as under 13 goes with a deletion of everything or the purge',
    },
    under13_markers: {
      fate: 'kept',
      person: null,
      what: 'keyed hashes of a child’s accounts, emails and phones, never linked to them, that refuse a later collection',
      basis: 'COPPA 16 CFR 312.4–312.5: nothing is collected from a child known to be under 13 (P14)',
    },
  },
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
