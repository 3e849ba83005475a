// The whole address of a console page asked for with no live staff session (a list's filters, its
// position: `/staff/requests?status=open&q=…&page=3`), kept so that signing in again opens it as it
// was. A query can hold typed personal data (a name searched for), and personal data never goes in an
// address or a cookie: the log-in page answers in the page's place (its address unchanged) and holds
// the key in a hidden field; the query is sealed (AES-256-GCM) here under a key derived from that
// secret, as kept forms are (form-drafts.ts). Given back only to the lapsed session's owner (to
// whoever signs in through that page when the browser had no session at all: a bookmark), deleted
// when taken and 15 minutes after it was kept.

import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { consoleReturnPath } from './form-drafts.js';
import { SealedKeeps } from './sealed-keeps.js';

/** The longest query string kept (as normalised); a longer one comes back as its page's path only. */
export const KEPT_QUERY_MAX = 2000;
/** Live kept addresses at most per lapsed session's owner, and with no owner (a bookmark) in all. */
export const KEPT_ADDRESSES_PER_OWNER = 20;
export const KEPT_ADDRESSES_UNOWNED = 500;

/** Why an address was not kept: its query too long, or too many kept already (the path still comes back). */
export type NotKept = 'too_long' | 'full';

/** A console page's address to come back to: its safe path and its query, normalised. */
export interface ConsoleAddress {
  readonly path: string;
  /** `a=1&b=2` as URLSearchParams writes it (every byte outside `*-._` and alphanumerics encoded). */
  readonly query: string;
}

const oneLine = line();

/**
 * The address a console request (`req.url`) comes back to: undefined when its path is not a safe
 * return (consoleReturnPath) or it has no query. A control character in any name or value is refused
 * (VOW_VALIDATION, naming the parameter, never the value), as at every edge (platform/strings.ts).
 */
export function consoleReturnAddress(url: string): ConsoleAddress | undefined {
  const at = url.indexOf('?');
  const path = consoleReturnPath(url);
  if (!path || at < 0) return undefined;
  const params = new URLSearchParams(url.slice(at + 1));
  const clean = (text: string) => oneLine.safeParse(text).success;
  // Named as a schema's refusal names them (a name that is itself unclean as `?`), never the value.
  const issues = [...params]
    .filter(([name, value]) => !clean(name) || !clean(value))
    .map(([name]) => ({
      path: `/${clean(name) ? name : '?'}`,
      message: 'must not contain control characters',
    }));
  if (issues.length > 0) throw new VowError('VOW_VALIDATION', 'Invalid request querystring', { issues });
  const query = params.toString();
  return query ? { path, query } : undefined;
}

export class KeptAddresses {
  readonly #keeps: SealedKeeps;
  constructor(ctx: VowContext) {
    this.#keeps = new SealedKeeps(ctx, 'staff_kept_addresses', 'kept-address');
  }

  /** Deletes the addresses past their 15 minutes; returns how many (sealed-keeps.ts says who runs it). */
  forgetLapsed(): Promise<number> {
    return this.#keeps.forgetLapsed();
  }

  /**
   * Keeps `address` for `owner` (undefined: the browser had no session); returns the token the log-in
   * page carries (never stored), or why it was not kept.
   */
  async keep(
    owner: string | undefined,
    address: ConsoleAddress,
  ): Promise<{ token: string } | { notKept: NotKept }> {
    if (address.query.length > KEPT_QUERY_MAX) return { notKept: 'too_long' };
    await this.forgetLapsed();
    // Anyone may ask for a console page: those kept with no owner are capped, so the table stays small.
    const live = await this.#keeps.live(owner ?? null);
    if (live >= (owner === undefined ? KEPT_ADDRESSES_UNOWNED : KEPT_ADDRESSES_PER_OWNER))
      return { notKept: 'full' };
    return { token: await this.#keeps.keep(owner ?? null, address) };
  }

  /**
   * The address (`/staff/…?…`) a token stands for, if it was kept for `staffId` (or for no one) and
   * has not expired, its path still a safe return; deleted whoever asks (someone else signing in at
   * that desk ends it: it is never given to them).
   */
  async take(token: string, staffId: string): Promise<string | undefined> {
    const kept = await this.#keeps.take<ConsoleAddress>(token);
    if (!kept || (kept.owner !== null && kept.owner !== staffId)) return undefined;
    if (consoleReturnPath(kept.value.path) !== kept.value.path) return undefined;
    return `${kept.value.path}?${new URLSearchParams(kept.value.query).toString()}`;
  }
}
