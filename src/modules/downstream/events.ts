// The events Vow sends to the retailer's systems, and how each body is minimised: a recipient gets
// only the identifiers whose categories the policy lets it receive; an endpoint tied to no
// recipient gets no personal value at all.
import type { Recipient } from '../policy/index.js';
import { isWithin } from '../policy/index.js';

export const EVENT_TYPES = [
  'consent.granted',
  'consent.withdrawn',
  'suppression.added',
  'restriction.set',
  'restriction.lifted',
  'deletion.requested',
  'deletion.completed',
  'subject.corrected',
  'subject.under13_purged',
  'policy.version_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The identifiers an event may carry, before minimisation (values: decrypted, normalised). */
export interface PersonValues {
  readonly emails?: readonly string[] | undefined;
  readonly phones?: readonly string[] | undefined;
  /** Postal addresses (as objects) the person is known by: a correction's recipients find them by these. */
  readonly addresses?: readonly unknown[] | undefined;
  /**
   * A correction's new value (`subject.corrected`), sent only to a recipient the policy lets receive
   * its category: one that never got that category is not told the new value.
   */
  readonly corrected?: { readonly category: string; readonly value: unknown } | undefined;
}

const CATEGORY_OF = {
  emails: 'contact.email',
  phones: 'contact.phone',
  addresses: 'contact.postal_address',
} as const;

/** Whether the policy lets the recipient receive values of `category`. */
function receives(recipient: Recipient, category: string): boolean {
  return recipient.categories.some((c) => isWithin(category, c));
}

/** What of `person` the recipient may receive (undefined: nothing). */
export function minimise(
  person: PersonValues | undefined,
  recipient: Recipient | undefined,
): PersonValues | undefined {
  if (!person || !recipient) return undefined;
  if (recipient.personal_data === 'never' || recipient.identifying_data === 'never') return undefined;
  const out: {
    emails?: readonly string[];
    phones?: readonly string[];
    addresses?: readonly unknown[];
    corrected?: PersonValues['corrected'];
  } = {};
  for (const key of ['emails', 'phones', 'addresses'] as const) {
    const values = person[key];
    if (!values || values.length === 0) continue;
    if (receives(recipient, CATEGORY_OF[key])) (out as Record<string, unknown>)[key] = values;
  }
  if (person.corrected && receives(recipient, person.corrected.category)) out.corrected = person.corrected;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Which categories of the policy's person values a recipient is sent (for the docs and the console). */
export function categoriesSent(recipient: Recipient | undefined): string[] {
  if (!recipient || recipient.personal_data === 'never' || recipient.identifying_data === 'never') return [];
  return Object.values(CATEGORY_OF).filter((cat) => receives(recipient, cat));
}
