// The writing of one import run's batches. Each batch's writes, its refused rows and the run's
// checkpoint (the last line done) are committed in ONE transaction, one batch after the other in the
// file's order, so a run stopped anywhere (a crash, SIGKILL) continues after its last committed line
// when started again: nothing lost, nothing twice.
//
// Two batches at once: while one is written, the next is guarded and prepared (its people resolved,
// its values sealed: the collection module's `prepare`), so the database and this process work at
// the same time instead of in turn. Only after a batch that cannot change what that preparation
// reads: one whose facts are refusals, notes, registrations and SMS sign-ups (the opt-in guard keeps
// those from lifting an opt-out, and they record none). A person the batch being written creates
// is found again when the next one is written (a lost resolution race: prepared again).
import type { Transaction } from 'kysely';
import { isVowError, VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { AnySubmission, CollectionService, PreparedCollection } from '../collection/index.js';
import { type ConsentService, recordImportedWithdrawal } from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import type { Unit } from './formats/types.js';
import {
  cloneCounts,
  type ImportCounts,
  type ImportHooks,
  type RefusedRow,
  zeroCounts,
} from './import-types.js';
import { guardOptIns } from './opt-in-guard.js';

/** A batch's work done before its transaction: nothing of it is written yet. */
interface Staged {
  readonly batch: readonly Unit[];
  readonly submissions: readonly AnySubmission[];
  readonly prepared: PreparedCollection | undefined;
  readonly optInsNotApplied: number;
}

export interface RunWriterDeps {
  readonly ctx: VowContext;
  readonly collection: CollectionService;
  readonly consent: ConsentService;
  readonly hooks: ImportHooks;
}

export interface RunState {
  readonly id: string;
  readonly checkpointLine: number;
  readonly counts: ImportCounts;
  /** A fact's source, kept as evidence in the ledger. */
  readonly evidence: (line: number) => { file: string; sha256: string; row: number };
  readonly refuse: (r: RefusedRow) => void;
  readonly progress: (line: number, units: number) => void;
}

export class RunWriter {
  readonly #deps: RunWriterDeps;
  readonly #run: RunState;
  #counts: ImportCounts;
  /** The checkpoint the next batch's transaction starts from. */
  #done: number;
  #batches = 0;
  /** The batch being written, and whether the next may be prepared meanwhile. */
  #writing: { readonly written: Promise<void>; readonly overlappable: boolean } | undefined;

  constructor(deps: RunWriterDeps, run: RunState) {
    this.#deps = deps;
    this.#run = run;
    this.#counts = run.counts;
    this.#done = run.checkpointLine;
  }

  /** The run's counts with every batch written so far. */
  get counts(): ImportCounts {
    return this.#counts;
  }

  /**
   * Starts writing a batch once the batch before it is written; returns when it has started (the
   * caller reads the next batch meanwhile). A batch that failed for good fails this call or `finish`.
   */
  async submit(batch: readonly Unit[]): Promise<void> {
    if (batch.length === 0) return;
    const previous = this.#writing;
    const staged = previous?.overlappable ? this.#stage(batch) : undefined;
    if (staged) {
      staged.catch(() => {}); // a refusal here is handled when the batch is written
      this.#deps.hooks.preparedAhead?.(batch[0]!.line);
    }
    if (previous) {
      try {
        await previous.written;
      } catch (err) {
        const s = await staged?.catch(() => undefined);
        if (s?.prepared) this.#deps.collection.discard(s.prepared);
        throw err;
      }
    }
    const written = this.#flush(batch, staged);
    written.catch(() => {}); // awaited by the next submit or by finish
    this.#writing = { written, overlappable: batch.every(leavesGuardAlone) };
  }

  /** Waits for the batch being written; its failure is thrown here. */
  async finish(): Promise<void> {
    await this.#writing?.written;
  }

  /** Waits for the batch being written, whatever becomes of it (a run ending on another error). */
  async settle(): Promise<void> {
    await this.#writing?.written.catch(() => {});
  }

  /**
   * A batch written (`staged`: its work before the transaction, begun earlier). A batch a rule
   * refused as a whole (under 13 marked by staff, an order id with another body) goes unit by unit.
   */
  async #flush(batch: readonly Unit[], staged?: Promise<Staged>): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.#commit(await (staged ?? this.#stage(batch)));
    } catch (err) {
      if (!isVowError(err) || err.code === 'VOW_IMPORT_BUSY') throw err;
      if (batch.length > 1) {
        for (const unit of batch) await this.#flush([unit]);
        return;
      }
      const unit = batch[0]!;
      await this.#commit({
        batch: [
          {
            line: unit.line,
            lastLine: unit.lastLine,
            refused: { code: err.code, reason: refusalReason(err.code, err.message) },
          },
        ],
        submissions: [],
        prepared: undefined,
        optInsNotApplied: 0,
      });
    }
    this.#run.progress(batch[batch.length - 1]!.lastLine, this.#counts.units);
  }

  /** The opt-in guard's reads, and the collections checked, their people resolved, values sealed. */
  async #stage(given: readonly Unit[]): Promise<Staged> {
    const guarded = zeroCounts();
    const batch = await guardOptIns(this.#deps.ctx, given, guarded);
    const submissions: AnySubmission[] = [];
    for (const unit of batch)
      if ('facts' in unit)
        for (const f of unit.facts)
          if (f.kind === 'collect')
            submissions.push({ ...f.submission, evidence: this.#run.evidence(unit.line) });
    const prepared = submissions.length > 0 ? await this.#deps.collection.prepare(submissions) : undefined;
    return { batch, submissions, prepared, optInsNotApplied: guarded.optInsNotApplied };
  }

  /** One batch in one transaction: collections, then opt-outs, refusals and the checkpoint. */
  async #commit({ batch, submissions, prepared, optInsNotApplied }: Staged): Promise<void> {
    const { ctx, collection, consent, hooks } = this.#deps;
    const run = this.#run;
    const next = cloneCounts(this.#counts);
    next.optInsNotApplied += optInsNotApplied;
    const from = this.#done;
    const last = batch[batch.length - 1]!.lastLine;
    const finish = async (trx: Transaction<Database>) => {
      for (const unit of batch) {
        next.units++;
        if ('refused' in unit) {
          next.refused++;
          await trx
            .insertInto('import_refusals')
            .values({ run_id: run.id, line: unit.line, ...unit.refused })
            .onConflict((oc) => oc.columns(['run_id', 'line']).doNothing())
            .execute();
          continue;
        }
        for (const f of unit.facts) {
          if (f.kind === 'note') next.noted++;
          if (f.kind !== 'withdraw') continue;
          const out = await recordImportedWithdrawal(ctx, consent, trx, {
            ...f.withdrawal,
            evidence: run.evidence(unit.line),
          });
          next.withdrawn[f.withdrawal.why]++;
          next.ledgerEvents += out.events;
        }
      }
      // Only from the checkpoint this run started its batch at: another run of the same file that
      // moved it meanwhile makes this batch roll back instead of writing its rows twice.
      const moved = await trx
        .updateTable('import_runs')
        .set({
          checkpoint_line: last,
          counts: JSON.stringify(next),
          updated_at: ctx.clock.now().toISOString(),
        })
        .where('id', '=', run.id)
        .where('checkpoint_line', '=', from)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1)
        throw new VowError('VOW_IMPORT_BUSY', 'Another run of this file is importing it now');
      await hooks.beforeCommit?.(++this.#batches);
    };
    if (prepared)
      await collection.writePrepared(prepared, async (trx, answers) => {
        for (const [i, a] of answers.entries()) {
          if (a.status === 200) next.unchanged++;
          else {
            const type = submissions[i]!.type;
            next.collected[type] = (next.collected[type] ?? 0) + 1;
          }
        }
        await finish(trx);
      });
    else await ctx.store.db.transaction().execute(finish);
    this.#counts = next;
    this.#done = last;
    for (const unit of batch) if ('refused' in unit) run.refuse({ line: unit.line, ...unit.refused });
  }
}

/**
 * Whether writing this unit leaves alone what the opt-in guard and the preparation of the next
 * batch read: no opt-out recorded, no collection that may lift one (contest entries, catalog
 * requests, orders and forms follow the policy's own rules, which may).
 */
function leavesGuardAlone(unit: Unit): boolean {
  if ('refused' in unit) return true;
  return unit.facts.every(
    (f) =>
      f.kind === 'note' ||
      (f.kind === 'collect' && (f.submission.type === 'registration' || f.submission.type === 'sms_signup')),
  );
}

/** A refusal's words for a rule the write path applied (its own messages never hold a value). */
function refusalReason(code: string, message: string): string {
  if (code === 'VOW_UNDER_13') return 'a person known to be under 13: nothing of the row is kept (P14)';
  return message.slice(0, 300);
}
