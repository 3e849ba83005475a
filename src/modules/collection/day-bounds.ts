// The days a form may state, by what the day is: one set of bounds for every form. A declared form's
// date field says nothing more by default (`any`: at most 150 years ago, at most 10 years ahead); a
// day something happened (`dates: past`) is not more than a day ahead of Vow's clock (as an order's
// date, instants.ts); a birth date (the under-13 gate's, or `dates: birth`) is not in the future;
// a day to come (`dates: future`) is from yesterday on. None is more than 150 years ago or 10 years
// ahead: a year 0001 or 9999 is a typo.
import { VowError } from '../../platform/errors.js';
import { AHEAD_MS } from './instants.js';

/** What a stated day is, and so which days are plausible. */
export type DayKind = 'any' | 'past' | 'birth' | 'future';

/** The oldest age a body may state (`age` is capped the same in the schemas). */
export const MAX_AGE = 150;
/** How far ahead a day to come may be. */
export const FUTURE_YEARS = 10;

/** Whole years between a YYYY-MM-DD birth date and `now` (UTC). */
export function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let years = now.getUTCFullYear() - y;
  const month = now.getUTCMonth() + 1;
  if (month < m || (month === m && now.getUTCDate() < d)) years--;
  return years;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The same calendar day `years` years from `now` (UTC; 29 February falls on 1 March). */
const yearsFrom = (now: Date, years: number) =>
  Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate());

/** The first and last plausible day of a kind, as YYYY-MM-DD (an input's min and max). */
export function dayBounds(kind: DayKind, now: Date): { readonly earliest: string; readonly latest: string } {
  // The birth day of someone MAX_AGE years old today: born the day after, MAX_AGE + 1 years ago.
  const oldest = isoDay(yearsFrom(now, -(MAX_AGE + 1)) + DAY_MS);
  switch (kind) {
    case 'any':
      return { earliest: oldest, latest: isoDay(yearsFrom(now, FUTURE_YEARS)) };
    case 'past':
      return { earliest: oldest, latest: isoDay(now.getTime() + AHEAD_MS) };
    case 'birth':
      return { earliest: oldest, latest: isoDay(now.getTime()) };
    case 'future':
      return { earliest: isoDay(now.getTime() - DAY_MS), latest: isoDay(yearsFrom(now, FUTURE_YEARS)) };
  }
}

/** One implausible day, as a VOW_VALIDATION issue names it (its field, the bound and the words). */
export interface DayIssue {
  readonly path: string;
  readonly code: 'too_late' | 'too_early';
  readonly limit: string;
  readonly message: string;
}

/** The issue of a stated YYYY-MM-DD `day` of this kind, or undefined when it is plausible. */
export function dayIssue(field: string, day: string, kind: DayKind, now: Date): DayIssue | undefined {
  const { earliest, latest } = dayBounds(kind, now);
  const path = `/${field}`;
  if (kind === 'birth') {
    const years = ageOn(day, now);
    if (years < 0) return { path, code: 'too_late', limit: latest, message: 'a birth date in the future' };
    if (years > MAX_AGE)
      return {
        path,
        code: 'too_early',
        limit: earliest,
        message: `a birth date more than ${MAX_AGE} years ago`,
      };
    return undefined;
  }
  if (day > latest)
    return {
      path,
      code: 'too_late',
      limit: latest,
      message: kind === 'past' ? 'more than a day in the future' : `more than ${FUTURE_YEARS} years ahead`,
    };
  if (day < earliest)
    return {
      path,
      code: 'too_early',
      limit: earliest,
      message: kind === 'future' ? 'in the past' : `more than ${MAX_AGE} years ago`,
    };
  return undefined;
}

/** Throws VOW_VALIDATION naming each implausible day (fields left out are not checked). */
export function assertPlausibleDays(
  days: readonly { readonly field: string; readonly day: string | undefined; readonly kind: DayKind }[],
  now: Date,
): void {
  const issues = days.flatMap((d) => {
    const issue = d.day === undefined ? undefined : dayIssue(d.field, d.day, d.kind, now);
    return issue ? [issue] : [];
  });
  if (issues.length > 0) throw new VowError('VOW_VALIDATION', 'Invalid request body', { issues });
}
