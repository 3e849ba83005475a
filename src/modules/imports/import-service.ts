// `vow import` and POST /v1/imports: a file of another system's customers, orders or marketing lists
// brought in through Vow's own write paths. Collections go through the collection module
// (`collectAll`: the same checks, rows, consent rules and audit as the endpoints, many per
// transaction); opt-outs through the consent module (suppression list + ledger). Each fact carries
// its source (file name, SHA-256, row) as evidence in the consent ledger.
//
// A run is keyed by the file's SHA-256 and format. Each batch's writes, its refused rows and the
// run's checkpoint (the last line done) are committed in ONE transaction, so a run stopped anywhere
// (a crash, SIGKILL) continues after its last committed line when started again: nothing lost,
// nothing twice. A finished file run again changes nothing.
import { basename } from 'node:path';
import type { Transaction } from 'kysely';
import type { ActorType } from '../../platform/audit/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { AnySubmission, CollectionService } from '../collection/index.js';
import {
  type ConsentService,
  channelsOfMedium,
  recordImportedWithdrawal,
  withdrawnIdentifiers,
} from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import { importFormat } from './formats/index.js';
import type { Fact, Unit } from './formats/types.js';
import { readRecords, scanFile, withSpooledFile } from './read-file.js';

export interface ImportCounts {
  /** Units read: rows, or orders for shopify-orders. */
  units: number;
  /** Collections stored, by type (registration, order, sms_signup, ...). */
  collected: Record<string, number>;
  /** Orders already stored with the same body (answered as a replay, nothing written). */
  unchanged: number;
  /** Imported opt-outs, by kind: unsubscribed (P11) or bounced. */
  withdrawn: { unsubscribed: number; bounced: number };
  /** Ledger events those opt-outs appended for people Vow already held. */
  ledgerEvents: number;
  /** Imported opt-ins not applied: the address or number had withdrawn (an old flag is no new request, P11). */
  optInsNotApplied: number;
  /** Rows read with nothing to write (a list's "subscribed": the policy enrolls nobody from a list). */
  noted: number;
  refused: number;
}

export interface RefusedRow {
  readonly line: number;
  readonly code: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly runId: string | null;
  readonly format: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly dryRun: boolean;
  /** The run continued from an earlier run's checkpoint. */
  readonly resumedFromLine: number;
  /** The file was imported before: nothing changed. */
  readonly alreadyImported: boolean;
  readonly counts: ImportCounts;
  /** The refused rows (the first 1,000; `refusals(runId)` pages through all of them). */
  readonly refusals: RefusedRow[];
  readonly elapsedMs: number;
}

export interface ImportProgress {
  readonly line: number;
  readonly totalLines: number;
  readonly units: number;
  readonly elapsedMs: number;
}

export interface ImportOptions {
  readonly file: string;
  /** The name reported and kept as evidence (default: the file's base name). */
  readonly fileName?: string | undefined;
  readonly format: string;
  readonly dryRun?: boolean | undefined;
  readonly actor?: { readonly type: ActorType; readonly id?: string | undefined };
  readonly onProgress?: ((p: ImportProgress) => void) | undefined;
  /** Each refused row as it is found (the CLI prints every one). */
  readonly onRefused?: ((r: RefusedRow) => void) | undefined;
  /** Units per transaction (default 1,000). */
  readonly batchSize?: number | undefined;
}

/** Test seam: called inside each batch's transaction before it commits (a throw there = a crash). */
export interface ImportHooks {
  readonly beforeCommit?: (batchNumber: number) => void | Promise<void>;
}

const REPORTED = 1000;

export const zeroCounts = (): ImportCounts => ({
  units: 0,
  collected: {},
  unchanged: 0,
  withdrawn: { unsubscribed: 0, bounced: 0 },
  ledgerEvents: 0,
  optInsNotApplied: 0,
  noted: 0,
  refused: 0,
});

const cloneCounts = (c: ImportCounts): ImportCounts => JSON.parse(JSON.stringify(c)) as ImportCounts;

