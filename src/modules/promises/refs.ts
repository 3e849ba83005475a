// Who a run checks: in a full sweep, every person and visitor the ledger, the records, the disclosure
// log and the measurements name; in an incremental run, those the change journal names plus the
// visitors of measurements stored since the last run (stored without a trigger: they are the hot path).
import { sql } from 'kysely';
import type { FamilyEnv } from './family.js';
import { VISITOR } from './person-batch.js';

export const MARK_MEASUREMENTS_READ = 'measurements.read_id';

/** Person refs are subject ids (no colon) and visitor refs; anything else (`request:…` keys) is not a person. */
export function isPersonRef(ref: string): boolean {
  return ref.startsWith(VISITOR) || !ref.includes(':');
}

export async function everyone(env: FamilyEnv): Promise<string[]> {
  const db = env.ctx.store.db;
  const out = new Set<string>();
  const add = (rows: readonly { r: string | null }[], prefix = '') => {
    for (const { r } of rows) if (r !== null && isPersonRef(prefix + r)) out.add(prefix + r);
  };
  add((await sql<{ r: string }>`select distinct subject_ref as r from consent_events`.execute(db)).rows);
  add((await sql<{ r: string }>`select distinct subject_ref as r from consent_state`.execute(db)).rows);
  add((await sql<{ r: string }>`select distinct subject_id as r from subject_records`.execute(db)).rows);
  add((await sql<{ r: string }>`select distinct subject_id as r from subject_identifiers`.execute(db)).rows);
  add((await sql<{ r: string }>`select distinct subject_id as r from disclosures`.execute(db)).rows);
  add((await sql<{ r: string }>`select distinct visitor_id as r from ga_forwards`.execute(db)).rows, VISITOR);
  add(
    (await sql<{ r: string }>`select distinct visitor_id as r from analytics_events`.execute(db)).rows,
    VISITOR,
  );
  return [...out].sort();
}

/** The visitors of measurements stored since the last run (up to the run's bound). */
export async function newMeasurementVisitors(env: FamilyEnv): Promise<string[]> {
  const from = Number(env.marks.get(MARK_MEASUREMENTS_READ) ?? env.bounds.measurements);
  const rows = await sql<{ r: string }>`select distinct visitor_id as r from analytics_events
    where id > ${from} and id <= ${env.bounds.measurements}`.execute(env.ctx.store.db);
  return rows.rows.map((r) => VISITOR + r.r);
}
