// The legal clock of a breach: GDPR Art. 33(1) gives the controller 72 hours from awareness to notify
// the supervisory authority, unless the breach is unlikely to result in a risk (a documented decision,
// Art. 33(5)). Pure functions of the record and the time now, so tests move an injected clock.

/** Art. 33(1): "not later than 72 hours after having become aware of it". */
export const NOTIFY_WITHIN_MS = 72 * 60 * 60 * 1000;

/**
 * - `running`: not notified, no decision of no risk, the 72 hours not yet over
 * - `overdue`: the same, past the 72 hours (a notification now needs the reasons for the delay)
 * - `notified`: the authority was notified (`late` when after the 72 hours)
 * - `not_required`: decided unlikely to result in a risk, the reason documented
 */
export type ClockState = 'running' | 'overdue' | 'notified' | 'not_required';

export interface IncidentClock {
  readonly state: ClockState;
  readonly deadlineAt: string;
  /** Milliseconds left to the deadline (negative once past); null once notified or not required. */
  readonly msLeft: number | null;
  /** The notification came after the 72 hours. */
  readonly late: boolean;
}

export function deadlineOf(awareAt: string): string {
  return new Date(Date.parse(awareAt) + NOTIFY_WITHIN_MS).toISOString();
}

export function clockOf(
  r: { readonly deadline_at: string; readonly authority_notified_at: string | null; readonly risk: string },
  now: Date,
): IncidentClock {
  if (r.authority_notified_at !== null)
    return {
      state: 'notified',
      deadlineAt: r.deadline_at,
      msLeft: null,
      late: r.authority_notified_at > r.deadline_at,
    };
  if (r.risk === 'none')
    return { state: 'not_required', deadlineAt: r.deadline_at, msLeft: null, late: false };
  const msLeft = Date.parse(r.deadline_at) - now.getTime();
  return { state: msLeft < 0 ? 'overdue' : 'running', deadlineAt: r.deadline_at, msLeft, late: false };
}

/** "2 days 5 hours", "40 minutes": the time left (or past) in words, to the minute. */
export function durationInWords(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const part = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${part(days, 'day')} ${part(hours, 'hour')}` : part(days, 'day');
  if (hours > 0) return mins > 0 ? `${part(hours, 'hour')} ${part(mins, 'minute')}` : part(hours, 'hour');
  return part(mins, 'minute');
}