/** Never a personal value: a run's counts by file, for the runs list. */
export interface ImportRunView {
  readonly id: string;
  readonly format: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly status: string;
  readonly checkpointLine: number;
  readonly counts: ImportCounts;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export class ImportService {
  readonly #ctx: VowContext;
  readonly #collection: CollectionService;
  readonly #consent: ConsentService;
  readonly #hooks: ImportHooks;

  constructor(
    ctx: VowContext,
    collection: CollectionService,
    consent: ConsentService,
    hooks: ImportHooks = {},
  ) {
    this.#ctx = ctx;
    this.#collection = collection;
    this.#consent = consent;
    this.#hooks = hooks;
  }

  async run(opts: ImportOptions): Promise<ImportReport> {
    const started = performance.now();
    const format = importFormat(opts.format);
    const scan = await scanFile(opts.file);
    const fileName = basename(opts.fileName ?? opts.file).slice(0, 200);
    const env = { policy: this.#ctx.policy, now: this.#ctx.clock.now() };
    const existing = await this.#ctx.store.db
      .selectFrom('import_runs')
      .selectAll()
      .where('file_sha256', '=', scan.sha256)
      .where('format', '=', format.id)
      .executeTakeFirst();
    const base = { format: format.id, fileName, sha256: scan.sha256, dryRun: opts.dryRun === true };
    const elapsed = () => Math.round(performance.now() - started);
    if (existing?.status === 'done')
      return {
        ...base,
        runId: existing.id,
        resumedFromLine: 0,
        alreadyImported: true,
        counts: JSON.parse(existing.counts) as ImportCounts,
        refusals: await this.refusals(existing.id),
        elapsedMs: elapsed(),
      };
    const progress = (line: number, units: number) =>
      opts.onProgress?.({ line, totalLines: scan.lines, units, elapsedMs: elapsed() });
    const refusals: RefusedRow[] = [];
    const refuse = (r: RefusedRow) => {
      if (refusals.length < REPORTED) refusals.push(r);
      opts.onRefused?.(r);
    };

    if (opts.dryRun) {
      const counts = zeroCounts();
      let pending: Unit[] = [];
      const count = async () => {
        for (const unit of await this.#guardOptIns(pending, counts)) tally(counts, unit);
        pending = [];
      };
      for await (const unit of format.units(readRecords(opts.file, format), env)) {
        counts.units++;
        if ('refused' in unit) {
          counts.refused++;
          refuse({ line: unit.line, ...unit.refused });
        } else pending.push(unit);
        if (pending.length >= 2000) await count();
        if (counts.units % 10_000 === 0) progress(unit.lastLine, counts.units);
      }
      await count();
      return {
        ...base,
        runId: existing?.id ?? null,
        resumedFromLine: existing?.checkpoint_line ?? 0,
        alreadyImported: false,
        counts,
        refusals,
        elapsedMs: elapsed(),
      };
    }

    const run = existing ?? (await this.#start(scan.sha256, format.id, fileName));
    const checkpoint = run.checkpoint_line;
    let done = checkpoint;
    let counts = JSON.parse(run.counts) as ImportCounts;
    const evidence = (line: number) => ({ file: fileName, sha256: scan.sha256, row: line });
    let batches = 0;

    /** One batch in one transaction: collections, then opt-outs, refusals and the checkpoint. */
    const write = async (given: readonly Unit[]) => {
      const next = cloneCounts(counts);
      const batch = await this.#guardOptIns(given, next);
      const submissions: AnySubmission[] = [];
      for (const unit of batch)
        if ('facts' in unit)
          for (const f of unit.facts)
            if (f.kind === 'collect') submissions.push({ ...f.submission, evidence: evidence(unit.line) });
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
            const out = await recordImportedWithdrawal(this.#ctx, this.#consent, trx, {
              ...f.withdrawal,
              evidence: evidence(unit.line),
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
            checkpoint_line: batch[batch.length - 1]!.lastLine,
            counts: JSON.stringify(next),
            updated_at: this.#ctx.clock.now().toISOString(),
          })
          .where('id', '=', run.id)
          .where('checkpoint_line', '=', done)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1)
          throw new VowError('VOW_IMPORT_BUSY', 'Another run of this file is importing it now');
        await this.#hooks.beforeCommit?.(++batches);
      };
      if (submissions.length > 0) {
        const { results } = await this.#collection.collectAll(submissions, async (trx, answers) => {
          for (const [i, a] of answers.entries()) {
            if (a.status === 200) next.unchanged++;
            else {
              const type = submissions[i]!.type;
              next.collected[type] = (next.collected[type] ?? 0) + 1;
            }
          }
          await finish(trx);
        });
        void results;
      } else await this.#ctx.store.db.transaction().execute(finish);
      counts = next;
      done = batch[batch.length - 1]!.lastLine;
      for (const unit of batch) if ('refused' in unit) refuse({ line: unit.line, ...unit.refused });
    };

