// What every collection point's code produces: a plan of one collection (its people, how its row
// is written), checked before anything is stored and written by one path (write-batch.ts). Also the
// answers of the collection endpoints and what the module needs of the consent module.
import type { Insertable, Transaction } from 'kysely';
import type { Database, InsertSet } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import type { IndexedIdentifier, SubjectLink, SubjectService } from '../subjects/index.js';
import type { FormBody } from './form-schema.js';
import type {
  CatalogRequestBody,
  ContestEntryBody,
  InboundMessageBody,
  OrderBody,
  RegistrationBody,
  SmsSignupBody,
} from './schemas.js';
import type { CollectionTables } from './tables.js';

/** What the collection module needs of the consent module (src/consent: ConsentService). */
export interface ConsentRecorder {
  /** The consent rules applied to a batch of collections, in order, inside their transaction. */
  recordCollections(
    trx: Transaction<Database>,
    inputs: readonly {
      readonly subjectId: string;
      readonly collectionPoint: string;
      readonly optIns: readonly string[];
      readonly at: Date;
      readonly kinds: readonly string[];
      readonly recordId: string;
      /** Where an imported collection came from (file, its SHA-256, row), kept in the events' details. */
      readonly evidence?: Readonly<Record<string, unknown>>;
      /** The person was created by this transaction (no stored consent state to lock or read). */
      readonly newPerson?: boolean;
      /** The identifiers this collection wrote for the person (answers `readAhead`'s question). */
      readonly identifiers?: readonly { readonly kind: string; readonly blindIndex: string }[];
    }[],
    ahead?: object,
  ): Promise<unknown>;
  /**
   * Before the batch's people and records are written with `set`: adds what recordCollections
   * would read after them for the people the batch creates (whose identifiers are on the
   * suppression list) to the set, and returns it to pass to recordCollections (undefined: it reads
   * after the rows). `identifiers`: every identifier of the new people; `written`: every identifier
   * of the batch (their locks are taken first, so that a withdrawal of one waits for the batch).
   */
  readAhead?(
    trx: Transaction<Database>,
    set: InsertSet,
    identifiers: readonly { readonly kind: string; readonly blindIndex: string }[],
    written?: readonly { readonly kind: string; readonly blindIndex: string }[],
  ): object | undefined;
}

export interface Collected {
  readonly id: string;
  readonly subjectId: string;
}

export interface OrderCollected extends Collected {
  readonly giftRecipientSubjectId?: string;
}

/** The answer of a collection endpoint: 201 when stored, 200 when an idempotent replay. */
export interface CollectionResult<T extends Collected = Collected> {
  readonly status: 200 | 201;
  readonly body: T;
  /** True when this is the kept first answer to an Idempotency-Key, given again. */
  readonly replayed?: boolean;
}

/** Runs inside the batch's transaction once its rows are written, with the batch's answers. */
export type OnWritten = (
  trx: Transaction<Database>,
  results: readonly CollectionResult<OrderCollected>[],
) => Promise<void>;

/**
 * One submission to a built-in collection point, already validated by its endpoint's schema (the
 * caller's job: `orderSchema`, `registrationSchema(policy)`, ...). `collectedAt`
 * (default: now) is when the data came in, for imports of past collections; it dates the record,
 * the person's links and the consent events.
 */
export type Submission = {
  readonly collectedAt?: Date;
  /** An imported collection's source (file name, SHA-256, row): ids only, kept as ledger evidence. */
  readonly evidence?: Readonly<Record<string, unknown>>;
} & (
  | { readonly type: 'order'; readonly body: OrderBody }
  | { readonly type: 'registration'; readonly body: RegistrationBody }
  | { readonly type: 'contest_entry'; readonly body: ContestEntryBody }
  | { readonly type: 'catalog_request'; readonly body: CatalogRequestBody }
  | { readonly type: 'sms_signup'; readonly body: SmsSignupBody }
  | { readonly type: 'inbound_message'; readonly body: InboundMessageBody }
);

/** One submission to a form the policy declares (typed fields), validated by `formSchema`. */
export interface FormSubmission {
  readonly type: 'form';
  readonly point: string;
  readonly body: FormBody;
  readonly collectedAt?: Date;
  readonly evidence?: Readonly<Record<string, unknown>>;
}

/** A submission to any collection point: a built-in one or a declared form. */
export type AnySubmission = Submission | FormSubmission;

export interface BatchCollected {
  /** One answer per submission, in order (an order already recorded with the same body: 200). */
  readonly results: readonly CollectionResult<OrderCollected>[];
  /** The people the batch created (everyone else was found again). */
  readonly newSubjectIds: readonly string[];
}

/** One person of one collection: found by their identifiers, linked under their kind. */
export interface Party {
  readonly identifiers: readonly IndexedIdentifier[];
  readonly kind: string;
  readonly fields: SubjectLink['fields'];
  /** Channels the person explicitly ticked on the form. */
  readonly optIns: readonly string[];
  /** One value sealed whole under this person's key into the record's own row (a name...), if any. */
  readonly sealed?: unknown;
  /** Values sealed one by one under this person's key (a declared form's fields), by field. */
  readonly sealedEach?: Readonly<Record<string, string>>;
  /** A gift recipient: the buyer (the first party) when they share an email or phone. */
  readonly maybeFirstParty?: boolean;
}

/** What the write path hands a plan's `insert`, once the people are known and the values sealed. */
export interface RecordToInsert {
  readonly id: string;
  readonly at: string;
  /** Per party, in order. */
  readonly subjectIds: readonly string[];
  readonly sealed: readonly (string | null)[];
  readonly sealedEach: readonly Readonly<Record<string, string>>[];
}

/** One collection, checked and ready to write: its people and how its row is written. */
export interface Plan {
  readonly point: string;
  readonly recordType: string;
  readonly at: Date;
  readonly parties: readonly [Party, ...Party[]];
  /** An order: idempotent on the shop's order id (same body: the first answer again). */
  readonly order?: { readonly shopOrderId: string; readonly requestHash: string };
  /** An imported collection's source, handed to the consent rules as evidence. */
  readonly evidence?: Readonly<Record<string, unknown>>;
  /** The rows of the collection's own tables (written by the write path, many plans at once). */
  readonly rows: (rec: RecordToInsert) => readonly PlanRow[];
}

/** One row of one of the collection module's own tables. */
export type PlanRow = {
  [T in keyof CollectionTables]: { readonly table: T; readonly values: Insertable<CollectionTables[T]> };
}[keyof CollectionTables];

/** What planning a collection needs: the context (policy, clock, vault) and the subjects module. */
export interface PlanDeps {
  readonly ctx: VowContext;
  readonly subjects: SubjectService;
}
