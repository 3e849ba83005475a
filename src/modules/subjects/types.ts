// What the subjects module speaks in: identifier kinds and how they are given, indexed and sealed, a
// person as identity resolution prepares them, the link from a record, and what the purge needs.
import type { Transaction } from 'kysely';
import type { Vault } from '../../platform/crypto/index.js';
import type { ErasureRegistry } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';
import type { PostalAddress } from './normalise.js';

export type IdentifierKind = 'email' | 'phone' | 'account' | 'address';

/** The data category an identifier kind holds. */
export const IDENTIFIER_CATEGORY: Readonly<Record<IdentifierKind, string>> = {
  email: 'contact.email',
  phone: 'contact.phone',
  address: 'contact.postal_address',
  account: 'account.profile',
};

/** One identifier as collected, already validated by the caller's schema. */
export type IdentifierInput =
  | { readonly kind: 'email'; readonly field: string; readonly value: string }
  | {
      readonly kind: 'phone';
      readonly field: string;
      readonly value: string;
      readonly defaultCountry?: string;
    }
  | { readonly kind: 'account'; readonly field: string; readonly value: string }
  | { readonly kind: 'address'; readonly field: string; readonly value: PostalAddress };

/** An identifier normalised and blind-indexed once: for the under-13 gate, the look-up and sealing. */
export interface IndexedIdentifier {
  readonly kind: IdentifierKind;
  readonly field: string;
  readonly blindIndex: string;
  /** What is sealed: the normalised value, or the address as given, in JSON. */
  readonly plain: string;
}

export interface PreparedIdentifier {
  readonly kind: IdentifierKind;
  readonly field: string;
  readonly blindIndex: string;
  readonly sealed: string;
}

/** One person of one collection to resolve: their identifiers, and maybe another person of the same form. */
export interface ResolutionRequest {
  readonly identifiers: readonly IndexedIdentifier[];
  /**
   * The index (in the same prepareAll call) of another person of the same form, an order's buyer:
   * when they share an email, phone or account id, this is that person.
   */
  readonly sameAs?: number;
}

/** A person found (or invented) for a collection, with their values sealed under their key. */
export interface PreparedIdentity {
  readonly subjectId: string;
  readonly isNew: boolean;
  /** The look-up that found the person (re-checked inside the transaction). */
  readonly foundBy: { readonly kind: IdentifierKind; readonly blindIndex: string } | undefined;
  /** A deleted (crypto-shredded) person this identity's look-ups pointed to, now replaced. */
  readonly replaces: string | undefined;
  /** The form has nothing but a postal address: the address is how the person is found again. */
  readonly addressOnly: boolean;
  readonly identifiers: readonly PreparedIdentifier[];
}

/** Where and as whom a person's data came in. */
export interface SubjectLink {
  readonly subjectKind: string;
  readonly collectionPoint: string;
  readonly recordType: string;
  readonly recordId: string;
  /** { field: { category, purposes } } of this person's fields in the record. */
  readonly fields: Readonly<Record<string, { category: string; purposes: readonly string[] }>>;
  readonly at: Date;
}

export interface IdentifierView {
  readonly kind: IdentifierKind;
  /** Decrypted: a string, or the postal address; null once the person's key was destroyed. */
  readonly value: string | PostalAddress | null;
  readonly field: string;
  readonly subjectKind: string;
  readonly collectionPoint: string;
  readonly recordType: string;
  readonly recordId: string;
  readonly collectedAt: string;
}

export class ResolutionRace extends Error {
  constructor() {
    super('Another request claimed the same identifier; resolve again');
    this.name = 'ResolutionRace';
  }
}

/**
 * Opens a sealed value of a person, or null when there is nothing to open: their key was destroyed,
 * or a deletion replaced the value by a plain mask (the datasets walker writes e.g. `{}`).
 */
export async function openSealed(
  vault: Vault,
  subjectId: string,
  sealed: string | null,
): Promise<string | null> {
  if (sealed === null || !sealed.startsWith('v1.')) return null;
  return vault.decrypt(subjectId, sealed);
}

/** What the under-13 purge needs from outside the subjects module (connected in src/app/services.ts). */
export interface PurgePorts {
  /** Every part of Vow erases its rows of the person. */
  readonly erasure: ErasureRegistry;
  /** The keyed hashes of the person's shopper-account emails, to block them with markers too. */
  readonly accountEmailIndexes: (trx: Transaction<Database>, subjectId: string) => Promise<readonly string[]>;
}