    /** A batch a rule refused as a whole (under 13 marked by staff, an order id with another body): unit by unit. */
    const flush = async (batch: readonly Unit[]) => {
      if (batch.length === 0) return;
      try {
        await write(batch);
      } catch (err) {
        if (!isVowError(err) || err.code === 'VOW_IMPORT_BUSY') throw err;
        if (batch.length > 1) {
          for (const unit of batch) await flush([unit]);
          return;
        }
        const unit = batch[0]!;
        await write([
          {
            line: unit.line,
            lastLine: unit.lastLine,
            refused: { code: err.code, reason: refusalReason(err.code, err.message) },
          },
        ]);
      }
      progress(batch[batch.length - 1]!.lastLine, counts.units);
    };

    const size = opts.batchSize ?? 1000;
    let batch: Unit[] = [];
    let withdrawals = false;
    for await (const unit of format.units(readRecords(opts.file, format), env)) {
      if (unit.lastLine <= checkpoint) continue;
      const facts = 'facts' in unit ? unit.facts : [];
      // Collections are written before a batch's opt-outs: keep the file's order across the two.
      if (withdrawals && facts.some((f) => f.kind === 'collect')) {
        await flush(batch);
        batch = [];
        withdrawals = false;
      }
      batch.push(unit);
      if (facts.some((f) => f.kind === 'withdraw')) withdrawals = true;
      if (batch.length >= size) {
        await flush(batch);
        batch = [];
        withdrawals = false;
      }
    }
    await flush(batch);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('import_runs')
        .set({ status: 'done', finished_at: this.#ctx.clock.now().toISOString() })
        .where('id', '=', run.id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: opts.actor ?? { type: 'system' },
          action: 'import.completed',
          target: { type: 'import_run', id: run.id },
          reason: 'A file of customers, orders or marketing lists was brought in (vow import)',
          details: { format: format.id, units: counts.units, refused: counts.refused },
        },
        trx,
      );
    });
    return {
      ...base,
      runId: run.id,
      resumedFromLine: checkpoint,
      alreadyImported: false,
      counts,
      refusals: checkpoint > 0 ? await this.refusals(run.id) : refusals,
      elapsedMs: elapsed(),
    };
  }

  /**
   * An import from a stream (the HTTP endpoint's body): spooled to a private temporary file first
   * (its SHA-256 is the run's identity and must be known before the first row is written), then
   * imported as a file; the copy is removed whatever happens.
   */
  async runStream(body: NodeJS.ReadableStream, opts: Omit<ImportOptions, 'file'>): Promise<ImportReport> {
    return withSpooledFile(body, (file) => this.run({ ...opts, file }));
  }

  /**
   * An imported opt-in (a registration's catalog box, an SMS sign-up) for an address or number that
   * has withdrawn is not applied: an export's old "accepts marketing" flag is not the new request
   * P11 asks for. The registration is kept without its box; the SMS sign-up (nothing but the
   * opt-in) is left out. Contest entries and catalog requests are the acts P11 names: the policy's
   * own rules apply to them. A batch's identifiers are looked up together.
   */
  async #guardOptIns(units: readonly Unit[], counts: ImportCounts): Promise<Unit[]> {
    const policy = this.#ctx.policy;
    const emails: { kind: 'email'; value: string }[] = [];
    const phones: { kind: 'phone'; value: string; country?: string | undefined }[] = [];
    for (const unit of units)
      if ('facts' in unit)
        for (const f of unit.facts) {
          if (f.kind !== 'collect') continue;
          const s = f.submission;
          if (s.type === 'registration' && s.body.catalog_opt_in === true)
            emails.push({ kind: 'email', value: s.body.email });
          if (s.type === 'sms_signup')
            phones.push({ kind: 'phone', value: s.body.phone, country: s.body.country });
        }
    const registrationChannels = Object.keys(policy.doc.channels).filter((c) =>
      policy.doc.channels[c]!.granted_by.includes('registration'),
    );
    const emailOff = await withdrawnIdentifiers(this.#ctx, emails, registrationChannels);
    const phoneOff = await withdrawnIdentifiers(this.#ctx, phones, channelsOfMedium(policy, 'phone'));
    let email = 0;
    let phone = 0;
    return units.map((unit) => {
      if (!('facts' in unit)) return unit;
      const facts: Fact[] = [];
      for (const f of unit.facts) {
        const s = f.kind === 'collect' ? f.submission : undefined;
        if (s?.type === 'registration' && s.body.catalog_opt_in === true && emailOff.has(email++)) {
          counts.optInsNotApplied++;
          facts.push({ kind: 'collect', submission: { ...s, body: { ...s.body, catalog_opt_in: false } } });
          continue;
        }
        if (s?.type === 'sms_signup' && phoneOff.has(phone++)) {
          counts.optInsNotApplied++;
          continue;
        }
        facts.push(f);
      }
      return { line: unit.line, lastLine: unit.lastLine, facts };
    });
  }

  async #start(sha256: string, format: string, fileName: string) {
    const now = this.#ctx.clock.now().toISOString();
    const row = {
      id: this.#ctx.random.uuid(),
      file_sha256: sha256,
      format,
      file_name: fileName,
      status: 'running',
      checkpoint_line: 0,
      counts: JSON.stringify(zeroCounts()),
      started_at: now,
      updated_at: now,
      finished_at: null,
    };
    await this.#ctx.store.db
      .insertInto('import_runs')
      .values(row)
      .onConflict((oc) => oc.columns(['file_sha256', 'format']).doNothing())
      .execute();
    // Another run of the same file may have started first: go on from its row (its checkpoint
    // guards every batch, so the two never write the same rows).
    return this.#ctx.store.db
      .selectFrom('import_runs')
      .selectAll()
      .where('file_sha256', '=', sha256)
      .where('format', '=', format)
      .executeTakeFirstOrThrow();
  }

  /** A run's refused rows in line order, a page at a time. */
  async refusals(runId: string, after = 0, limit = REPORTED): Promise<RefusedRow[]> {
    const run = await this.#ctx.store.db
      .selectFrom('import_runs')
      .select('id')
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run) throw new VowError('VOW_IMPORT_NOT_FOUND', 'No import run has this id');
    return this.#ctx.store.db
      .selectFrom('import_refusals')
      .select(['line', 'code', 'reason'])
      .where('run_id', '=', runId)
      .where('line', '>', after)
      .orderBy('line')
      .limit(limit)
      .execute();
  }

  /** Every run, newest first (for the report of what was imported when). */
  async runs(): Promise<ImportRunView[]> {
    const rows = await this.#ctx.store.db
      .selectFrom('import_runs')
      .selectAll()
      .orderBy('started_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      format: r.format,
      fileName: r.file_name,
      sha256: r.file_sha256,
      status: r.status,
      checkpointLine: r.checkpoint_line,
      counts: JSON.parse(r.counts) as ImportCounts,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
    }));
  }
}

/** What a dry run counts for a unit: what its facts would write. */
function tally(counts: ImportCounts, unit: Unit): void {
  if (!('facts' in unit)) return;
  for (const f of unit.facts) {
    if (f.kind === 'collect')
      counts.collected[f.submission.type] = (counts.collected[f.submission.type] ?? 0) + 1;
    else if (f.kind === 'withdraw') counts.withdrawn[f.withdrawal.why]++;
    else counts.noted++;
  }
}

/** A refusal's words for a rule the write path applied (its own messages never hold a value). */
function refusalReason(code: string, message: string): string {
  if (code === 'VOW_UNDER_13') return 'a person known to be under 13: nothing of the row is kept (P14)';
  return message.slice(0, 300);
}
