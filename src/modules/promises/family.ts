// The shape every family of checks shares: how it is run (per batch of people, over a stream, or
// whole), where its findings go, and the watermarks of incremental runs.
import type { VowContext } from '../policy/index.js';
import type { PersonBatch } from './person-batch.js';
import type { PolicyMap } from './policy-map.js';
import type { CheckDeps, RunMode, Violation } from './types.js';

/** A finding as stored: the violation and the unit re-checked as a whole. */
export interface Finding extends Violation {
  readonly scope: string;
}

export interface Sink {
  add(scope: string, violation: Violation): void;
  /**
   * Says a scope was checked whole in this run, so its earlier findings are replaced (people and
   * visitors of a batch are marked by the monitor itself).
   */
  checked(scope: string): void;
}

/** The scope of a family's findings on small tables read whole at every run. */
export const ALL = 'all';

/** Watermarks of incremental runs, read at the start and written with the results. */
export interface Marks {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export interface FamilyEnv {
  readonly ctx: VowContext;
  readonly map: PolicyMap;
  readonly mode: RunMode;
  readonly now: Date;
  readonly marks: Marks;
  readonly deps: CheckDeps;
  /** Rows written since the last run, by table (`row:<table>:<key>` journal entries); empty in a full sweep. */
  readonly rowRefs: ReadonlyMap<string, readonly string[]>;
  /**
   * The last sequence numbers of the append-only streams, read together at the start of the run (one
   * snapshot), so what one transaction wrote to two of them is read from both or from neither.
   */
  readonly bounds: Bounds;
}

export interface Bounds {
  readonly audit: number;
  readonly consent: number;
  readonly measurements: number;
}

/**
 * A family of checks derived from the policy and the annotations. A full sweep replaces all its
 * findings; an incremental run replaces those of the scopes it checked.
 * - `people`: per batch of people and visitors (every one in a full sweep, those written since the
 *   last run otherwise): a ref is re-checked whole. `full`, when given, does the same for everyone
 *   with table-wide queries instead of batches.
 * - `run`: once per run, for what is not a person's: small tables read whole (scope `all`), rows
 *   written since the last run (`row:<table>:<key>`), or an append-only stream read from its
 *   watermark (the audit trail: its findings stay until a full sweep, since what they record
 *   happened). It answers 'skipped' when it keeps its own schedule (retention, daily).
 */
export interface Family {
  readonly id: string;
  /** What it checks, in a few words (names it where no promise of the policy does). */
  readonly title: string;
  /** The promises it can break, each with what it checks (shown when the promise is kept). */
  covers(map: PolicyMap, deps: CheckDeps): Readonly<Record<string, string>>;
  people?(batch: PersonBatch, env: FamilyEnv, sink: Sink): Promise<void>;
  full?(env: FamilyEnv, sink: Sink): Promise<void>;
  run?(env: FamilyEnv, sink: Sink): Promise<'done' | 'skipped'>;
}

/** Runs `fn` over `items` in slices of `size` (IN lists stay small on both databases). */
export async function inSlices<T>(
  items: readonly T[],
  size: number,
  fn: (slice: T[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/** Parses a JSON column, or undefined when it is not JSON (a hand edit). */
export function parseJson<T>(text: string | null | undefined): T | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
