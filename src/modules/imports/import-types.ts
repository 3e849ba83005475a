// What `vow import` and POST /v1/imports take and answer: options, counts, refusals and reports.
import type { ActorType } from '../../platform/audit/index.js';

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
  readonly format: string;
  readonly dryRun?: boolean | undefined;
  readonly actor?: { readonly type: ActorType; readonly id?: string | undefined };
  readonly onProgress?: ((p: ImportProgress) => void) | undefined;
  /** Each refused row as it is found (the CLI prints every one). */
  readonly onRefused?: ((r: RefusedRow) => void) | undefined;
  /** Units per transaction (default 1,000). */
  readonly batchSize?: number | undefined;
}

/** Test seams. */
export interface ImportHooks {
  /** Called inside each batch's transaction before it commits (a throw there = a crash). */
  readonly beforeCommit?: (batchNumber: number) => void | Promise<void>;
  /** Called when a batch (its first line) is prepared while the batch before it is being written. */
  readonly preparedAhead?: (line: number) => void;
  /** Called when a batch's transaction (its first line) begins while the one before it commits (PostgreSQL). */
  readonly beganAlongside?: (line: number) => void;
}

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

export const cloneCounts = (c: ImportCounts): ImportCounts => JSON.parse(JSON.stringify(c)) as ImportCounts;

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
