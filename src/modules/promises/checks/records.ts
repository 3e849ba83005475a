// Records and who they belong to (P1, P15, P22), from the erasure registry:
// - every record names a policy version that was in force (policy_versions), so the notice shown
//   when it was collected is known (P1);
// - every row that names a person names one Vow knows (a row of nobody cannot be exported or
//   deleted: P22), and a shopper account is linked to a person who exists, or "my data" shows
//   nothing (P15).
import { sql } from 'kysely';
import { recordsCover } from '../covers.js';
import type { Family, FamilyEnv, Sink } from '../family.js';
import { type PersonBatch, rowIdOf, VISITOR } from '../person-batch.js';
import { ATTRIBUTION } from '../policy-map.js';

/** Tables whose rows record the policy version they were collected under. */
const VERSIONED = [
  'subject_records',
  'subject_identifiers',
  'orders',
  'registrations',
  'contest_entries',
  'catalog_requests',
  'sms_signups',
  'inbound_messages',
  'consent_events',
  'disclosures',
] as const;

/** The person column of each versioned table (for the finding's scope). */
const PERSON_COLUMN: Readonly<Record<string, string>> = {
  orders: 'buyer_subject_id',
  consent_events: 'subject_ref',
};

/** The versioned tables the batch reads anyway (checked from what it read). */
const BATCHED = new Set(['subject_records', 'subject_identifiers', 'consent_events', 'disclosures']);

async function versions(env: FamilyEnv): Promise<Set<string>> {
  const rows = await env.ctx.store.db.selectFrom('policy_versions').select('version').execute();
  return new Set(rows.map((r) => r.version));
}

function unknownVersion(table: string, row: string, person: string, version: string) {
  return {
    promise: ATTRIBUTION.notice,
    table,
    row,
    rule: 'record.policy_version_known',
    reason: 'The record names a policy version that was never in force, so no notice is known for it',
    values: { subject: person, policy_version: version },
  };
}

function unknownPerson(table: string, row: string, person: string) {
  return table === 'shopper_accounts'
    ? {
        promise: ATTRIBUTION.accountAccess,
        table,
        row,
        rule: 'account.linked_person',
        reason: 'The account is linked to a person Vow does not know, so its holder cannot see their data',
        values: { subject: person },
      }
    : {
        promise: ATTRIBUTION.unknownPerson,
        table,
        row,
        rule: 'person.known',
        reason: 'The row names a person Vow does not know, so no export or deletion would find it',
        values: { subject: person },
      };
}

/** The direct person links of the registry (tables that name people by a column of their own). */
function directLinks(env: FamilyEnv): { table: string; column: string }[] {
  const out: { table: string; column: string }[] = [];
  for (const t of env.deps.tables?.() ?? []) {
    if (t.fate.fate === 'impersonal' || !t.fate.person || t.fate.person.via) continue;
    if (t.table === 'subjects' || t.table === 'data_keys') continue;
    out.push({ table: t.table, column: t.fate.person.column });
  }
  return out;
}

async function checkBatch(batch: PersonBatch, env: FamilyEnv, sink: Sink): Promise<void> {
  const known = await versions(env);
  const check = (table: string, rows: readonly { policy_version: string }[], person: string) => {
    for (const r of rows)
      if (!known.has(r.policy_version))
        sink.add(person, unknownVersion(table, rowIdOf(table, r as never), person, r.policy_version));
  };
  for (const [person, rows] of await batch.records()) check('subject_records', rows, person);
  for (const [person, rows] of await batch.identifiers()) check('subject_identifiers', rows, person);
  for (const [person, rows] of await batch.events()) check('consent_events', rows, person);
  for (const [person, rows] of await batch.disclosures()) check('disclosures', rows, person);
  // The collection records themselves (an order or entry imported or edited by hand), by their person.
  for (const table of VERSIONED) {
    if (BATCHED.has(table)) continue;
    const rows = await batch.linked(table, { column: PERSON_COLUMN[table] ?? 'subject_id' }, batch.people);
    for (const r of rows)
      if (!known.has(String(r.policy_version)))
        sink.add(r.__person, unknownVersion(table, rowIdOf(table, r), r.__person, String(r.policy_version)));
  }
  const subjects = await batch.subjects();
  const unknown = batch.people.filter((p) => !subjects.has(p) && !p.includes(':'));
  if (unknown.length === 0) return;
  for (const link of directLinks(env))
    for (const row of await batch.linked(link.table, { column: link.column }, unknown))
      sink.add(row.__person, unknownPerson(link.table, rowIdOf(link.table, row), row.__person));
}

async function checkAll(env: FamilyEnv, sink: Sink): Promise<void> {
  const db = env.ctx.store.db;
  for (const table of VERSIONED) {
    const person = PERSON_COLUMN[table] ?? 'subject_id';
    const rows = await sql<Record<string, unknown> & { __person: string; policy_version: string }>`
      select t.*, t.${sql.ref(person)} as __person from ${sql.table(table)} t
      where not exists (select 1 from policy_versions v where v.version = t.policy_version)`.execute(db);
    for (const r of rows.rows)
      sink.add(r.__person, unknownVersion(table, rowIdOf(table, r), r.__person, r.policy_version));
  }
  for (const link of directLinks(env)) {
    const rows = await sql<Record<string, unknown> & { __person: string }>`
      select t.*, t.${sql.ref(link.column)} as __person from ${sql.table(link.table)} t
      where t.${sql.ref(link.column)} is not null
        and t.${sql.ref(link.column)} not like ${`${VISITOR}%`}
        and not exists (select 1 from subjects s where s.id = t.${sql.ref(link.column)})`.execute(db);
    for (const r of rows.rows)
      if (!r.__person.includes(':'))
        sink.add(r.__person, unknownPerson(link.table, rowIdOf(link.table, r), r.__person));
  }
}

export const recordsFamily: Family = {
  ...recordsCover,
  people: checkBatch,
  full: checkAll,
};
