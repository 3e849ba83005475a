// The monitor's memory: open findings replaced scope by scope, the results per promise built from
// them, the history of runs, and the watermarks. Everything here is ids, codes and counts.
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/store/index.js';
import { type Finding, inSlices } from './family.js';
import { type CheckResult, type CheckStatus, MAX_EVIDENCE, type Violation } from './types.js';
import { byNumber, UNPROMISED_TITLE, type UnpromisedCheck, unpromisedId } from './unpromised.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A finding's id: the same violation found again keeps its row (and when it was first seen). */
export function findingId(family: string, v: Violation): string {
  return createHash('sha256')
    .update([family, v.promise, v.table, v.row, v.rule].join('\n'))
    .digest('base64url')
    .slice(0, 32);
}

/** What one family found in a run, and the scopes it checked whole. */
export interface FamilyOutcome {
  readonly family: string;
  readonly findings: Map<string, Finding>;
  readonly scopes: Set<string>;
  /** Full sweep: every earlier finding of the family is replaced. Skipped: none is. */
  replace: 'all' | 'scopes' | 'none';
}

/** Writes a family's findings: upserts what was found, removes what its checked scopes no longer show. */
export async function saveFindings(trx: Db, outcome: FamilyOutcome, at: string): Promise<void> {
  if (outcome.replace === 'none') return;
  const rows = [...outcome.findings.entries()].map(([id, f]) => ({
    id,
    family: outcome.family,
    scope: f.scope,
    promise: f.promise,
    tbl: f.table,
    row_id: f.row,
    rule: f.rule,
    reason: f.reason,
    detail: JSON.stringify(f.values),
    first_seen_at: at,
    last_seen_at: at,
  }));
  await inSlices(rows, 200, async (slice) => {
    await trx
      .insertInto('promise_findings')
      .values(slice)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          scope: eb.ref('excluded.scope'),
          reason: eb.ref('excluded.reason'),
          detail: eb.ref('excluded.detail'),
          last_seen_at: eb.ref('excluded.last_seen_at'),
        })),
      )
      .execute();
  });
  // What the checked scopes held before and no longer show is gone (by id: two runs may share a
  // timestamp under a test's clock).
  const stale: string[] = [];
  const keep = (rows: readonly { id: string }[]) => {
    for (const r of rows) if (!outcome.findings.has(r.id)) stale.push(r.id);
  };
  if (outcome.replace === 'all')
    keep(
      await trx.selectFrom('promise_findings').select('id').where('family', '=', outcome.family).execute(),
    );
  else
    await inSlices([...outcome.scopes], 400, async (slice) => {
      keep(
        await trx
          .selectFrom('promise_findings')
          .select('id')
          .where('family', '=', outcome.family)
          .where('scope', 'in', slice)
          .execute(),
      );
    });
  await inSlices(stale, 400, async (slice) => {
    await trx.deleteFrom('promise_findings').where('id', 'in', slice).execute();
  });
}

export async function readMarks(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('promise_marks').select(['name', 'value']).execute();
  return new Map(rows.map((r) => [r.name, r.value]));
}

export async function saveMarks(trx: Db, marks: ReadonlyMap<string, string>, at: string): Promise<void> {
  for (const [name, value] of marks)
    await trx
      .insertInto('promise_marks')
      .values({ name, value, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: at }))
      .execute();
}

/** The checks whose breaks no declared promise names (src/modules/promises/unpromised.ts). */
export interface Unpromised {
  /** The families that may file under undeclared numbers, from what they cover. */
  readonly checks: readonly UnpromisedCheck[];
  /** A family's title, for one that filed under an undeclared number without covering it. */
  readonly titleOf: (family: string) => string;
}

/**
 * The results per promise from the open findings (and what each family covers); then one row per
 * check that files breaks under numbers the policy does not declare (`check:<family>`), so no
 * break is left out because its promise is missing from the policy.
 */
