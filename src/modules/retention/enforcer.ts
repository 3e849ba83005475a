// Retention enforced (P22; P3 for gift recipients, P4 for correspondents): once a day, whatever the
// policy's `retention` list says has expired is erased, so the promise monitor has nothing to find.
// - A person's identifiers past a period counted from collection (a gift recipient's contact a year
//   after the order): their data in that category, in every dataset, collected before the cut-off.
// - A person inactive past a period counted from their last activity (marketing contacts after three
//   years): every category the policy counts that way and whose period has passed, whenever
//   collected; the erasure registry then lets each part of Vow forget its own copies.
// - Values of Vow's own tables past a period counted from collection (a catalog request's interests
//   after three years): masked, nulled, or their row deleted (datasets/expire.ts).
// - Site measurements have their own daily purge (site-analytics); they are counted here only.
// After a run that erased something, SQLite's write-ahead log is emptied (forgetOldPages), so the
// expired values' earlier pages do not stay on disk until the next checkpoint.
import type { ErasureRegistry } from '../../platform/erasure/index.js';
import { DAY_MS, type JobRunner, registerRecurringJob } from '../../platform/jobs/index.js';
import { forgetOldPages } from '../../platform/store/index.js';
import type { DatasetAnnotation, DatasetService, ExpiredValues } from '../datasets/index.js';
import type { VowContext } from '../policy/index.js';
import { cutoffOf, type Expired, type ExpiredIdentifier, findExpired } from './expiry.js';

export const ENFORCE_JOB = 'retention.enforce';

export interface RetentionDeps {
  readonly ctx: VowContext;
  readonly datasets: Pick<DatasetService, 'delete' | 'expire' | 'annotations'>;
  readonly erasure: ErasureRegistry;
}

/** What one enforcement did (or, in a dry run, would do): counts only, never a value. */
export interface RetentionReport {
  readonly dryRun: boolean;
  readonly at: string;
  /** People whose data expired, and the identifiers that made them due. */
  readonly people: number;
  readonly identifiers: number;
  /** Values the walker deleted, masked or nulled for them (every dataset). */
  readonly personChanges: number;
  /** Rows deleted and values cleared in Vow's tables, counted from each row's collection. */
  readonly rowsDeleted: number;
  readonly valuesCleared: number;
  /** Site measurements past retention, left to their own daily purge. */
  readonly measurements: number;
}

/** Per person, the categories to erase, each with its cut-off (undefined: whenever collected). */
function personPlan(
  ctx: VowContext,
  found: readonly ExpiredIdentifier[],
  now: Date,
): Map<string, Map<string, string | undefined>> {
  const plan = new Map<string, Map<string, string | undefined>>();
  for (const e of found) {
    const cats = plan.get(e.subjectId) ?? new Map<string, string | undefined>();
    plan.set(e.subjectId, cats);
    if ('last_activity' in e.since) {
      // Inactive past this period: so is everything else counted from their last activity and as
      // long or shorter (names with the contact details they belong to).
      const last = e.since.last_activity;
      for (const r of ctx.policy.doc.retention) {
        if (r.from !== 'last_activity') continue;
        if (r.subject_kinds && !(e.subjectKind && r.subject_kinds.includes(e.subjectKind))) continue;
        const cutoff = cutoffOf(r, now);
        if (cutoff !== undefined && last < cutoff) cats.set(r.category, undefined);
      }
      cats.set(e.entry.category, undefined);
    } else if (!cats.has(e.entry.category)) cats.set(e.entry.category, e.cutoff);
  }
  return plan;
}

function columnPlan(found: readonly Expired[]): ExpiredValues {
  const out = new Map<string, Map<string, Set<string>>>();
  for (const e of found) {
    if (e.kind !== 'column') continue;
    const rows = out.get(e.table) ?? new Map<string, Set<string>>();
    out.set(e.table, rows);
    const cols = rows.get(e.row) ?? new Set<string>();
    rows.set(e.row, cols);
    cols.add(e.column);
  }
  return out;
}

export class RetentionEnforcer {
  readonly #deps: RetentionDeps;

  constructor(deps: RetentionDeps) {
    this.#deps = deps;
  }

  #annotation(): DatasetAnnotation | undefined {
    return this.#deps.datasets.annotations().find((a) => a.name === 'vow');
  }

  /** Everything past its retention now, as the promise monitor would report it. */
  async expired(): Promise<Expired[]> {
    const { ctx } = this.#deps;
    return findExpired({
      db: ctx.store.db,
      policy: ctx.policy,
      annotation: this.#annotation(),
      now: ctx.clock.now(),
    });
  }

  /** Erases what has expired (or, with dryRun, counts it). Idempotent: a second run finds nothing. */
  async enforce(options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
    const { ctx, datasets, erasure } = this.#deps;
    const dryRun = options.dryRun === true;
    const now = ctx.clock.now();
    const found = await this.expired();
    const identifiers = found.filter((e): e is ExpiredIdentifier => e.kind === 'identifier');
    const people = personPlan(ctx, identifiers, now);
    let personChanges = 0;
    const actor = { type: 'system' as const };
    for (const [subjectId, cats] of people) {
      for (const [category, collectedBefore] of cats) {
        const report = await datasets.delete(
          { subjectIds: [subjectId] },
          { categories: [category], dryRun, ...(collectedBefore ? { collectedBefore } : {}) },
          actor,
        );
        personChanges += report.changes;
      }
      if (dryRun) continue;
      // What the walker does not reach: each part forgets its own copies (look-ups of identifiers
      // now gone, tokens, …) as after a partial deletion of those categories.
      const erased = await ctx.store.db.transaction().execute((trx) =>
        erasure.erase(trx, {
          subjectId,
          mode: 'delete',
          categories: [...cats.keys()],
          at: now.toISOString(),
        }),
      );
      for (const key of erased.destroyKeys) await ctx.vault.destroyKey(key);
    }
    const columns = await datasets.expire(columnPlan(found), { dryRun });
    const report: RetentionReport = {
      dryRun,
      at: now.toISOString(),
      people: people.size,
      identifiers: identifiers.length,
      personChanges,
      rowsDeleted: columns.tables.reduce((n, t) => n + t.rowsDeleted, 0),
      valuesCleared: columns.tables.reduce((n, t) => n + t.valuesCleared, 0),
      measurements: found.reduce((n, e) => n + (e.kind === 'measurements' ? e.rows : 0), 0),
    };
    const erasedAny = !dryRun && report.people + report.rowsDeleted + report.valuesCleared > 0;
    if (erasedAny)
      await ctx.audit.record({
        actor,
        action: 'retention.enforced',
        target: { type: 'policy', id: ctx.policy.version },
        reason: 'data past the retention period of the policy',
        details: {
          people: report.people,
          identifiers: report.identifiers,
          personChanges,
          rowsDeleted: report.rowsDeleted,
          valuesCleared: report.valuesCleared,
        },
      });
    // The pages as they were before (the expired values, sealed or not) leave SQLite's write-ahead
    // log too; a no-op on PostgreSQL (docs/operations.md, "Erased rows on disk").
    if (erasedAny) await forgetOldPages(ctx.store);
    return report;
  }

  /** Registers the daily job; `schedule()` queues today's run (one per day, by idempotency key). */
  register(jobs: JobRunner): { schedule: () => Promise<void> } {
    return registerRecurringJob(jobs, this.#deps.ctx.clock, {
      id: ENFORCE_JOB,
      everyMs: DAY_MS,
      run: () => this.enforce(),
    });
  }
}
