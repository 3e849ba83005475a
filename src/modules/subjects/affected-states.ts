// Who a personal-data breach concerns, counted by US state (the state breach-notification laws count
// residents): the people `affectedSubjects` finds, each by the state of their postal address collected
// last (a billing or shipping address, decrypted here and never leaving this module). Counts only: a
// person without an address, or whose address names no US state, is counted as unknown; an address
// abroad as outside the US. For the breach register's privacy officer (security.md #41).
import { isIn, listChunks } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { US_STATES } from '../policy/index.js';
import { type AffectedQuery, affectedSubjects } from './affected.js';
import { openSealed } from './types.js';

export interface ResidentsByState {
  /** `us-wi` → people. */
  readonly states: Record<string, number>;
  /** No address on file, or one naming no US state Vow recognises. */
  readonly unknown: number;
  /** The address collected last is outside the US. */
  readonly outsideUs: number;
}

/** The US state of a postal address (`us-wi`), `outside_us`, or undefined when it names none. */
export function usStateOfAddress(a: { country?: unknown; region?: unknown }): string | undefined {
  const country = typeof a.country === 'string' ? a.country.trim().toUpperCase() : '';
  if (country !== '' && country !== 'US' && country !== 'USA') return 'outside_us';
  const region = typeof a.region === 'string' ? a.region.trim().toLowerCase() : '';
  if (Object.hasOwn(US_STATES, region)) return `us-${region}`;
  const byName = Object.entries(US_STATES).find(([, name]) => name.toLowerCase() === region);
  return byName ? `us-${byName[0]}` : undefined;
}

/** The people with data of these categories collected in the window, counted by the state they live in. */
export async function countResidentsByState(ctx: VowContext, q: AffectedQuery): Promise<ResidentsByState> {
  const states: Record<string, number> = {};
  let unknown = 0;
  let outsideUs = 0;
  for await (const batch of affectedSubjects(ctx.store, q, 500)) {
    const found = await latestAddressStates(ctx, batch);
    for (const id of batch) {
      const s = found.get(id);
      if (s === undefined) unknown++;
      else if (s === 'outside_us') outsideUs++;
      else states[s] = (states[s] ?? 0) + 1;
    }
  }
  return { states, unknown, outsideUs };
}

/** Each person's state by the postal address collected last (none: left out). */
async function latestAddressStates(
  ctx: VowContext,
  subjectIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const chunk of listChunks(ctx.store.dialect, subjectIds)) {
    const rows = await ctx.store.db
      .selectFrom('subject_identifiers')
      .select(['subject_id', 'sealed_value'])
      .where('kind', '=', 'address')
      .where((eb) => isIn(eb, ctx.store.dialect, 'subject_id', chunk))
      .orderBy('collected_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    for (const r of rows) {
      if (seen.has(r.subject_id)) continue;
      seen.add(r.subject_id);
      const plain = await openSealed(ctx.vault, r.subject_id, r.sealed_value);
      if (!plain) continue;
      let a: unknown;
      try {
        a = JSON.parse(plain);
      } catch {
        continue;
      }
      if (typeof a !== 'object' || a === null) continue;
      const s = usStateOfAddress(a as { country?: unknown; region?: unknown });
      if (s) out.set(r.subject_id, s);
    }
  }
  return out;
}
