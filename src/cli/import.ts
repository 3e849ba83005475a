// `vow import FILE --format FORMAT [--dry-run]`: a shop's customers, orders or marketing lists from
// another system, through the imports service (the same behind POST /v1/imports). Every refused row
// is printed with its line and reason; progress goes to stderr: a bar on a terminal (rows, rate,
// ETA), a plain line every few seconds otherwise. The import runs in a worker thread with a capped
// heap (import-worker.ts): Node lets a process's heap grow far past what an import keeps alive, and
// a million rows peaked at 294 MiB of the 300 MB allowed in-process.
//
// Exit codes (docs/import.md): 0 when every row was taken; IMPORT_EXIT_REFUSED (3) when the run
// finished but rows were refused, dry run or not, so a script or CI notices; 1 when the run stopped
// (a file refused whole, a database or thread that failed), as every other command's failure.
import type { Command } from 'commander';
import type { ImportProgress, ImportReport } from '../modules/imports/index.js';
import { type ErrorCode, VowError } from '../platform/errors.js';
import type { counted as Counted } from '../platform/strings.js';
import { siblingModule, startModuleWorker } from '../platform/workers.js';
import type { ImportJob, ImportMessage } from './import-worker.js';

/**
 * The heap of the import's worker thread, in MB: its old generation, several times what an import
 * keeps alive, and its young one (100,000 rows: 287 MB of RSS in-process, 244 MB in the worker
 * with the first cap alone, 230 MB with both, 204 MB with a young generation of 8 MB but 7% slower).
 * The young generation is 48 MB, what V8 gives a process's main thread here (16 MB semi-spaces):
 * with 16 MB the worker collected it about twice as often (148 scavenges for 10,000 customers into
 * PostgreSQL against 78), for at most 32 MB more of resident memory.
 */
const IMPORT_HEAP_MB = { old: 128, young: 48 };

/**
 * The exit code of a run that finished with rows refused (counted in its report: a dry run's, a
 * resumed run's whole file, or a finished file's shown again). Not 1, which means the run stopped,
 * nor 2, which shells and many tools read as a usage error.
 */
export const IMPORT_EXIT_REFUSED = 3;

/** The command's exit code for a report: 0 when every row was taken, 3 when some were refused. */
export function importExitCode(report: Pick<ImportReport, 'counts'>): number {
  return report.counts.refused > 0 ? IMPORT_EXIT_REFUSED : 0;
}

/**
 * Runs an import in its worker thread: progress and refused rows are handed to the callbacks as
 * they come, the report is the answer, and a failure is thrown again here (a VowError keeps its code).
 */
export function importInWorker(
  job: ImportJob,
  on: { progress: (p: ImportProgress) => void; refused: (line: string) => void },
): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = startModuleWorker(siblingModule(import.meta.url, 'import-worker'), {
      workerData: job,
      resourceLimits: {
        maxOldGenerationSizeMb: IMPORT_HEAP_MB.old,
        maxYoungGenerationSizeMb: IMPORT_HEAP_MB.young,
      },
    });
    worker.on('message', (m: ImportMessage) => {
      if (m.type === 'progress') on.progress(m.progress);
      else if (m.type === 'refused')
        on.refused(`line ${m.refusal.line}: ${m.refusal.code} ${m.refusal.reason}`);
      else {
        settled = true;
        if (m.type === 'done') resolve(m.report);
        else if (m.error.vow && m.error.code)
          reject(new VowError(m.error.code as ErrorCode, m.error.message));
        else reject(new Error(`${m.error.code ?? m.error.name}: ${m.error.message}`));
      }
    });
    worker.once('error', (err) => {
      settled = true;
      reject(workerStopped(err));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(workerStopped(code));
    });
  });
}

/**
 * What the command says when the import's thread died instead of answering (out of its memory, or
 * exited): a message in words with a stable code, never a stack trace. What was committed stays.
 */
