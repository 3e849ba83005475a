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

/** The shop's account id, trimmed (case is kept: ids are the shop's to define). */
export function normaliseAccount(accountId: string): string {
  return accountId.trim();
}
