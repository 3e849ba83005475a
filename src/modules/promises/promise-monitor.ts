// Runs every family of checks against the live store, keeps what breaks a promise as open findings,
// and answers per promise: kept, broken (how many records, which, and why), or proven by tests.
// A full sweep reads everything; an incremental run reads what the change journal, the streams'
// watermarks and the clock say may have changed, so its cost follows the change, not the history.
// Runs are serialised within a process.
import { performance } from 'node:perf_hooks';
import type { VowContext } from '../policy/index.js';
import { auditChainFamily, MARK_VERIFIED_HASH, MARK_VERIFIED_SEQ } from './checks/audit-chain.js';
import { readBounds } from './checks/audit-stream.js';
import { FAMILIES } from './families.js';
import type { Family, FamilyEnv, Finding, Sink } from './family.js';
import { clearJournal, ensureJournal, journalSpecs, readJournal, resolveJournal } from './journal.js';
import { PersonBatch } from './person-batch.js';
import { PolicyMap } from './policy-map.js';
import { everyone, MARK_MEASUREMENTS_READ, newMeasurementVisitors } from './refs.js';
import {
  buildResults,
  type FamilyOutcome,
  findingId,
  lastBroken,
  readMarks,
  recordRun,
  runs,
  saveFindings,
  saveMarks,
  type Unpromised,
} from './results.js';
import type { CheckDeps, CheckResult, RunMode, RunSummary } from './types.js';
import { unpromisedChecks, unpromisedTitle } from './unpromised.js';

/** Promises about behaviour rather than stored data, and the tests that prove them. */
export const TEST_ONLY: Readonly<Record<string, readonly string[]>> = {
  P18: ['test/e2e'],
};

/** A full sweep at least this often, whatever the incremental runs found (`auto` mode). */
export const FULL_SWEEP_EVERY_MS = 24 * 60 * 60 * 1000;
const MARK_FULL_AT = 'run.full_at';
const BATCH = 500;

export type RunRequest = RunMode | 'auto';

export class PromiseMonitor {
  readonly #ctx: VowContext;
  readonly #deps: CheckDeps;
  readonly #families: readonly Family[];
  #running: Promise<unknown> = Promise.resolve();

