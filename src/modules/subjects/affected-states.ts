// Who a personal-data breach concerns, counted by US state (the state breach-notification laws count
// residents): the people `affectedSubjects` finds, each by the state of their postal address collected
// last (a billing or shipping address, decrypted here and never leaving this module). Counts only: a
// person without an address, or whose address names no US state, is counted as unknown; an address
// abroad as outside the US. For the breach register's privacy officer (security.md #41).
import type { VowContext } from '../policy/index.js';
import { US_STATES } from '../policy/index.js';
import { type AffectedQuery, affectedSubjects, latestIdentifiersOf } from './affected.js';

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
  for (const [id, json] of await latestIdentifiersOf(ctx, subjectIds, 'address')) {
    let a: unknown;
    try {
      a = JSON.parse(json);
    } catch {
      continue;
    }
    if (typeof a !== 'object' || a === null) continue;
    const s = usStateOfAddress(a as { country?: unknown; region?: unknown });
    if (s) out.set(id, s);
  }
  return out;
}
