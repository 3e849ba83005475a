// A person's jurisdiction from what they stated: the state on the form first, else the postal address
// on file (a US address's region), else `other` (the strictest clock). IP geolocation is never used.
import { US_STATES } from '../policy/index.js';
import type { RightsDeps } from './internal.js';
import type { Jurisdiction } from './tables.js';

const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

/** The jurisdiction of a postal address (country code, and a US region as code or name). */
export function jurisdictionOfAddress(address: {
  country?: unknown;
  region?: unknown;
}): Jurisdiction | undefined {
  const country = typeof address.country === 'string' ? address.country.trim().toUpperCase() : '';
  if (country === 'GB' || country === 'UK') return 'uk';
  if (EEA.has(country)) return 'eea';
  if (country !== 'US' && country !== 'USA') return undefined;
  const region = typeof address.region === 'string' ? address.region.trim().toLowerCase() : '';
  if (Object.hasOwn(US_STATES, region)) return `us-${region}`;
  const byName = Object.entries(US_STATES).find(([, name]) => name.toLowerCase() === region);
  return byName ? `us-${byName[0]}` : undefined;
}

/**
 * The jurisdiction for a request: the one stated, else the first postal address on file that names
 * one, else `other`. Returns where the answer came from, for the request log.
 */
export async function resolveJurisdiction(
  deps: RightsDeps,
  stated: Jurisdiction | undefined,
  subjectId: string | undefined,
): Promise<{ jurisdiction: Jurisdiction; source: 'stated' | 'address_on_file' | 'fallback' }> {
  if (stated) return { jurisdiction: stated, source: 'stated' };
  const directory = deps.ports().directory;
  if (subjectId && directory) {
    for (const id of await directory.identifiers(subjectId)) {
      if (id.kind !== 'address' || id.value === null || typeof id.value !== 'object') continue;
      const j = jurisdictionOfAddress(id.value as { country?: unknown; region?: unknown });
      if (j) return { jurisdiction: j, source: 'address_on_file' };
    }
  }
  return { jurisdiction: 'other', source: 'fallback' };
}