  constructor(ctx: VowContext, deps: CheckDeps = {}, families: readonly Family[] = FAMILIES) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#families = families;
  }

  /** The promises each family covers, joined: what is checked for each promise. */
  covered(): Map<string, string> {
    const map = new PolicyMap(this.#ctx.policy);
    const out = new Map<string, string>();
    for (const f of this.#families)
      for (const [p, what] of Object.entries(f.covers(map, this.#deps)))
        out.set(p, out.has(p) ? `${out.get(p)}; ${what}` : what);
    return out;
  }

  /** The checks that file breaks under numbers the policy does not declare, and how to name any other. */
  unpromised(): Unpromised {
    const families = new Map(this.#families.map((f) => [f.id, f]));
    return {
      checks: unpromisedChecks(this.#ctx.policy, this.#families, this.#deps),
      titleOf: (family) => unpromisedTitle(families.get(family)),
    };
  }

  /** Runs the checks (a full sweep by default) and returns the results per promise. */
  async check(mode: RunRequest = 'full'): Promise<readonly CheckResult[]> {
    return (await this.run(mode)).results;
  }

  /** Runs the checks once (after any run in progress in this process) and records the run. */
  run(mode: RunRequest = 'auto'): Promise<RunSummary> {
    const next = this.#running.then(() => this.#run(mode));
    this.#running = next.catch(() => undefined);
    return next;
  }

  async #run(requested: RunRequest): Promise<RunSummary> {
    const ctx = this.#ctx;
    const db = ctx.store.db;
    const t0 = performance.now();
    const now = ctx.clock.now();
    const startedAt = now.toISOString();
    const tables = this.#deps.tables?.() ?? [];
    const journal = await ensureJournal(db, ctx.store.dialect, journalSpecs(tables));
    const stored = await readMarks(db);
    const fullAt = stored.get(MARK_FULL_AT);
    let mode: RunMode = requested === 'auto' ? 'incremental' : requested;
    if (!journal.complete || !fullAt) mode = 'full';
    if (requested === 'auto' && fullAt && now.getTime() - Date.parse(fullAt) >= FULL_SWEEP_EVERY_MS)
      mode = 'full';
    const snapshot = await readJournal(db);
    const marks = new Map(stored);
    const bounds = await readBounds({ ctx });
    const resolved =
      mode === 'incremental'
        ? await resolveJournal(db, snapshot, tables)
        : { refs: new Set<string>(), rows: new Map() };
    const env: FamilyEnv = {
      ctx,
      map: new PolicyMap(ctx.policy),
      mode,
      now,
      deps: this.#deps,
      rowRefs: resolved.rows,
      bounds,
      marks: { get: (n) => marks.get(n), set: (n, v) => void marks.set(n, v) },
    };
    const outcomes = new Map<string, FamilyOutcome>(
      this.#families.map((f) => [
        f.id,
        {
          family: f.id,
          findings: new Map<string, Finding>(),
          scopes: new Set<string>(),
          replace: mode === 'full' ? 'all' : 'scopes',
        },
      ]),
    );
    const sinkOf = (f: Family): Sink => {
      const o = outcomes.get(f.id)!;
      return {
        add: (scope, v) => void o.findings.set(findingId(f.id, v), { ...v, scope }),
        checked: (scope) => void o.scopes.add(scope),
      };
    };
    // People and visitors, in batches shared by every family that reads them.
    let refs: string[];
    if (mode === 'full') refs = await everyone(env);
    else refs = [...new Set([...resolved.refs, ...(await newMeasurementVisitors(env))])].sort();
    marks.set(MARK_MEASUREMENTS_READ, String(bounds.measurements));
    const batched = this.#families.filter((f) => f.people && !(mode === 'full' && f.full));
    for (let i = 0; i < refs.length; i += BATCH) {
      const batch = new PersonBatch(db, refs.slice(i, i + BATCH));
      for (const f of batched) {
        const sink = sinkOf(f);
        for (const r of batch.refs) sink.checked(r);
        await f.people!(batch, env, sink);
      }
    }
    for (const f of this.#families) {
      if (mode === 'full' && f.full) await f.full(env, sinkOf(f));
      // A run that keeps its own schedule and skipped this time replaces only the scopes its batches
      // checked (the people and visitors written since the last run), none of its own.
      if (f.run && (await f.run(env, sinkOf(f))) === 'skipped') outcomes.get(f.id)!.replace = 'scopes';
    }
    if (mode === 'full') marks.set(MARK_FULL_AT, startedAt);
    const chainFound = [...(outcomes.get(auditChainFamily.id)?.findings.values() ?? [])].length > 0;
    const before = await lastBroken(db);
    const runId = ctx.random.uuid();
    const covered = this.covered();
    const unpromised = this.unpromised();
    const promises = Object.entries(ctx.policy.doc.promises)
      .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
      .map(([id, p]) => ({ id, title: p.title }));
    const results = await db.transaction().execute(async (trx) => {
      for (const o of outcomes.values()) await saveFindings(trx, o, startedAt);
      await saveMarks(trx, marks, startedAt);
      const built = await buildResults(trx, promises, covered, TEST_ONLY, unpromised);
      await recordRun(
        trx,
        { id: runId, mode, startedAt, durationMs: performance.now() - t0, scopes: refs.length },
        built,
        () => ctx.random.uuid(),
      );
      return built;
    });
    await clearJournal(db, snapshot);
    await this.#keepVerifiedHead(stored, marks, chainFound);
    const broken = results.filter((r) => r.status === 'broken').map((r) => r.promise);
    const was = new Set(before ?? []);
    return {
      runId,
      mode,
      startedAt,
      durationMs: performance.now() - t0,
      scopes: refs.length,
      results,
      newlyBroken: broken.filter((p) => !was.has(p)),
      recovered: [...was].filter((p) => !broken.includes(p)),
    };
  }

  /** The head this run verified goes to the anchor file, so a later rewrite of it disagrees. */
  async #keepVerifiedHead(
    before: ReadonlyMap<string, string>,
    after: ReadonlyMap<string, string>,
    broken: boolean,
  ) {
    const seq = Number(after.get(MARK_VERIFIED_SEQ) ?? 0);
    const hash = after.get(MARK_VERIFIED_HASH);
    if (broken || !hash || seq === 0 || before.get(MARK_VERIFIED_SEQ) === String(seq)) return;
    await this.#ctx.audit.keepAnchor({ seq, hash, at: this.#ctx.clock.now().toISOString() }, 'monitor');
  }

  /** The last `limit` runs, newest first, each with the promises broken then. */
  async history(
    limit = 10,
  ): Promise<{ checkedAt: string; mode: string; durationMs: number; broken: string[] }[]> {
    return (await runs(this.#ctx.store.db, limit)).map((r) => ({
      checkedAt: r.started_at,
      mode: r.mode,
      durationMs: Number(r.duration_ms),
      broken: JSON.parse(r.broken) as string[],
    }));
  }

  /** The results as of the latest run (read from the open findings), or none before the first run. */
  async latest(): Promise<{ checkedAt: string; mode: string; results: CheckResult[] } | undefined> {
    const db = this.#ctx.store.db;
    const [last] = await runs(db, 1);
    if (!last) return undefined;
    const promises = Object.entries(this.#ctx.policy.doc.promises)
      .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
      .map(([id, p]) => ({ id, title: p.title }));
    return {
      checkedAt: last.started_at,
      mode: last.mode,
      results: await buildResults(db, promises, this.covered(), TEST_ONLY, this.unpromised()),
    };
  }
}
