// Report periods: ISO 8601 weeks (UTC, Monday 00:00 to the next Monday), in one canonical spelling.
// A week is named `YYYY-Www`; the basic form `YYYYWww` and a lower-case `w` name the same week and
// are read as it, so one week can never be two releases. Years before 2000 are refused: they are
// not a shop's reporting history, and JavaScript's Date.UTC reads the years 0-99 as 1900-1999, so
// `0026-W03` and `1926-W03` would otherwise cover the same days under two names.

const WEEK = /^(\d{4})-?[Ww](\d{2})$/;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The first year a report period may fall in. */
export const EARLIEST_YEAR = 2000;
const LATEST_YEAR = 9999;

export interface Week {
  /** The canonical name, e.g. 2026-W03. */
  readonly period: string;
  readonly start: Date;
  readonly end: Date;
}

/** Midnight UTC of a calendar day, with the year taken literally (no 0-99 → 1900s mapping). */
function utcDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

/** Monday 00:00 UTC of ISO week 1 of `year` (the week holding 4 January). */
function isoWeekOneMonday(year: number): number {
  const jan4 = utcDay(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

function weekName(year: number, week: number): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/**
 * The week a period names, in its canonical spelling, or undefined when it names none (a malformed
 * name, week 53 of a 52-week year, a year before 2000).
 */
export function canonicalWeek(period: string): Week | undefined {
  const m = WEEK.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return undefined;
  const weeksInYear = (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / WEEK_MS;
  if (week < 1 || week > weeksInYear) return undefined;
  const start = isoWeekOneMonday(year) + (week - 1) * WEEK_MS;
  return { period: weekName(year, week), start: new Date(start), end: new Date(start + WEEK_MS) };
}

/** The [start, end) instants of an ISO week such as 2026-W03 (UTC), or undefined if no such week. */
export function isoWeekRange(period: string): { start: Date; end: Date } | undefined {
  const week = canonicalWeek(period);
  return week ? { start: week.start, end: week.end } : undefined;
}

/** The ISO week holding an instant, e.g. 2026-W03. */
export function isoWeekOf(at: Date): string {
  let year = at.getUTCFullYear() + 1;
  while (isoWeekOneMonday(year) > at.getTime()) year--;
  const week = Math.floor((at.getTime() - isoWeekOneMonday(year)) / WEEK_MS) + 1;
  return weekName(year, week);
}

/** The week holding an instant. */
export function weekOf(at: Date): Week {
  return canonicalWeek(isoWeekOf(at)) as Week;
}

/** The week before `week`. */
export function previousWeek(week: Week): Week {
  return weekOf(new Date(week.start.getTime() - DAY_MS));
}
