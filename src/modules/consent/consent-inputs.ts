// What callers hand the consent service: a collection to apply the policy's channel rules to, the
// cause of a change, a banner or preference-centre choice, one change of one channel.
import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import type { Database } from '../../platform/store/index.js';
import type { CauseType, ConsentEventType } from './ledger.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface RecordCollectionInput {
  readonly subjectId: string;
  readonly collectionPoint: string;
  /** Channel ids the person explicitly ticked on the form (e.g. ['account_updates']). */
  readonly optIns: readonly string[];
  readonly at: Date;
  /**
   * The subject kinds this collection stored the person under. When omitted, the kinds are read
   * from the identifiers this collection point stored for the person (subject_identifiers).
   */
  readonly kinds?: readonly string[];
  /** The stored record (order, entry...) the collection created, kept as the event's cause. */
  readonly recordId?: string;
  /** An imported collection's source (file name, SHA-256, row), kept in each event's details. */
  readonly evidence?: Readonly<Record<string, unknown>>;
  /**
   * The person was created by the caller's own transaction (a new subject id, not yet committed):
   * they have no stored consent state and no other transaction can name them, so `recordCollections`
   * neither locks nor reads their states (two statements a batch fewer on PostgreSQL when every
   * person is new). Their suppressions are still read: a new person's address may be on the list.
   */
  readonly newPerson?: boolean;
  /**
   * The identifiers this collection wrote for the person, by keyed hash: with a SuppressionsAhead
   * (the suppression list read with the batch's rows), whether the person is on the list is
   * answered from them instead of a read after the rows.
   */
  readonly identifiers?: readonly { readonly kind: string; readonly blindIndex: string }[];
}

export interface ConsentCause {
  readonly type: CauseType;
  readonly ref?: string | undefined;
  readonly staffId?: string | undefined;
}

/** What a multi-channel choice appends: one event per channel, and the audit entry for the choice. */
export interface PlannedChoice {
  readonly changes: readonly {
    readonly channel: string;
    readonly event: ConsentEventType;
    readonly cause: ConsentCause;
    readonly details?: Readonly<Record<string, unknown>>;
  }[];
  readonly audit: AuditEntry;
}

export interface ConsentChange {
  readonly subjectRef: string;
  readonly channel: string;
  readonly event: ConsentEventType;
  readonly cause: ConsentCause;
  readonly at?: Date;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Why, for the audit trail (no personal values). */
  readonly reason?: string;
}

/** Reads the kinds a collection point stored a person under, inside the caller's transaction. */
export type KindsAt = (trx: Executor, subjectId: string, collectionPoint: string) => Promise<string[]>;
