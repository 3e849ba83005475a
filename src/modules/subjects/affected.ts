// Who a personal-data breach concerns, counted (GDPR Art. 33(3)(a): the approximate number of people
// and of records): the people with a record collected in a time window that holds a field of one of
// the given categories (or a category below one). Counts only; no id or value leaves this module,
// except for Art. 34: `affectedSubjects` yields the people's ids in batches and `emailsOf` their
// address, for the breach register to tell them itself (their contact never leaves Vow), and
// `postalContactsOf` the postal address and phone of those without one, for the privacy officer's
// letters and calls.

import { isIn, listChunks, type Store } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { isWithin } from '../policy/index.js';
import type { PostalAddress } from './normalise.js';
import { openSealed } from './types.js';

export interface AffectedQuery {
  readonly categories: readonly string[];
  /** ISO 8601, inclusive; from the first record when left out. */
  readonly from?: string | undefined;
  /** ISO 8601, inclusive. */
  readonly to: string;
}

const PAGE = 5000;

/** People and records holding data of these categories, collected in the window. */
export async function countAffected(
  store: Store,
  q: AffectedQuery,
): Promise<{ people: number; records: number }> {
  const people = new Set<string>();
  let records = 0;
  for await (const page of matchingRecords(store, q))
    for (const subjectId of page) {
      records++;
      people.add(subjectId);
    }
  return { people: people.size, records };
}

/**
 * The people with data of these categories collected in the window (GDPR Art. 34: the people to
 * tell), their subject ids in batches of at most `batchSize`, each person once, in the order of
 * their first matching record.
 */
export async function* affectedSubjects(
  store: Store,
  q: AffectedQuery,
  batchSize = 200,
): AsyncGenerator<string[]> {
  const seen = new Set<string>();
  let batch: string[] = [];
  for await (const page of matchingRecords(store, q))
    for (const subjectId of page) {
      if (seen.has(subjectId)) continue;
      seen.add(subjectId);
      batch.push(subjectId);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  if (batch.length > 0) yield batch;
}

/**
 * Each person's identifier of one kind collected last, decrypted (an address: its JSON); a person
 * with none, or whose key was destroyed (erased), is left out.
 */
export async function latestIdentifiersOf(
  ctx: VowContext,
  subjectIds: readonly string[],
  kind: 'email' | 'phone' | 'address',
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const chunk of listChunks(ctx.store.dialect, subjectIds)) {
    const rows = await ctx.store.db
      .selectFrom('subject_identifiers')
      .select(['subject_id', 'sealed_value'])
      .where('kind', '=', kind)
      .where((eb) => isIn(eb, ctx.store.dialect, 'subject_id', chunk))
      .orderBy('collected_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    for (const r of rows) {
      if (seen.has(r.subject_id)) continue;
      seen.add(r.subject_id);
      const plain = await openSealed(ctx.vault, r.subject_id, r.sealed_value);
      if (plain) out.set(r.subject_id, plain);
    }
  }
  return out;
}

/**
 * Each person's email address to write to (the one collected last), decrypted; a person with none,
 * or whose key was destroyed (erased), is left out. For the breach register's Art. 34 notice only.
 */
export function emailsOf(ctx: VowContext, subjectIds: readonly string[]): Promise<Map<string, string>> {
  return latestIdentifiersOf(ctx, subjectIds, 'email');
}

/** A person's postal address and phone number, as collected last. */
export interface PostalContact {
  readonly address?: PostalAddress;
  readonly phone?: string;
}

/**
 * Each person's postal address and phone number collected last, decrypted, for the breach
 * register's Art. 34 notice to the people it could not email (a letter, a call); a person with
 * neither, or erased, is left out.
 */
export async function postalContactsOf(
  ctx: VowContext,
  subjectIds: readonly string[],
): Promise<Map<string, PostalContact>> {
  const [addresses, phones] = await Promise.all([
    latestIdentifiersOf(ctx, subjectIds, 'address'),
    latestIdentifiersOf(ctx, subjectIds, 'phone'),
  ]);
  const out = new Map<string, PostalContact>();
  for (const id of subjectIds) {
    const address = postalAddressOf(addresses.get(id));
    const phone = phones.get(id);
    if (address || phone) out.set(id, { ...(address ? { address } : {}), ...(phone ? { phone } : {}) });
  }
  return out;
}

/** A sealed address identifier's JSON read back as an address; undefined when it is not one. */
function postalAddressOf(json: string | undefined): PostalAddress | undefined {
  if (json === undefined) return undefined;
  let a: unknown;
  try {
    a = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof a !== 'object' || a === null) return undefined;
  const o = a as Record<string, unknown>;
  const text = (k: string) =>
    typeof o[k] === 'string' && (o[k] as string).trim() ? (o[k] as string) : undefined;
  const line1 = text('line1');
  if (!line1) return undefined;
  return {
    line1,
    line2: text('line2'),
    city: text('city') ?? '',
    region: text('region'),
    postal_code: text('postal_code') ?? '',
    country: text('country') ?? '',
  };
}

/** The subject ids of the matching records, page by page (a person once per record). */
async function* matchingRecords(store: Store, q: AffectedQuery): AsyncGenerator<string[]> {
  if (q.categories.length === 0) return;
  let after = '';
  for (;;) {
    let query = store.db
      .selectFrom('subject_records')
      .select(['id', 'subject_id', 'fields'])
      .where('collected_at', '<=', q.to)
      .where('id', '>', after);
    if (q.from) query = query.where('collected_at', '>=', q.from);
    const rows = await query.orderBy('id', 'asc').limit(PAGE).execute();
    const page: string[] = [];
    for (const r of rows) {
      const fields = JSON.parse(r.fields) as Record<string, { category?: string }>;
      if (Object.values(fields).some((f) => f.category && q.categories.some((c) => isWithin(f.category!, c))))
        page.push(r.subject_id);
    }
    yield page;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
}
