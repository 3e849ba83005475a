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
//
// Two transactions at once, on PostgreSQL: after such a batch, the next one's transaction starts as
// soon as the batch's own people and records are written (its rows, inside its transaction), so
// PostgreSQL writes the next batch's rows while this one takes its consent and audit locks and
// commits. The next waits, inside its transaction, before its own consent, audit and checkpoint
// (the collection module's `afterRows`) until this one has committed: commits stay in the file's
// order, one checkpoint after the other, and its consent is planned from this one's result, as one
// after the other. A person in both batches waits on PostgreSQL's row locks for the first to commit,
// then is found again (a lost resolution race). If a batch's transaction fails, the next one begun
// alongside rolls back and is done again, prepared afresh, once the failed batch is written (its
// rows unit by unit); nothing of it holds a lock meanwhile. SQLite has one connection and one thread:
// one transaction at a time there.
import type { Transaction } from 'kysely';
import { isVowError, VowError } from '../../platform/errors.js';
import { type Database, insertRows } from '../../platform/store/index.js';
import type { AnySubmission, CollectionService, PreparedCollection } from '../collection/index.js';
import {
  type ConsentService,
  type ImportedWithdrawal,
  lockImportedWithdrawals,
  recordImportedWithdrawals,
} from '../consent/index.js';
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

/** A batch being written. */
interface Writing {
  /** The batch written, its fall-backs included: its failure is the run's. */
  written: Promise<void>;
  /** Its first transaction committed (rejected: it failed, or was rolled back to be done again). */
  readonly committed: Promise<void>;
  /** Its rows are written inside its transaction, or that transaction is over: a next may begin. */
  readonly rowsWritten: Promise<void>;
  /** Writing it leaves alone what the next batch's preparation reads (`leavesGuardAlone`). */
  readonly overlappable: boolean;
  /** Its first transaction failed: a batch submitted after that waits for it to be written. */
  failed: boolean;
  /** The first transaction of the next batch, begun alongside: it settles without this one. */
  next: Promise<void> | undefined;
}

export class RunWriter {
  readonly #deps: RunWriterDeps;
  readonly #run: RunState;
  #counts: ImportCounts;
  /** The checkpoint of the last batch committed. */
  #done: number;
  #batches = 0;
  /** The batch submitted last, and the one before it. */
  #writing: Writing | undefined;
  #before: Writing | undefined;

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
   * Starts writing a batch once the batch before it is written (on PostgreSQL, after a batch that
   * leaves the next one's preparation alone: once its rows are); returns when it has started (the
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
    const alongside =
      staged !== undefined && previous !== undefined && this.#deps.ctx.store.dialect === 'postgres';
    if (previous) {
      try {
        if (alongside) {
          // At most two transactions at once, the earlier with its rows written.
          await this.#before?.written;
          await previous.rowsWritten;
        } else await previous.written;
      } catch (err) {
        const s = await staged?.catch(() => undefined);
        if (s?.prepared) this.#deps.collection.discard(s.prepared);
        throw err;
      }
    }
    // Its first transaction may have failed while this one waited: then after it, as one by one.
    const turn = alongside && !previous.failed ? previous : undefined;
    if (alongside && !turn) {
      try {
        await previous.written;
      } catch (err) {
        const s = await staged?.catch(() => undefined);
        if (s?.prepared) this.#deps.collection.discard(s.prepared);
        throw err;
      }
    }
    this.#before = previous;
    this.#writing = this.#write(batch, staged, turn);
    if (turn) {
      turn.next = this.#writing.committed.catch(() => {});
      this.#deps.hooks.beganAlongside?.(batch[0]!.line);
    }
  }

  /** Waits for the batch being written; its failure is thrown here. */
  async finish(): Promise<void> {
    await this.#writing?.written;
  }

  /** Waits for the batches being written, whatever becomes of them (a run ending on another error). */
  async settle(): Promise<void> {
    await this.#before?.written.catch(() => {});
    await this.#writing?.written.catch(() => {});
  }

  /**
   * A batch written: one transaction (`staged`: its work before the transaction, begun earlier;
   * `turn`: the batch before it, still being written, whose commit this one's waits for). When that
   * transaction fails, nothing of the batch was written: it is written again once the batch before
   * it is, and the next one, if begun alongside, has rolled back (it waits for this one's commit, so
   * it never holds a row this one needs): unit by unit if a rule refused it whole (under 13 marked
   * by staff, an order id with another body), prepared afresh if the batch before it failed.
   */
  #write(batch: readonly Unit[], staged: Promise<Staged> | undefined, turn: Writing | undefined): Writing {
    let rowsDone = () => {};
    const rowsWritten = new Promise<void>((resolve) => {
      rowsDone = resolve;
    });
    const committed = (async () => this.#commit(await (staged ?? this.#stage(batch)), turn, rowsDone))();
    const writing: Writing = {
      committed,
      rowsWritten,
      overlappable: batch.every(leavesGuardAlone),
      failed: false,
      next: undefined,
      written: Promise.resolve(),
    };
    // `failed` first: a batch submitted once this one's transaction is over reads it.
    committed.then(rowsDone, () => {
      writing.failed = true;
      rowsDone();
    });
    writing.written = committed.then(
      () => this.#run.progress(batch[batch.length - 1]!.lastLine, this.#counts.units),
      async (err: unknown) => {
        if (!(err instanceof OutOfTurn) && !isRefusal(err)) throw err;
        await turn?.written;
        await writing.next;
        if (err instanceof OutOfTurn) await this.#flush(batch);
        else await this.#oneByOne(batch, err);
        this.#run.progress(batch[batch.length - 1]!.lastLine, this.#counts.units);
      },
    );
    writing.written.catch(() => {}); // awaited by the next submit or by finish
    return writing;
  }

