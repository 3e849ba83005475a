// The instants a form states (an order's placed_at, a registration's registered_at, a message's
// received_at) are checked against Vow's clock before anything is stored. Retention counts a
// person's activity from them: an order "placed" in 9999 kept its buyer out of every purge for good.
import { VowError } from '../../platform/errors.js';

/** How far ahead of Vow's clock a stated instant may be (the shop's clock may run a little fast). */
export const AHEAD_MS = 24 * 60 * 60 * 1000;
/** The earliest instant a form may state. */
const EARLIEST = '1970-01-01T00:00:00.000Z';

/**
 * Throws VOW_VALIDATION naming each field (by its JSON path) whose instant is more than a day after
 * `now` or before 1970; fields left out are not checked.
 */
export function assertPlausibleInstants(
  fields: Readonly<Record<string, string | undefined>>,
  now: Date,
): void {
  const latest = now.getTime() + AHEAD_MS;
  const earliest = Date.parse(EARLIEST);
  const issues: { path: string; code: string; message: string }[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const at = Date.parse(value);
    if (at > latest)
      issues.push({ path: `/${name}`, code: 'too_late', message: 'more than a day in the future' });
    else if (at < earliest) issues.push({ path: `/${name}`, code: 'too_early', message: 'before 1970' });
  }
  if (issues.length > 0) throw new VowError('VOW_VALIDATION', 'Invalid request body', { issues });
}
