// What the rights module needs from other modules, as small interfaces: the subjects directory
// (who is this email?), the datasets walker (export, correct, delete one person everywhere) and
// the consent suppression list. services.ts connects the real ones; tests may connect fakes.
import type { Transaction } from 'kysely';
import type { IndexKind } from '../../platform/crypto/index.js';
import type { ErasureRegistry } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';
import type {
  CorrectOptions,
  DeleteOptions,
  PersonExport,
  PersonIdentity,
  WalkActor,
  WalkReport,
} from '../datasets/index.js';
import type { PostalAddress } from '../subjects/index.js';

export interface HeldIdentifier {
  readonly kind: 'email' | 'phone' | 'account' | 'address';
  /** Decrypted; null once the person's key was destroyed. Addresses as objects. */
  readonly value: unknown;
}

/** A postal address as the subjects module normalises it. */
export type PostalAddressInput = PostalAddress;

/** An identifier as a person gives it to be matched. */
export type HeldPoint =
  | { readonly kind: 'email' | 'phone' | 'account'; readonly value: string }
  | { readonly kind: 'address'; readonly value: PostalAddressInput };

export interface PersonDirectory {
  findByEmail(email: string): Promise<string | undefined>;
  findByPhone(phone: string): Promise<string | undefined>;
  findByAccount(accountId: string): Promise<string | undefined>;
  /** Postal address matching; optional (not every directory can). */
  findByAddress?(address: PostalAddressInput): Promise<string | undefined>;
  identifiers(subjectId: string): Promise<readonly HeldIdentifier[]>;
  /** Whether the person holds this identifier (a detail staff match when verifying; optional). */
  holds?(subjectId: string, point: HeldPoint): Promise<boolean>;
  /** Recomputes who finds the person after a correction changed an identifier (optional). */
  reindex?(subjectId: string): Promise<unknown>;
  /**
   * Applies a correction to the identifiers the walker cannot recompute (the postal address and its
   * keyed hash), then recomputes the look-ups (optional; `changed: 0` for other categories).
   */
  correctIdentifiers?(
    subjectId: string,
    correction: { readonly category: string; readonly value: string },
  ): Promise<{ changed: number }>;
}

export interface DataWalker {
  export(who: PersonIdentity, actor?: WalkActor): Promise<PersonExport>;
  delete(who: PersonIdentity, options?: DeleteOptions, actor?: WalkActor): Promise<WalkReport>;
  correct(who: PersonIdentity, options: CorrectOptions, actor?: WalkActor): Promise<WalkReport>;
}

/** The consent module's suppression list (P11). */
export interface Suppressor {
  /** Puts the identifiers on the list, all their locks taken at once and in order (a deletion's addresses). */
  suppressIdentifiers(
    db: Transaction<Database> | undefined,
    inputs: readonly { indexKind: IndexKind; blindIndex: string; channel?: string; reason: string }[],
  ): Promise<void>;
  /**
   * Withdraws the person from the channels the list covers for `identifiers` (the email or phone a
   * correction gave them), where they hold one now: `withdrawn` events, `details` added to each (ids
   * only). An address they held before changes nothing here.
   */
  applySuppressionList(
    db: Transaction<Database> | undefined,
    subjectId: string,
    identifiers: readonly { indexKind: IndexKind; blindIndex: string }[],
    details?: Readonly<Record<string, unknown>>,
  ): Promise<{ events: number }>;
}

/** What an access export needs to say what applies to this person (P20). */
export interface PersonFacts {
  /** Whether the policy lets this person's data of `category` be used for `purpose` now. */
  purposesApplying(subjectId: string): Promise<(category: string, purpose: string) => boolean>;
  /** Who received the person's data: the disclosure log (no values). */
  disclosures(subjectId: string): Promise<readonly ExportedDisclosure[]>;
}

export interface ExportedDisclosure {
  readonly recipient: string;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly disclosedAt: string;
}

/**
 * The limit on guessing emailed codes (the identity module's attempts store): one reservation per
 * code typed, per email address (whatever request or route the code is typed on) and client
 * address, taken before the code is checked; `succeeded()` gives it back.
 */
export type CodeGuard = (emailIndex: string, from: string) => Promise<{ succeeded(): Promise<void> }>;

/**
 * The recipients' side of a request (GDPR Art. 19): one task per system the policy names as a
 * recipient of the person's data (src/modules/downstream). The request is answered once no blocking
 * task is open; the port's owner calls RightsService.resume when the last one closes.
 */
export interface DownstreamPort {
  /** Opens the tasks (idempotent per request) in a transaction of its own, in which `within` runs too. */
  open(
    input: {
      requestId: string;
      kind: 'deletion' | 'correction' | 'restriction';
      subjectId: string | null;
      person: {
        emails: readonly string[];
        phones: readonly string[];
        /** Postal addresses, as objects (a correction's recipients find the person by them). */
        addresses?: readonly unknown[];
        /** A correction's new value: only recipients of its category receive it. */
        corrected?: { readonly category: string; readonly value: unknown };
      };
      scope: 'all' | readonly string[];
      /** Extra fields of the event (a correction's `category`), no personal value. */
      data?: Readonly<Record<string, unknown>>;
      /** Notices already in the mail outbox, by recipient id (they become those tasks' drafts). */
      notices?: Readonly<Record<string, string>> | undefined;
    },
    within?: (trx: Transaction<Database>, opened: { tasks: number; blocking: number }) => Promise<void>,
  ): Promise<{ tasks: number; blocking: number }>;
  /** Blocking tasks of the request still open. */
  pending(requestId: string): Promise<number>;
  /** Tells subscribed systems of a step without personal values (`deletion.completed`, `restriction.lifted`). */
  event(trx: Transaction<Database>, type: string, data: Readonly<Record<string, unknown>>): Promise<void>;
}

export interface RightsPorts {
  /** Downstream tasks per recipient system; absent: recipients are only mailed a notice. */
  downstream?: DownstreamPort | undefined;
  /** What applies to a person and who received their data, for access exports. */
  facts?: PersonFacts | undefined;
  directory?: PersonDirectory | undefined;
  /** Limits code guesses per email address across every request and route. */
  codeGuard?: CodeGuard | undefined;
  /**
   * Spends one message of the mail budget of the mailbox an address delivers to (by the keyed hashes
   * of the address as written and of its mailbox), shared with every route that mails it; throws
   * VOW_RATE_LIMITED once spent. Given `trx`, spent in it: the transaction that queues the mail, so a
   * crash before it commits spends nothing.
   */
  mailBudget?:
    | ((indexes: { address: string; mailbox: string }, trx?: Transaction<Database>) => Promise<void>)
    | undefined;
  /**
   * Whether two staff members are two people (neither issued the other's credentials, nor one
   * privacy officer both): an appeal is decided by someone independent of the refuser.
   */
  independent?: ((a: string, b: string) => Promise<boolean>) | undefined;
  /** The erasure registry: every part of Vow erases its own rows of the person (P22). */
  erasure?: ErasureRegistry | undefined;
  walker?: DataWalker | undefined;
  suppressor?: Suppressor | undefined;
}
