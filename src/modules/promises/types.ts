// What a promise check is and what it answers.

import type { DatasetService } from '../datasets/index.js';
import type { VowContext } from '../policy/index.js';

export type CheckStatus = 'kept' | 'broken' | 'not_checkable';

export interface Evidence {
  /** How many records break the promise. */
  readonly count: number;
  /** Ids of offending records (at most 20), never their personal values. */
  readonly ids: readonly string[];
  /** What was looked at, in one sentence. */
  readonly note: string;
}

export interface CheckResult {
  readonly promise: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly evidence: Evidence;
  /** For promises that cannot be checked on data: the tests that prove them. */
  readonly provenBy?: readonly string[];
}

export interface PromiseCheck {
  readonly promise: string;
  /** What this check looks for, shown next to the result. */
  readonly description: string;
  run(ctx: VowContext, deps: CheckDeps): Promise<Omit<Evidence, 'note'> & { note?: string }>;
}

/** Services some checks walk with (absent in a bare context: those checks then look at Vow's store only). */
export interface CheckDeps {
  readonly datasets?: DatasetService | undefined;
}

export const MAX_EVIDENCE_IDS = 20;

export function evidence(ids: readonly string[], note: string): Evidence {
  return { count: ids.length, ids: ids.slice(0, MAX_EVIDENCE_IDS), note };
}
