// How identifiers are normalised before they are sealed and blind-indexed, so a person typing
// " Ann@Example.COM " or "(608) 555-0123" is found again as the same person.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** Trimmed and case-folded. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The number in E.164 (`+16085550123`), or undefined when it is not a valid phone number.
 * Numbers without a country prefix are read as numbers of `defaultCountry` (US when absent).
 */
export function normalisePhone(phone: string, defaultCountry: string = 'US'): string | undefined {
  const parsed = parsePhoneNumberFromString(phone.trim(), defaultCountry.toUpperCase() as CountryCode);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

export interface PostalAddress {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly region?: string | undefined;
  readonly postal_code: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

function squash(s: string | undefined): string {
  return (s ?? '').normalize('NFKC').toLowerCase().replace(/[.,#]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** One line per part, case-folded, punctuation and spacing evened out. */
export function normaliseAddress(a: PostalAddress): string {
  return [a.line1, a.line2, a.city, a.region, a.postal_code.replace(/\s+/g, ''), a.country]
    .map(squash)
    .join('|');
}

/**
 * The address a correction of `contact.postal_address` gives (P21): a JSON object of the address's
 * parts (`line1`, `line2`, `city`, `region`, `postal_code`, `country`), or one line of text, the
 * whole new address as the person wrote it, kept as its first line with the other parts empty (no
 * part of the old address is mixed into the new one). Undefined: a JSON object without a first line,
 * or with a part that is not text.
 */
export function correctedAddress(value: string): PostalAddress | undefined {
  const text = value.trim();
  if (!text.startsWith('{'))
    return text ? { line1: text, city: '', postal_code: '', country: '' } : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const o = parsed as Record<string, unknown>;
  const part = (k: string) => (o[k] === undefined || o[k] === null ? '' : o[k]);
  const known = ['line1', 'line2', 'city', 'region', 'postal_code', 'country'];
  if (Object.keys(o).some((k) => !known.includes(k)) || known.some((k) => typeof part(k) !== 'string'))
    return undefined;
  const line1 = String(part('line1')).trim();
  if (!line1) return undefined;
  const opt = (k: string) => {
    const v = String(part(k)).trim();
    return v ? v : undefined;
  };
  return {
    line1,
    ...(opt('line2') ? { line2: opt('line2') } : {}),
    city: String(part('city')).trim(),
    ...(opt('region') ? { region: opt('region') } : {}),
    postal_code: String(part('postal_code')).trim(),
    country: String(part('country')).trim().toUpperCase(),
  };
}

/**
 * A corrected postal address given as its parts (JSON) in words, as people write it ("12 New St,
 * Apt 4, Springfield, IL 62701, US"), for the pages that show a correction before and after it is
 * sent; undefined for any other value (shown as typed).
 */
export function addressInWords(value: string | undefined): string | undefined {
  if (!value?.trim().startsWith('{')) return undefined;
  const a = correctedAddress(value);
  if (!a) return undefined;
  const place = [a.region, a.postal_code].filter(Boolean).join(' ');
  return [a.line1, a.line2, a.city, place, a.country].filter(Boolean).join(', ');
}

/** The shop's account id, trimmed (case is kept: ids are the shop's to define). */
export function normaliseAccount(accountId: string): string {
  return accountId.trim();
}