export function workerStopped(cause: Error | number): VowError {
  const again = 'The batches committed before stay; the same command continues after them.';
  if (typeof cause !== 'number' && (cause as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new VowError(
      'VOW_INTERNAL',
      `The import ran out of the memory its thread may use (${IMPORT_HEAP_MB.old} MB). ${again}`,
    );
  const how = typeof cause === 'number' ? `exit code ${cause}` : `${cause.name}: ${cause.message}`;
  return new VowError('VOW_INTERNAL', `The import stopped before it finished (${how}). ${again}`);
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The progress display: redraws one line on a TTY, else prints a line at most every 5 s. */
export function progressPrinter(
  stream: { isTTY?: boolean; write: (s: string) => unknown },
  now: () => number = Date.now,
): (p: ImportProgress) => void {
  let last = 0;
  return (p) => {
    const t = now();
    if (!stream.isTTY && t - last < 5000) return;
    last = t;
    const rate = p.elapsedMs > 0 ? (p.units * 1000) / p.elapsedMs : 0;
    const share = p.totalLines > 0 ? Math.min(1, p.line / p.totalLines) : 0;
    const eta = rate > 0 && share > 0 ? Math.round(((1 - share) * p.elapsedMs) / share / 1000) : undefined;
    const text = `${p.units.toLocaleString('en-US')} rows · line ${p.line}/${p.totalLines} · ${Math.round(rate).toLocaleString('en-US')} rows/s${eta === undefined ? '' : ` · ETA ${eta} s`}`;
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round(share * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}   `);
    } else stream.write(`${text}\n`);
  };
}

/** The report in words: what was (or would be) written, then the refused rows. */
export function formatReport(r: ImportReport, counted: typeof Counted): string {
  const c = r.counts;
  const would = r.dryRun ? 'would be ' : '';
  const were = (count: number) => (r.dryRun ? 'would be' : count === 1 ? 'was' : 'were');
  const lines = [
    `${r.fileName} (${r.format}, sha256 ${r.sha256.slice(0, 16)}…)${r.dryRun ? ': dry run, nothing written' : ''}`,
  ];
  if (r.alreadyImported) lines.push('Imported before (same content and format): nothing changed.');
  if (r.resumedFromLine > 0 && !r.dryRun) lines.push(`Resumed after line ${r.resumedFromLine}.`);
  lines.push(`${counted(c.units, 'row')} read.`);
  for (const [type, count] of Object.entries(c.collected))
    lines.push(`  ${count} ${were(count)} collected as ${type}`);
  if (c.unchanged > 0) lines.push(`  ${c.unchanged} already stored with the same body (unchanged)`);
  if (c.withdrawn.unsubscribed > 0)
    lines.push(
      `  ${counted(c.withdrawn.unsubscribed, 'unsubscribe')} ${would}recorded (permanent, P11; on the suppression list)`,
    );
  if (c.withdrawn.bounced > 0)
    lines.push(
      `  ${counted(c.withdrawn.bounced, 'bounced address', 'bounced addresses')} ${would}suppressed`,
    );
  if (c.ledgerEvents > 0)
    lines.push(`  ${counted(c.ledgerEvents, 'consent event')} for people already known`);
  if (c.optInsNotApplied > 0)
    lines.push(
      `  ${counted(c.optInsNotApplied, 'opt-in')} ${would}left out: the address or number had withdrawn (P11)`,
    );
  if (c.noted > 0)
    lines.push(`  ${counted(c.noted, 'row')} with nothing to write (e.g. "subscribed": no enrolment)`);
  lines.push(
    `  ${counted(c.refused, 'row')} refused${c.refused > 0 ? ` (each with its line and reason on stderr; exit code ${IMPORT_EXIT_REFUSED})` : ''}`,
  );
  return lines.join('\n');
}

/**
 * `formats` lists the import formats in `vow import --help`: the imports module holds them, and its
 * import costs about half a second, so main.ts loads it only when the command line names `import`
 * (without it the command is registered with an empty list that nothing shows).
 */
export function registerImportCommand(
  program: Command,
  io: Io,
  setExit: (code: number) => void,
  formats: readonly string[] = [],
): void {
  program
    .command('import')
    .argument(
      '<file>',
      'the export to import: UTF-8 CSV (comma, semicolon or tab separated), or NDJSON for --format ndjson',
    )
    .description(
      "Import a shop's customers, orders or marketing lists (Shopify, Mailchimp, Klaviyo, SMS opt-outs, Vow NDJSON); resumable, each row's source kept",
    )
    .requiredOption('-f, --format <format>', formats.join(', '))
    .option('--dry-run', 'read and check every row, print what would happen, write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { format: string; dryRun?: boolean; json?: boolean }) => {
      try {
        const report = await importInWorker(
          { file, format: opts.format, dryRun: opts.dryRun === true, refusals: !opts.json },
          { progress: progressPrinter(process.stderr), refused: io.err },
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (opts.json) io.out(JSON.stringify(report, null, 2));
        else {
          if (report.alreadyImported || report.resumedFromLine > 0)
            for (const r of report.refusals) io.err(`line ${r.line}: ${r.code} ${r.reason}`);
          const { counted } = await import('../platform/strings.js');
          io.out(formatReport(report, counted));
        }
        setExit(importExitCode(report));
      } catch (err) {
        setExit(1);
        throw err;
      }
    });
}
