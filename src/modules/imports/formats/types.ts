// What a format makes of a file: units (a row, or the rows of one Shopify order), each either the
// facts to write or a refusal with its reason. Formats are pure: they read, validate and map.
import type { AnySubmission } from '../../collection/index.js';
import type { ImportedWithdrawal } from '../../consent/index.js';
import type { Policy } from '../../policy/index.js';

/** One fact an import writes: a collection (through the collection module) or an opt-out. */
export type Fact =
  | { readonly kind: 'collect'; readonly submission: AnySubmission }
  | { readonly kind: 'withdraw'; readonly withdrawal: Omit<ImportedWithdrawal, 'evidence'> }
  /** A row read and kept as is: nothing in it lets the policy write anything (e.g. "subscribed"). */
  | { readonly kind: 'note'; readonly note: string };

export interface Refusal {
  readonly code: string;
  /** Names fields and rules, never their values (kept in import_refusals, printed in reports). */
  readonly reason: string;
}

/** One unit of a file: from `line` to `lastLine` (a Shopify order spans its line items' rows). */
export type Unit = {
  readonly line: number;
  readonly lastLine: number;
} & ({ readonly facts: readonly Fact[] } | { readonly refused: Refusal });

/** One CSV record by its header's column names, or one NDJSON line parsed. */
export interface SourceRecord {
  /** The file's line the record starts on (1: the first line, a CSV's header). */
  readonly line: number;
  /** The line it ends on: the same, unless a quoted value holds line breaks. */
  readonly lastLine: number;
  readonly value: Readonly<Record<string, string>> | unknown;
  /** A record the parser could not read (a stray quote, a wrong column count). */
  readonly malformed?: string;
}

export interface FormatEnv {
  readonly policy: Policy;
  readonly now: Date;
}

export interface ImportFormat {
  readonly id: string;
  readonly syntax: 'csv' | 'ndjson';
  /** Columns the header must hold (any one name of each list). */
  readonly required?: readonly (readonly string[])[];
  units(records: AsyncIterable<SourceRecord>, env: FormatEnv): AsyncIterable<Unit>;
}
