// What an API key may do: its scopes. Each /v1 route a key can reach needs one scope (src/http/scopes.ts
// derives it from the route's family); a key holds a few, so the key a storefront's analytics relay
// keeps cannot export the marketing audience or record disclosures. A key's scopes become a bit mask
// once, when the key is verified: the check on each request is one AND, with no read of the store.
import { VowError } from '../../platform/errors.js';

/** The scopes a key can be given, in the order pages and docs list them. */
export const API_SCOPES = [
  'decide',
  'collect',
  'disclose',
  'marketing',
  'feedback',
  'metrics',
  'all',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope lets a key do (the console's checkboxes and `vow staff api-key create --help`). */
export const API_SCOPE_LABELS: Readonly<Record<ApiScope, string>> = {
  decide: 'Ask whether data may be used for a purpose (POST /v1/decisions)',
  collect: 'Record data the shop collects (orders, sign-ups, contests); includes decide',
  disclose: 'Record data handed to a third party (carrier, payment, processor); includes decide',
  marketing: 'Export marketing audiences and render campaign emails; includes decide',
  feedback: "A mail or SMS provider's webhooks: bounces, spam complaints, STOP replies",
  metrics: 'Read the Prometheus metrics (GET /metrics)',
  all: 'Everything an API key can reach, including scopes added later (keys made before scopes)',
};

/** The scopes that include another one: a key that collects asks decisions too. */
const INCLUDES: Readonly<Partial<Record<ApiScope, readonly ApiScope[]>>> = {
  collect: ['decide'],
  disclose: ['decide'],
  marketing: ['decide'],
};

const BIT: Readonly<Record<Exclude<ApiScope, 'all'>, number>> = {
  decide: 1,
  collect: 2,
  disclose: 4,
  marketing: 8,
  feedback: 16,
  metrics: 32,
};
/** Every bit, those of scopes not yet invented included: `all` keeps meaning everything. */
const ALL_BITS = 0x7fffffff;

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** The bit a route needing `scope` tests (`all` is no route's scope). */
export function scopeBit(scope: Exclude<ApiScope, 'all'>): number {
  return BIT[scope];
}

/** The mask of what a key holding these scopes may do (with what each includes). */
export function scopeMask(scopes: readonly ApiScope[]): number {
  let mask = 0;
  for (const s of scopes) {
    if (s === 'all') return ALL_BITS;
    mask |= BIT[s];
    for (const inc of INCLUDES[s] ?? []) if (inc !== 'all') mask |= BIT[inc];
  }
  return mask;
}

/**
 * The scopes a key is created with, checked: at least one, each known, no repeats, in the order of
 * API_SCOPES. `all` stands alone (with it, any other scope says nothing).
 */
export function checkScopes(scopes: readonly string[]): ApiScope[] {
  const unknown = scopes.filter((s) => !isApiScope(s));
  if (unknown.length > 0)
    throw new VowError(
      'VOW_VALIDATION',
      `Unknown API key scope ${unknown.map((s) => JSON.stringify(s)).join(', ')}: choose from ${API_SCOPES.join(', ')}`,
      { unknown, scopes: API_SCOPES },
    );
  if (scopes.length === 0)
    throw new VowError(
      'VOW_VALIDATION',
      `Give an API key at least one scope (${API_SCOPES.join(', ')}): what the system holding it needs, no more`,
      { scopes: API_SCOPES },
    );
  const chosen = API_SCOPES.filter((s) => scopes.includes(s));
  return chosen.includes('all') ? ['all'] : chosen;
}

/** The stored form: the scopes, space-separated (a key made before scopes existed holds `all`). */
export function storedScopes(scopes: readonly ApiScope[]): string {
  return scopes.join(' ');
}

/** The scopes of a stored row; a word this version does not know grants nothing. */
export function parseStoredScopes(text: string): ApiScope[] {
  return text.split(' ').filter(isApiScope);
}