export async function buildResults(
  db: Db,
  promises: readonly { id: string; title: string }[],
  covered: ReadonlyMap<string, string>,
  provenBy: Readonly<Record<string, readonly string[]>>,
  unpromised: Unpromised = { checks: [], titleOf: unpromisedTitleOf },
): Promise<CheckResult[]> {
  const counts = await db
    .selectFrom('promise_findings')
    .select(['promise', 'family', 'rule'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['promise', 'family', 'rule'])
    .execute();
  const declared = promises.map((p) => p.id);
  const isDeclared = new Set(declared);
  const byPromise = new Map<string, Record<string, number>>();
  const byFamily = new Map<string, { byRule: Record<string, number>; numbers: Set<string> }>();
  const tally = (into: Record<string, number>, rule: string, n: number) => {
    into[rule] = (into[rule] ?? 0) + n;
  };
  for (const c of counts) {
    if (isDeclared.has(c.promise)) {
      const byRule = byPromise.get(c.promise) ?? {};
      tally(byRule, c.rule, Number(c.n));
      byPromise.set(c.promise, byRule);
      continue;
    }
    const f = byFamily.get(c.family) ?? { byRule: {}, numbers: new Set<string>() };
    tally(f.byRule, c.rule, Number(c.n));
    f.numbers.add(c.promise);
    byFamily.set(c.family, f);
  }
  const out: CheckResult[] = [];
  for (const p of promises) {
    const byRule = byPromise.get(p.id) ?? {};
    const count = Object.values(byRule).reduce((a, b) => a + b, 0);
    const what = covered.get(p.id);
    const status: CheckStatus = count > 0 ? 'broken' : what ? 'kept' : 'not_checkable';
    if (status === 'not_checkable') {
      out.push({
        promise: p.id,
        title: p.title,
        declared: true,
        status,
        evidence: {
          count: 0,
          ids: [],
          note: 'About behaviour rather than stored data; proven by tests',
          violations: [],
          byRule: {},
        },
        provenBy: provenBy[p.id] ?? [],
      });
      continue;
    }
    const sample = (q: SampleQuery) => q.where('promise', '=', p.id);
    out.push(
      await result(db, { promise: p.id, title: p.title, declared: true }, byRule, what ?? '', '', sample),
    );
  }
  // Checks filing under numbers the policy leaves out: those covering such numbers (kept or
  // broken), then any other family that filed under one.
  const rows = new Map(
    unpromised.checks.map((c) => [c.family, { id: c.id, title: c.title, what: c.what, numbers: c.promises }]),
  );
  for (const family of [...byFamily.keys()].sort())
    if (!rows.has(family))
      rows.set(family, {
        id: unpromisedId(family),
        title: unpromised.titleOf(family),
        what: '',
        numbers: [],
      });
  for (const [family, row] of rows) {
    const found = byFamily.get(family);
    const numbers = [...new Set([...row.numbers, ...(found?.numbers ?? [])])].sort(byNumber);
    const where = `filed under ${numbers.join(', ')}, which the policy does not declare`;
    const sample = (q: SampleQuery) => {
      const own = q.where('family', '=', family);
      return declared.length > 0 ? own.where('promise', 'not in', declared) : own;
    };
    out.push(
      await result(
        db,
        { promise: row.id, title: row.title, declared: false },
        found?.byRule ?? {},
        row.what,
        where,
        sample,
      ),
    );
  }
  return out;
}

function unpromisedTitleOf(_family: string): string {
  return UNPROMISED_TITLE;
}

function sampleQuery(db: Db) {
  return db.selectFrom('promise_findings').select(['tbl', 'row_id', 'rule', 'reason', 'detail', 'promise']);
}
type SampleQuery = ReturnType<typeof sampleQuery>;

/** One row: kept (what is checked) or broken (each rule broken, and the first violations). */
async function result(
  db: Db,
  head: Pick<CheckResult, 'promise' | 'title' | 'declared'>,
  byRule: Readonly<Record<string, number>>,
  what: string,
  where: string,
  filter: (q: SampleQuery) => SampleQuery,
): Promise<CheckResult> {
  const count = Object.values(byRule).reduce((a, b) => a + b, 0);
  const sample =
    count === 0
      ? []
      : await filter(sampleQuery(db))
          .orderBy('first_seen_at')
          .orderBy('tbl')
          .orderBy('row_id')
          .limit(MAX_EVIDENCE)
          .execute();
  const violations = sample.map((s) => ({
    promise: s.promise,
    table: s.tbl,
    row: s.row_id,
    rule: s.rule,
    reason: s.reason,
    values: JSON.parse(s.detail) as Violation['values'],
  }));
  const reasons = new Map(violations.map((v) => [v.rule, v.reason]));
  const note =
    count === 0
      ? what
      : Object.entries(byRule)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([rule, n]) => `${rule} ×${n}${reasons.has(rule) ? ` (${reasons.get(rule)})` : ''}`)
          .join('; ');
  return {
    ...head,
    status: count > 0 ? 'broken' : 'kept',
    evidence: {
      count,
      ids: violations.map((v) => `${v.table}:${v.row}`),
      note: where ? (note ? `${note}; ${where}` : where) : note,
      violations,
      byRule: { ...byRule },
    },
  };
}

/** The history row of each promise, and the run's own row. */
export async function recordRun(
  trx: Db,
  run: { id: string; mode: string; startedAt: string; durationMs: number; scopes: number },
  results: readonly CheckResult[],
  newId: () => string,
): Promise<void> {
  await inSlices(results, 100, async (slice) => {
    await trx
      .insertInto('promise_checks')
      .values(
        slice.map((r) => ({
          id: newId(),
          run_id: run.id,
          promise: r.promise,
          status: r.status,
          count: r.evidence.count,
          ids: JSON.stringify(r.evidence.ids),
          note: r.evidence.note,
          checked_at: run.startedAt,
        })),
      )
      .execute();
  });
  await trx
    .insertInto('promise_runs')
    .values({
      id: run.id,
      mode: run.mode,
      started_at: run.startedAt,
      duration_ms: Math.round(run.durationMs),
      scopes: run.scopes,
      findings: results.reduce((n, r) => n + r.evidence.count, 0),
      broken: JSON.stringify(results.filter((r) => r.status === 'broken').map((r) => r.promise)),
    })
    .execute();
}

/** The promises broken after the latest run (none before any run). */
export async function lastBroken(db: Db): Promise<string[] | undefined> {
  const row = await db
    .selectFrom('promise_runs')
    .select('broken')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? (JSON.parse(row.broken) as string[]) : undefined;
}

/** The latest runs, newest first. */
export async function runs(db: Db, limit: number) {
  return db.selectFrom('promise_runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
}

/** A count of findings (for a quick look without building results). */
export async function findingCount(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from promise_findings`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
