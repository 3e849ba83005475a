// What a promise check is and what it answers: violations that name the table, the row, the rule
// broken and the values that break it (never a personal value), and per promise how many.
import type { AnchorStore } from '../../platform/audit/index.js';
import type { TableFate } from '../../platform/erasure/index.js';
import type { DatasetService } from '../datasets/index.js';

export type CheckStatus = 'kept' | 'broken' | 'not_checkable';

/** A value shown as evidence: ids, codes, states, categories, dates, counts. Never a personal value. */
export type Scalar = string | number | boolean | null;

/** One record that breaks one rule of one promise. */
export interface Violation {
  readonly promise: string;
  readonly table: string;
  /** The row's key (its primary key; `a/b` for a composite key). */
  readonly row: string;
  /** A stable id of the rule broken, e.g. `consent.state_equals_fold`. */
  readonly rule: string;
  /** Why, in one sentence, without a personal value. */
  readonly reason: string;
  readonly values: Readonly<Record<string, Scalar>>;
}

export interface Evidence {
  /** How many records break the promise. */
  readonly count: number;
  /** The first offending records as `table:row` (at most 20). */
  readonly ids: readonly string[];
  /** Kept: what was checked. Broken: each rule broken, with how many records. */
  readonly note: string;
  /** The first violations in full (at most 20). */
  readonly violations: readonly Violation[];
  /** How many records break each rule. */
  readonly byRule: Readonly<Record<string, number>>;
}

export interface CheckResult {
  /** The promise's id (`P6`), or `check:<family>` for a check the policy names no promise for. */
  readonly promise: string;
  readonly title: string;
  /**
   * Whether the row is a promise the policy declares. False on a `check:<family>` row: breaks a
   * check files under numbers the policy leaves out (src/modules/promises/unpromised.ts).
   */
  readonly declared: boolean;
  readonly status: CheckStatus;
  readonly evidence: Evidence;
  /** For promises that cannot be checked on data: the tests that prove them. */
  readonly provenBy?: readonly string[];
}

export type RunMode = 'full' | 'incremental';

/** What one run did, besides the results. */
export interface RunSummary {
  readonly runId: string;
  readonly mode: RunMode;
  readonly startedAt: string;
  readonly durationMs: number;
  /** People, visitors and rows checked (incremental), or every one (full). */
  readonly scopes: number;
  readonly results: readonly CheckResult[];
  /** Promises broken now that were not broken after the previous run. */
  readonly newlyBroken: readonly string[];
  /** Promises kept now that were broken after the previous run. */
  readonly recovered: readonly string[];
}

/** The erasure registry's declarations, as the checks read them. */
export interface DeclaredTable {
  readonly table: string;
  readonly owner: string;
  readonly fate: TableFate;
}

/** Services the checks read with (absent in a bare context: those checks then look at less). */
export interface CheckDeps {
  /** The annotated datasets (Vow's own `vow` annotation, and the retailer's databases). */
  readonly datasets?: DatasetService | undefined;
  /** Every table of the store with the fate of a person's rows (services.erasure.tables()). */
  readonly tables?: (() => readonly DeclaredTable[]) | undefined;
  /** Where audit anchors are kept outside the database. */
  readonly anchors?: AnchorStore | undefined;
}

export const MAX_EVIDENCE = 20;
