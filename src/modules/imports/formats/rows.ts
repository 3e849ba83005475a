// Helpers the CSV formats share: columns by any of their names, money, dates, the age gate on every
// row, Zod issues as a refusal that names fields only.
import { getCountries } from 'libphonenumber-js';
import type { z } from 'zod';
import { assertNotUnder13 } from '../../collection/index.js';
import type { Fact, FormatEnv, Refusal, SourceRecord, Unit } from './types.js';

export type Row = Readonly<Record<string, string>>;

const schemas = new WeakMap<object, Map<string, unknown>>();

/**
 * A schema built from the policy (its enums), built once per policy and kind: building a Zod schema
 * costs far more than checking a row with it.
 */
export function cachedSchema<T>(policy: object, kind: string, build: () => T): T {
  let byKind = schemas.get(policy);
  if (!byKind) {
    byKind = new Map();
    schemas.set(policy, byKind);
  }
  if (!byKind.has(kind)) byKind.set(kind, build());
  return byKind.get(kind) as T;
}

/** Column names in lower case, as the CSV reader keys a row's values (read-file.ts: headerNames). */
const lowered = new Map<string, string>();
const lower = (name: string): string => {
  let l = lowered.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (lowered.size < 1000) lowered.set(name, l);
  }
  return l;
};

/**
 * The first non-empty value among a column's names (exports differ in spelling; the case of a
 * header's names does not matter: "EMAIL", "email" and "Email" are one column).
 */
export function col(row: Row, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = row[lower(name)] ?? row[name];
    if (v !== undefined && v.trim() !== '') return excelText(v.trim());
  }
  return undefined;
}

/**
 * A number written for Excel: exports put an apostrophe before a phone number, a zip code or an id
 * ("'+16085550100", "'02134") so that Excel keeps it as text (its plus sign, its leading zero). The
 * apostrophe is not part of the value.
 */