  /** A batch written alone, after the batch before it: unit by unit if a rule refused it whole. */
  async #flush(batch: readonly Unit[]): Promise<void> {
    try {
      await this.#commit(await this.#stage(batch));
    } catch (err) {
      if (!isRefusal(err)) throw err;
      await this.#oneByOne(batch, err);
    }
  }

  /** A batch a rule refused as a whole: each unit alone, the one refused kept as a refused row. */
  async #oneByOne(batch: readonly Unit[], err: VowError): Promise<void> {
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

  /**
   * One batch in one transaction: collections, then opt-outs, refusals and the checkpoint. With
   * `turn`, its consent, audit and checkpoint wait (in the transaction, its rows written: `rowsDone`
   * says so) for the batch before it to commit; OutOfTurn rolls it back if that one failed.
   */
  async #commit(
    { batch, submissions, prepared, optInsNotApplied }: Staged,
    turn?: Writing,
    rowsDone?: () => void,
  ): Promise<void> {
    const { ctx, collection, consent, hooks } = this.#deps;
    const run = this.#run;
    const last = batch[batch.length - 1]!.lastLine;
    // The counts and checkpoint this batch starts from: the batch before it committed.
    let next = cloneCounts(this.#counts);
    let from = this.#done;
    const inTurn = async () => {
      rowsDone?.();
      if (turn)
        await turn.committed.catch(() => {
          throw new OutOfTurn();
        });
      next = cloneCounts(this.#counts);
      next.optInsNotApplied += optInsNotApplied;
      from = this.#done;
    };
    // A batch of collections and opt-outs: the opt-outs' identifier locks once its rows are written,
    // before its collections take any person's consent lock (consent's lockImportedWithdrawals).
    const optOuts = batch.flatMap((u) =>
      'facts' in u ? u.facts.flatMap((f) => (f.kind === 'withdraw' ? [f.withdrawal] : [])) : [],
    );
    const afterRows = async (trx: Transaction<Database>) => {
      await inTurn();
      if (optOuts.length > 0) await lockImportedWithdrawals(ctx, trx, optOuts);
    };
    const finish = async (trx: Transaction<Database>) => {
      // The batch's opt-outs recorded together, in the file's order (consent's
      // recordImportedWithdrawals: their identifiers' locks first, then the entries, the people).
      const withdrawals: ImportedWithdrawal[] = [];
      const refusals: { run_id: string; line: number; code: string; reason: string }[] = [];
      for (const unit of batch) {
        next.units++;
        if ('refused' in unit) {
          next.refused++;
          refusals.push({
            run_id: run.id,
            line: unit.line,
            code: unit.refused.code,
            reason: unit.refused.reason,
          });
          continue;
        }
        for (const f of unit.facts) {
          if (f.kind === 'note') next.noted++;
          if (f.kind !== 'withdraw') continue;
          withdrawals.push({ ...f.withdrawal, evidence: run.evidence(unit.line) });
          next.withdrawn[f.withdrawal.why]++;
        }
      }
      for (const out of await recordImportedWithdrawals(ctx, consent, trx, withdrawals))
        next.ledgerEvents += out.events;
      await insertRows(trx, ctx.store.dialect, 'import_refusals', refusals, {
        onConflictDoNothing: ['run_id', 'line'],
      });
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
      await collection.writePrepared(
        prepared,
        async (trx, answers) => {
          for (const [i, a] of answers.entries()) {
            if (a.status === 200) next.unchanged++;
            else {
              const type = submissions[i]!.type;
              next.collected[type] = (next.collected[type] ?? 0) + 1;
            }
          }
          await finish(trx);
        },
        afterRows,
      );
    else {
      await inTurn();
      await ctx.store.db.transaction().execute(finish);
    }
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

/** A batch's transaction rolled back because the batch before it failed: written again after it. */
class OutOfTurn extends Error {
  constructor() {
    super('The batch before this one failed: written again after it');
  }
}

/** A rule of the write path refused the batch as a whole (VOW_IMPORT_BUSY stops the run instead). */
function isRefusal(err: unknown): err is VowError {
  return isVowError(err) && err.code !== 'VOW_IMPORT_BUSY';
}

/** A refusal's words for a rule the write path applied (its own messages never hold a value). */
function refusalReason(code: string, message: string): string {
  if (code === 'VOW_UNDER_13') return 'a person known to be under 13: nothing of the row is kept (P14)';
  return message.slice(0, 300);
}
