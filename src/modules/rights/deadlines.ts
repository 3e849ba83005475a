// Deadlines of data subject requests, by the law of the person's jurisdiction (dates in UTC):
// - GDPR (eea, uk; also `other`, the strictest clock): one month from receipt — the same day number
//   next month, or that month's last day when it has no such day (Jan 31 → Feb 28/29) —
//   extendable by two further months with reasons sent within the first month.
// - CCPA (us-ca): acknowledge within 10 business days, answer within 45 calendar days, extendable
//   once by 45 more with notice inside the first 45.
// - Another US state: the clock of its law in the policy (`us_state_laws`: days, extension, and an
//   acknowledgement where the law asks one); a state whose law the policy lacks gets the `other`
//   clock, the strictest. California's numbers are in the policy too; the constants below are only
//   its fallback when no policy is given.
import type { Policy, StateLaw } from '../policy/index.js';
import type { Jurisdiction } from './tables.js';

/** `gdpr`, `ccpa`, or a state law's `law_id` (e.g. `vcdpa`). */
export type Law = string;

export interface Deadlines {
  readonly law: Law;
  /** Day of receipt, YYYY-MM-DD. */
  readonly receivedOn: string;
  /** The answer is due by the end of this day. */
  readonly dueOn: string;
  /** CCPA only: the acknowledgement is due by the end of this day. */
  readonly ackDueOn: string | null;
  /** The latest the deadline may be pushed to by an extension. */
  readonly extendedDueOn: string;
  /** An extension must be notified by the end of this day (the original deadline). */
  readonly extendBy: string;
}

/** The state law that sets a jurisdiction's clock, from the policy (none for eea, uk, other). */
export function stateLawOf(jurisdiction: Jurisdiction, policy?: Policy): StateLaw | undefined {
  if (!jurisdiction.startsWith('us-')) return undefined;
  return policy?.stateLaw(jurisdiction);
}

export function lawOf(jurisdiction: Jurisdiction, policy?: Policy): Law {
  const state = stateLawOf(jurisdiction, policy);
  if (state) return state.law_id;
  return jurisdiction === 'us-ca' ? 'ccpa' : 'gdpr';
}

/** YYYY-MM-DD of an instant, in UTC. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The first day of receipt Vow takes: the deadline arithmetic reads years below 100 as 19xx. */
export const EARLIEST_DAY = '1970-01-01';

/**
 * Whether `day` is a day of the calendar written YYYY-MM-DD, from EARLIEST_DAY on: `2025-02-30`,
 * `2025-13-45` or `2025-00-00` are not (the deadlines counted from them came out years off).
 */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < EARLIEST_DAY) return false;
  const { y, m, d } = parseDay(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function parseDay(day: string): { y: number; m: number; d: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

function fmt(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The same day number `months` later, or the last day of that month when it is shorter. */
export function addMonthsClamped(day: string, months: number): string {
  const { y, m, d } = parseDay(day);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return fmt(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function addDays(day: string, days: number): string {
  const { y, m, d } = parseDay(day);
  return isoDay(new Date(Date.UTC(y, m - 1, d + days)));
}

function isWeekend(day: string): boolean {
  const { y, m, d } = parseDay(day);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 || wd === 6;
}

/** `n` business days (Monday to Friday) after `day`; the day of receipt itself does not count. */
export function addBusinessDays(day: string, n: number): string {
  let current = day;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    if (!isWeekend(current)) left--;
  }
  return current;
}

export function deadlinesFor(
  jurisdiction: Jurisdiction,
  receivedAt: Date | string,
  policy?: Policy,
): Deadlines {
  const receivedOn =
    typeof receivedAt === 'string' && receivedAt.length === 10 ? receivedAt : isoDay(new Date(receivedAt));
  const law = lawOf(jurisdiction, policy);
  const state = stateLawOf(jurisdiction, policy);
  if (state) {
    const r = state.response;
    const dueOn = addDays(receivedOn, r.days);
    return {
      law,
      receivedOn,
      dueOn,
      ackDueOn: r.ack_business_days === undefined ? null : addBusinessDays(receivedOn, r.ack_business_days),
      extendedDueOn: addDays(receivedOn, r.days + r.extension_days),
      extendBy: dueOn,
    };
  }
  if (law === 'ccpa') {
    const dueOn = addDays(receivedOn, 45);
    return {
      law,
      receivedOn,
      dueOn,
      ackDueOn: addBusinessDays(receivedOn, 10),
      extendedDueOn: addDays(receivedOn, 90),
      extendBy: dueOn,
    };
  }
  const dueOn = addMonthsClamped(receivedOn, 1);
  return {
    law,
    receivedOn,
    dueOn,
    ackDueOn: null,
    extendedDueOn: addMonthsClamped(receivedOn, 3),
    extendBy: dueOn,
  };
}

/** Whether an open item due at the end of `dueOn` is late on `today` (both YYYY-MM-DD). */
export function isOverdue(dueOn: string, today: string): boolean {
  return today > dueOn;
}