const excelText = (v: string): string => (v.charCodeAt(0) === 39 && /^'[+\d]/.test(v) ? v.slice(1) : v);

/** Whether a row has the column `name` (whatever its case in the header), empty or not. */
export function hasKey(row: Row, name: string): boolean {
  return lower(name) in row || name in row;
}

/** Whether a header holds one of the names. */
export function hasColumn(header: readonly string[], names: readonly string[]): boolean {
  return names.some((n) => header.includes(lower(n)) || header.includes(n));
}

/**
 * An amount as cents: "129.99" → 12999. The decimal mark may be a point or, as in a CSV saved by
 * Excel where it is one, a comma ("12,50" → 1250); thousands may be grouped ("1,234.56", "1,234",
 * "1.234,56"). Anything else is undefined (refused), never guessed: "1.234" (one dollar and a bit,
 * or twelve hundred?) is refused, and "12,50" is never read as twelve hundred and fifty.
 */
export function cents(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = AMOUNT.exec(v.trim());
  if (!m) return undefined;
  const [, sign, plain, byCommas, byPoints] = m;
  const [whole = '', fraction = ''] =
    plain !== undefined
      ? plain.split(/[.,]/)
      : byCommas !== undefined
        ? byCommas.replace(/,/g, '').split('.')
        : byPoints!.replace(/\./g, '').split(',');
  const n = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return sign ? -n : n;
}

// Plain ("1234", "1234.5", "1234,50"), grouped by commas ("1,234", "1,234.50") or by points with
// a decimal comma ("1.234,50").
const AMOUNT =
  /^(-?)(?:(\d+(?:[.,]\d{1,2})?)|(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?)|(\d{1,3}(?:\.\d{3})+,\d{1,2}))$/;

/**
 * A date-time as exports write it ("2024-01-05 10:32:11 -0500", "2024-01-05 10:32:11" in UTC,
 * ISO 8601) as ISO 8601 with its offset; undefined when unreadable.
 */
export function isoDateTime(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
    v.trim(),
  );
  if (!m) return undefined;
  const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2]!;
  const off = m[3] ?? 'Z';
  const offset = off === 'Z' ? 'Z' : `${off.slice(0, 3)}:${off.slice(-2)}`;
  const iso = `${m[1]}T${time}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** How far ahead of Vow's clock a date may be (the exporting system's clock may differ). */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * A collection dated in the future is refused: its retention would start late and its consent
 * evidence would be dated after the import. `iso` is a date-time isoDateTime() or Zod accepted.
 */
export function inFuture(iso: string, env: FormatEnv, field: string): Refusal | undefined {
  return Date.parse(iso) > env.now.getTime() + CLOCK_SKEW_MS
    ? { code: 'VOW_VALIDATION', reason: `${field}: in the future` }
    : undefined;
}

/** An opt-out's date, never after now: an opt-out is never refused for its date, only kept honest. */
export function notAfterNow(iso: string | undefined, env: FormatEnv): Date | undefined {
  if (iso === undefined) return undefined;
  const at = Date.parse(iso);
  return new Date(Math.min(at, env.now.getTime()));
}

export const yes = (v: string | undefined): boolean =>
  ['yes', 'true', '1', 'y', 'subscribed'].includes((v ?? '').trim().toLowerCase());

/**
 * A key of the file read as a field's name: letters, digits and underscores, no run of 7 digits. A
 * refusal is kept for good and names fields, never values, and a file can be keyed by a person (an
 * export keyed by email address, a name as a key): such a key is never quoted (security.md #49).
 */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const isFieldName = (key: PropertyKey): boolean =>
  typeof key === 'number' || (typeof key === 'string' && FIELD_NAME.test(key) && !/\d{7}/.test(key));

/** What an issue says: the unknown keys that are field names, the others only counted. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const named = issue.keys.filter(isFieldName);
  const other = issue.keys.length - named.length;
  return [
    named.length > 0
      ? `unknown key${named.length === 1 ? '' : 's'} ${named.map((k) => `"${k}"`).join(', ')}`
      : '',
    other > 0
      ? `${other} unknown key${other === 1 ? ' that is not a field name' : 's that are not field names'}`
      : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/** Zod's issues as a refusal: each field's path and the rule it broke. */
export function invalid(error: z.ZodError, prefix = ''): Refusal {
  const parts = error.issues.map((i) => {
    const path = i.path.map((k) => (isFieldName(k) ? String(k) : '(key)')).join('.');
    return `${prefix}${path || '(row)'}: ${issueText(i)}`;
  });
  return { code: 'VOW_VALIDATION', reason: [...new Set(parts)].join('; ') };
}

/** The age gate (P14) on a row's stated birth date or age columns, when the export has them. */
export function ageGate(row: Row, env: FormatEnv): Refusal | undefined {
  const birth = col(row, 'Birth Date', 'Birthday', 'birth_date', 'Date of Birth');
  const ageText = col(row, 'Age', 'age');
  const person: { birth_date?: string; age?: number } = {};
  if (birth !== undefined) {
    const date = birthDate(birth);
    if (date === undefined)
      return {
        code: 'VOW_VALIDATION',
        reason: 'birth date: not a date (YYYY-MM-DD, MM/DD/YYYY, or a birthday as MM/DD)',
      };
    if (date !== null) person.birth_date = date;
  }
  if (ageText !== undefined) {
    if (!/^\d{1,3}$/.test(ageText)) return { code: 'VOW_VALIDATION', reason: 'age: not a whole number' };
    person.age = Number(ageText);
  }
  return gate([person], env);
}

const isDay = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};
const iso = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * A stated birth date as YYYY-MM-DD for the under-13 gate; null when it tells no age (Mailchimp's
 * Birthday field is MM/DD, a birthday without its year); undefined when it is not a date. A
 * day/month/year date may be either order (MM/DD/YYYY in the US, DD/MM/YYYY in most places): when
 * both read as dates, the later one, the younger person, is the one checked.
 */
export function birthDate(v: string): string | null | undefined {
  const text = v.trim();
  const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (isoDate) {
    const [y, m, d] = isoDate.slice(1).map(Number) as [number, number, number];
    return isDay(y, m, d) ? text : undefined;
  }
  const noYear = /^(?:(\d{1,2})\/(\d{1,2})|--(\d{2})-(\d{2}))$/.exec(text);
  if (noYear) {
    const [a, b] = (noYear[1] ? [noYear[1], noYear[2]] : [noYear[3], noYear[4]]).map(Number) as [
      number,
      number,
    ];
    return isDay(2000, a, b) || isDay(2000, b, a) ? null : undefined;
  }
  const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  if (!dmy) return undefined;
  const [a, b, y] = dmy.slice(1).map(Number) as [number, number, number];
  const readings = [
    ...(isDay(y, a, b) ? [iso(y, a, b)] : []),
    ...(isDay(y, b, a) ? [iso(y, b, a)] : []),
  ].sort();
  return readings.at(-1);
}

/** Names exports write for a country besides its English name (Intl's), lower-cased. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'u.k.': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  holland: 'NL',
  'the netherlands': 'NL',
  'republic of ireland': 'IE',
  'south korea': 'KR',
  'korea, republic of': 'KR',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
};

let countryNames: ReadonlyMap<string, string> | undefined;

/** Every country by its English name (Node's ICU) and the aliases above, lower-cased. */
function byName(): ReadonlyMap<string, string> {
  if (countryNames) return countryNames;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const map = new Map<string, string>(Object.entries(COUNTRY_ALIASES));
  // The countries phone numbers are known for (libphonenumber's list: ISO 3166-1 alpha-2, none of
  // the withdrawn codes ICU still names, such as DD for East Germany).
  for (const code of getCountries()) {
    const name = names.of(code)?.toLowerCase();
    if (name && !map.has(name)) map.set(name, code);
  }
  countryNames = map;
  return map;
}

/**
 * A country as its ISO 3166-1 alpha-2 code: exports write the code ("US") or the name ("United
 * States", Klaviyo's and Shopify's "Country" columns; "UK" and "USA" too). A value that is neither
 * is returned as it was, upper-cased, for the schema to refuse with the field's name.
 */
export function countryCode(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const text = v.trim().replace(/\s+/g, ' ');
  const known = byName().get(text.toLowerCase());
  if (known) return known;
  return text.toUpperCase();
}

/** Runs the collection module's under-13 gate; a refusal instead of a throw. */
export function gate(
  people: readonly ({ birth_date?: string | undefined; age?: number | undefined } | undefined)[],
  env: FormatEnv,
): Refusal | undefined {
  try {
    assertNotUnder13(people, env.now);
    return undefined;
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'VOW_VALIDATION';
    return code === 'VOW_UNDER_13'
      ? { code, reason: 'the row shows a person under 13: nothing of it is kept (P14)' }
      : { code, reason: 'birth date: in the future' };
  }
}

/** A format made of one unit per row. */
export async function* perRow(
  records: AsyncIterable<SourceRecord>,
  map: (row: Row, line: number) => readonly Fact[] | Refusal,
): AsyncIterable<Unit> {
  for await (const r of records) {
    if (r.malformed !== undefined) {
      yield {
        line: r.line,
        lastLine: r.lastLine,
        refused: { code: 'VOW_IMPORT_MALFORMED', reason: r.malformed },
      };
      continue;
    }
    const out = map(r.value as Row, r.line);
    yield 'code' in out
      ? { line: r.line, lastLine: r.lastLine, refused: out }
      : { line: r.line, lastLine: r.lastLine, facts: out };
  }
}
