// The exact counts behind a release, with each visitor's (person's) contribution capped. These
// numbers never leave the release job: only their noisy, thresholded cells are stored and shown.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/store/index.js';
import { isWithin } from '../policy/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The purpose of the counting itself, and the consent channel a visitor is counted under. */
const COUNTING_PURPOSE = 'reporting.aggregation';
const COUNTING_CONSENT_CHANNEL = 'cookies.analytics';

const GENDER_CELLS: Readonly<Record<string, string>> = { male: 'men', female: 'women' };

/** The fixed cells of the registrations report, in order. */
export const GENDER_KEYS = ['men', 'women'] as const;

/**
 * Visitors per area with each visitor counted once per area and in at most `cap` areas (the first
 * they visited, ties by area name), so one visitor changes the counts by at most `cap` in total.
 */
export function capContributions(
  rows: readonly { visitorId: string; area: string; firstAt: string }[],
  cap: number,
): Map<string, number> {
  const perVisitor = new Map<string, { area: string; firstAt: string }[]>();
  for (const r of rows) {
    const list = perVisitor.get(r.visitorId) ?? [];
    if (!list.some((x) => x.area === r.area)) list.push({ area: r.area, firstAt: r.firstAt });
    perVisitor.set(r.visitorId, list);
  }
  const counts = new Map<string, number>();
  for (const list of perVisitor.values()) {
    list.sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : a.area < b.area ? -1 : 1));
    for (const { area } of list.slice(0, cap)) counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  return counts;
}

/** Visitors per area in [start, end), capped; only visitors whose analytics consent still stands. */
export async function countVisitorsByArea(
  db: Db,
  range: { start: Date; end: Date },
  cap: number,
): Promise<Map<string, number>> {
  // Counting visitors is opt-in (policy rule visitor-counts, channel cookies.analytics).
  const rows = await sql<{ visitor_id: string; area: string; first_at: string }>`
    select e.visitor_id, e.area, min(e.at) as first_at from analytics_events e
    join consent_state c on c.subject_ref = ${'visitor:'} || e.visitor_id
      and c.channel = ${COUNTING_CONSENT_CHANNEL} and c.state = ${'granted'}
    where e.at >= ${range.start.toISOString()} and e.at < ${range.end.toISOString()}
    group by e.visitor_id, e.area`.execute(db);
  return capContributions(
    rows.rows.map((r) => ({ visitorId: r.visitor_id, area: r.area, firstAt: r.first_at })),
    cap,
  );
}

/**
 * Men and women who registered in [start, end), each person once (their first registration of the
 * week), leaving out people marked under 13 (P14) and people whose processing is restricted (P23)
 * for every purpose or for this counting purpose.
 */
export async function countRegistrationsByGender(
  db: Db,
  range: { start: Date; end: Date },
): Promise<Record<(typeof GENDER_KEYS)[number], number>> {
  const rows = await db
    .selectFrom('registrations')
    .select(['subject_id', 'gender', 'registered_at'])
    .where('registered_at', '>=', range.start.toISOString())
    .where('registered_at', '<', range.end.toISOString())
    .orderBy('registered_at', 'asc')
    .execute();
  const excluded = await excludedPeople(db, [...new Set(rows.map((r) => r.subject_id))]);
  const seen = new Set<string>(excluded);
  const counts = { men: 0, women: 0 };
  for (const r of rows) {
    if (seen.has(r.subject_id)) continue;
    seen.add(r.subject_id);
    const cell = r.gender === null ? undefined : GENDER_CELLS[r.gender];
    if (cell === 'men' || cell === 'women') counts[cell]++;
  }
  return counts;
}

async function excludedPeople(db: Db, subjectIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < subjectIds.length; i += 500) {
    const chunk = subjectIds.slice(i, i + 500);
    const young = await db
      .selectFrom('subjects')
      .select('id')
      .where('id', 'in', chunk)
      .where('under13', '=', 1)
      .execute();
    for (const r of young) out.add(r.id);
    const restricted = await db
      .selectFrom('restrictions')
      .select(['subject_id', 'scope', 'purposes'])
      .where('subject_id', 'in', chunk)
      .where('lifted_at', 'is', null)
      .execute();
    for (const r of restricted) {
      const purposes = r.scope === 'all' ? [] : (JSON.parse(r.purposes) as string[]);
      if (r.scope === 'all' || purposes.some((p) => isWithin(COUNTING_PURPOSE, p))) out.add(r.subject_id);
    }
  }
  return out;
}
