// What the policy says of a collection point's fields: the category and purposes Vow stores with
// each value, the kind of person each belongs to, and the channels an explicit yes on it grants.
import { VowError } from '../../platform/errors.js';
import type { Policy } from '../policy/index.js';
import type { SubjectLink } from '../subjects/index.js';

/** Default kinds of the built-in points, used when a retailer's policy does not name a field's kind. */
const DEFAULT_KINDS: Readonly<Record<string, string>> = {
  checkout: 'customer',
  registration: 'account_holder',
  contest_entry: 'contestant',
  catalog_request: 'catalog_requester',
  sms_signup: 'sms_subscriber',
  inbound_email: 'correspondent',
};

/** Fields Vow records besides the policy's form fields (the shop's account id). */
const EXTRA_FIELDS: Readonly<Record<string, { category: string; purposes: string[] }>> = {
  'registration.account_id': { category: 'account.profile', purposes: ['account.service'] },
};

/**
 * fieldsOf's answers, by policy, then point and names: a point has a few sets of fields, each made
 * once and frozen (every collection made an object and an array a field, and the record's link
 * wrote its JSON anew: about 2 KB an imported person).
 */
const fieldSets = new WeakMap<Policy, Map<string, SubjectLink['fields']>>();

/** The policy's { category, purposes } of the named fields of one collection point (frozen). */
export function fieldsOf(policy: Policy, point: string, names: readonly string[]): SubjectLink['fields'] {
  let sets = fieldSets.get(policy);
  if (sets === undefined) {
    sets = new Map();
    fieldSets.set(policy, sets);
  }
  const key = `${point}\u0000${names.join('\u0000')}`;
  const known = sets.get(key);
  if (known !== undefined) return known;
  const defs = policy.doc.collection_points[point]?.fields ?? {};
  const out: Record<string, { category: string; purposes: readonly string[] }> = {};
  for (const name of names) {
    const def = Object.hasOwn(defs, name) ? defs[name] : EXTRA_FIELDS[`${point}.${name}`];
    if (def)
      out[name] = Object.freeze({ category: def.category, purposes: Object.freeze([...def.purposes]) });
  }
  sets.set(key, Object.freeze(out));
  return out;
}

/** The kind of person a field's value belongs to (the built-in default when the policy names none). */
export function kindOf(policy: Policy, point: string, field: string): string {
  const defs = policy.doc.collection_points[point]?.fields ?? {};
  return (Object.hasOwn(defs, field) ? defs[field]?.subject_kind : undefined) ?? DEFAULT_KINDS[point]!;
}

/** Channels whose `granted_by` lists this point: what an explicit yes on its form grants. */
export function grantedBy(policy: Policy, point: string): string[] {
  return Object.entries(policy.doc.channels)
    .filter(([, ch]) => ch.granted_by?.includes(point))
    .map(([id]) => id);
}

export function assertPoint(policy: Policy, point: string): void {
  if (!Object.hasOwn(policy.doc.collection_points, point)) {
    throw new VowError('VOW_NOT_FOUND', `The policy in force has no collection point "${point}"`);
  }
}
