// Runs every promise check against the live store, keeps the results as history, and reports
// which promises are kept, broken, or proven by tests only.
import type { VowContext } from '../policy/index.js';
import { DATA_CHECKS, TEST_ONLY } from './checks.js';
import { type CheckDeps, type CheckResult, evidence, type PromiseCheck } from './types.js';

export class PromiseMonitor {
  readonly #ctx: VowContext;
  readonly #checks: readonly PromiseCheck[];
  readonly #deps: CheckDeps;

  constructor(ctx: VowContext, deps: CheckDeps = {}, checks: readonly PromiseCheck[] = DATA_CHECKS) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#checks = checks;
  }

  /** Runs every check (all promises of the policy, in order) and records the run. */
  async check(): Promise<CheckResult[]> {
    const ctx = this.#ctx;
    const promises = Object.entries(ctx.policy.doc.promises).sort(
      ([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)),
    );
    const results: CheckResult[] = [];
    for (const [id, p] of promises) {
      const checks = this.#checks.filter((c) => c.promise === id);
      if (checks.length === 0) {
        results.push({
          promise: id,
          title: p.title,
          status: 'not_checkable',
          evidence: evidence([], 'About behaviour rather than stored data; proven by tests'),
          provenBy: TEST_ONLY[id] ?? [],
        });
        continue;
      }
      const ids: string[] = [];
      const notes: string[] = [];
      let count = 0;
      for (const c of checks) {
        const r = await c.run(ctx, this.#deps);
        count += r.count;
        ids.push(...r.ids);
        notes.push(r.note ?? c.description);
      }
      results.push({
        promise: id,
        title: p.title,
        status: count > 0 ? 'broken' : 'kept',
        evidence: { ...evidence(ids, notes.join('; ')), count },
      });
    }
    await this.#record(results);
    return results;
  }

  async #record(results: readonly CheckResult[]): Promise<void> {
    const { store, random, clock } = this.#ctx;
    const runId = random.uuid();
    const at = clock.now().toISOString();
    await store.db
      .insertInto('promise_checks')
      .values(
        results.map((r) => ({
          id: random.uuid(),
          run_id: runId,
          promise: r.promise,
          status: r.status,
          count: r.evidence.count,
          ids: JSON.stringify(r.evidence.ids),
          note: r.evidence.note,
          checked_at: at,
        })),
      )
      .execute();
  }

  /** The last `limit` runs of the checks, newest first, each with the promises broken then. */
  async history(limit = 10): Promise<{ checkedAt: string; broken: string[] }[]> {
    const db = this.#ctx.store.db;
    const runs = await db
      .selectFrom('promise_checks')
      .select(['run_id', 'checked_at'])
      .distinct()
      .orderBy('checked_at', 'desc')
      .orderBy('run_id')
      .limit(limit)
      .execute();
    if (runs.length === 0) return [];
    const broken = await db
      .selectFrom('promise_checks')
      .select(['run_id', 'promise'])
      .where(
        'run_id',
        'in',
        runs.map((r) => r.run_id),
      )
      .where('status', '=', 'broken')
      .execute();
    return runs.map((r) => ({
      checkedAt: r.checked_at,
      broken: broken
        .filter((b) => b.run_id === r.run_id)
        .map((b) => b.promise)
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
    }));
  }

  /** The results of the latest run, or none. */
  async latest(): Promise<
    | {
        checkedAt: string;
        results: { promise: string; status: string; count: number; ids: string[]; note: string }[];
      }
    | undefined
  > {
    const last = await this.#ctx.store.db
      .selectFrom('promise_checks')
      .select(['run_id', 'checked_at'])
      .orderBy('checked_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last) return undefined;
    const rows = await this.#ctx.store.db
      .selectFrom('promise_checks')
      .selectAll()
      .where('run_id', '=', last.run_id)
      .execute();
    return {
      checkedAt: last.checked_at,
      results: rows
        .sort((a, b) => Number(a.promise.slice(1)) - Number(b.promise.slice(1)))
        .map((r) => ({
          promise: r.promise,
          status: r.status,
          count: r.count,
          ids: JSON.parse(r.ids) as string[],
          note: r.note,
        })),
    };
  }
}

/** A fixed-width table for the terminal. */
export function formatResults(results: readonly CheckResult[]): string {
  const lines = ['promise  status         count  evidence'];
  for (const r of results) {
    const status = r.status === 'not_checkable' ? 'tests only' : r.status;
    const ev =
      r.status === 'not_checkable'
        ? `proven by ${(r.provenBy ?? []).join(', ') || 'tests'}`
        : r.status === 'broken'
          ? `${r.evidence.note}: ${r.evidence.ids.join(', ')}`
          : r.evidence.note;
    lines.push(`${r.promise.padEnd(8)} ${status.padEnd(14)} ${String(r.evidence.count).padStart(5)}  ${ev}`);
  }
  return lines.join('\n');
}
