// Who a personal-data breach concerns, counted (GDPR Art. 33(3)(a): the approximate number of people
// and of records): the people with a record collected in a time window that holds a field of one of
// the given categories (or a category below one). Counts only; no id or value leaves this module.

import type { Store } from '../../platform/store/index.js';
import { isWithin } from '../policy/index.js';

export interface AffectedQuery {
  readonly categories: readonly string[];
  /** ISO 8601, inclusive; from the first record when left out. */
  readonly from?: string | undefined;
  /** ISO 8601, inclusive. */
  readonly to: string;
}

const PAGE = 5000;

/** People and records holding data of these categories, collected in the window. */
export async function countAffected(
  store: Store,
  q: AffectedQuery,
): Promise<{ people: number; records: number }> {
  const people = new Set<string>();
  let records = 0;
  if (q.categories.length === 0) return { people: 0, records: 0 };
  let after = '';
  for (;;) {
    let query = store.db
      .selectFrom('subject_records')
      .select(['id', 'subject_id', 'fields'])
      .where('collected_at', '<=', q.to)
      .where('id', '>', after);
    if (q.from) query = query.where('collected_at', '>=', q.from);
    const rows = await query.orderBy('id', 'asc').limit(PAGE).execute();
    for (const r of rows) {
      const fields = JSON.parse(r.fields) as Record<string, { category?: string }>;
      if (
        Object.values(fields).some((f) => f.category && q.categories.some((c) => isWithin(f.category!, c)))
      ) {
        records++;
        people.add(r.subject_id);
      }
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  return { people: people.size, records };
}
