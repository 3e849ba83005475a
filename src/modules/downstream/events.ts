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
  'subject.under13_purged',
  'policy.version_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The identifiers an event may carry, before minimisation (values: decrypted, normalised). */
export interface PersonValues {
  readonly emails?: readonly string[] | undefined;
  readonly phones?: readonly string[] | undefined;
}

const CATEGORY_OF = { emails: 'contact.email', phones: 'contact.phone' } as const;

/** What of `person` the recipient may receive (undefined: nothing). */
export function minimise(
  person: PersonValues | undefined,
  recipient: Recipient | undefined,
): PersonValues | undefined {
  if (!person || !recipient) return undefined;
  if (recipient.personal_data === 'never' || recipient.identifying_data === 'never') return undefined;
  const out: { emails?: readonly string[]; phones?: readonly string[] } = {};
  for (const key of ['emails', 'phones'] as const) {
    const values = person[key];
    if (!values || values.length === 0) continue;
    if (recipient.categories.some((c) => isWithin(CATEGORY_OF[key], c))) out[key] = values;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Which categories of the policy's person values a recipient is sent (for the docs and the console). */
export function categoriesSent(recipient: Recipient | undefined): string[] {
  if (!recipient || recipient.personal_data === 'never' || recipient.identifying_data === 'never') return [];
  return Object.values(CATEGORY_OF).filter((cat) => recipient.categories.some((c) => isWithin(cat, c)));
}
