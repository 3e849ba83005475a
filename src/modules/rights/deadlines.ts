// Deadlines of data subject requests, by the law of the person's jurisdiction (dates in UTC):
// - GDPR (eea, uk; also `other`, the strictest clock): one month from receipt — the same day number
//   next month, or that month's last day when it has no such day (Jan 31 → Feb 28/29) —
//   extendable by two further months with reasons sent within the first month.
// - CCPA (us-ca): acknowledge within 10 business days, answer within 45 calendar days, extendable
//   once by 45 more with notice inside the first 45.
import type { Jurisdiction } from './tables.js';

export type Law = 'gdpr' | 'ccpa';

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

export function lawOf(jurisdiction: Jurisdiction): Law {
  return jurisdiction === 'us-ca' ? 'ccpa' : 'gdpr';
}

/** YYYY-MM-DD of an instant, in UTC. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
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

export function deadlinesFor(jurisdiction: Jurisdiction, receivedAt: Date | string): Deadlines {
  const receivedOn =
    typeof receivedAt === 'string' && receivedAt.length === 10 ? receivedAt : isoDay(new Date(receivedAt));
  const law = lawOf(jurisdiction);
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
