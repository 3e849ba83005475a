// `vow import` and POST /v1/imports: a file of another system's customers, orders or marketing lists
// brought in through Vow's own write paths. Collections go through the collection module (its
// `prepare` and `writePrepared`: the same checks, rows, consent rules and audit as the endpoints,
// many per transaction); opt-outs through the consent module (suppression list + ledger). Each fact carries
// its source (file name, SHA-256, row) as evidence in the consent ledger.
//
// A run is keyed by the file's SHA-256 and format; its batches are written by batch-writer.ts (one
// transaction each, with the run's checkpoint, so a run stopped anywhere continues after its last
// committed line when started again; the next batch prepared while one is written). A finished file
// run again changes nothing.
import type { Selectable } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { CollectionService } from '../collection/index.js';
import type { ConsentService } from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import { RunWriter } from './batch-writer.js';
import { importFormat } from './formats/index.js';
import type { Unit } from './formats/types.js';
import {
  type ImportCounts,
  type ImportHooks,
  type ImportOptions,
  type ImportReport,
  type ImportRunView,
  type RefusedRow,
  zeroCounts,
} from './import-types.js';
import { guardOptIns } from './opt-in-guard.js';
import { checkHeader, LINE_NUMBERING, type LineNumbering, readRecords, scanFile } from './read-file.js';
import { removeLeftoverUploads, withSpooledFile } from './spool.js';
import type { ImportsTables } from './tables.js';

const REPORTED = 1000;

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
    const scan = await scanFile(opts.file, format.syntax);
    // A file refused whole leaves no trace: not even a run that would show as unfinished.
    await checkHeader(opts.file, format);
    const fileName = runName(format.id, scan.sha256);
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
        for (const unit of await guardOptIns(this.#ctx, pending, counts)) tally(counts, unit);
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
    const writer = new RunWriter(
      { ctx: this.#ctx, collection: this.#collection, consent: this.#consent, hooks: this.#hooks },
      {
        id: run.id,
        checkpointLine: checkpoint,
        counts: JSON.parse(run.counts) as ImportCounts,
        evidence: (line) => ({ file: fileName, sha256: scan.sha256, row: line }),
        refuse,
        progress,
      },
    );
    const size = opts.batchSize ?? 1000;
    let batch: Unit[] = [];
    let withdrawals = false;
    try {
      const numbering: LineNumbering = run.line_numbering === 1 ? 1 : 2;
      for await (const unit of format.units(readRecords(opts.file, format, numbering), env)) {
        if (unit.lastLine <= checkpoint) continue;
        const facts = 'facts' in unit ? unit.facts : [];
        // Collections are written before a batch's opt-outs: keep the file's order across the two.
        if (withdrawals && facts.some((f) => f.kind === 'collect')) {
          await writer.submit(batch);
          batch = [];
          withdrawals = false;
        }
        batch.push(unit);
        if (facts.some((f) => f.kind === 'withdraw')) withdrawals = true;
        if (batch.length >= size) {
          await writer.submit(batch);
          batch = [];
          withdrawals = false;
        }
      }
      await writer.submit(batch);
    } finally {
      // Never leave a batch being written behind (a file that cannot be read further, say).
      await writer.settle();
    }
    await writer.finish();
    const counts = writer.counts;
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
   * An import from a stream (the HTTP endpoint's body): spooled to a private file under the data
   * folder first (its SHA-256 is the run's identity and must be known before the first row is
   * written), then imported as a file; the copy is removed whatever happens (spool.ts).
   */
  async runStream(body: NodeJS.ReadableStream, opts: Omit<ImportOptions, 'file'>): Promise<ImportReport> {
    return withSpooledFile(
      this.#ctx.config.dataDir,
      body,
      (file) => this.run({ ...opts, file }),
      this.#ctx.config.importMaxBytes,
    );
  }

  /**
   * Removes the uploads spooled by processes killed during an import (each holds a whole customer
   * file); `vow serve` calls it as it starts, before it serves an upload. Returns how many.
   */
  removeLeftoverUploads(): Promise<number> {
    return removeLeftoverUploads(this.#ctx.config.dataDir);
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
      line_numbering: LINE_NUMBERING,
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
    return rows.map(runView);
  }

  /** One run (VOW_IMPORT_NOT_FOUND when no run has the id). */
  async findRun(id: string): Promise<ImportRunView> {
    const row = await this.#ctx.store.db
      .selectFrom('import_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new VowError('VOW_IMPORT_NOT_FOUND', 'No import run has this id');
    return runView(row);
  }
}

/**
 * The name a run is known by, in its report, the console and each fact's evidence: made by Vow from
 * the format and the file's SHA-256, never the name the file was given. A file named after a person
 * ("jane-doe-contacts.csv") kept that name in the run and in the consent ledger's evidence of
 * everyone it brought in, which a deletion of that person cannot reach (the ledger is kept).
 * Staff match a run to their file by its SHA-256 (`sha256sum`, `Get-FileHash`).
 */
export function runName(format: string, sha256: string): string {
  return `${format}-${sha256.slice(0, 12)}`;
}

function runView(r: Selectable<ImportsTables['import_runs']>): ImportRunView {
  return {
    id: r.id,
    format: r.format,
    fileName: r.file_name,
    sha256: r.file_sha256,
    status: r.status,
    checkpointLine: r.checkpoint_line,
    counts: JSON.parse(r.counts) as ImportCounts,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
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
