// Scrubbing of everything a page sends before it is stored or forwarded: query strings lose known
// tracking and personal parameters and any value that looks like an email or a phone number,
// fragments are dropped, IPs are truncated, and a user agent is reduced to a browser family.
import { isIP } from 'node:net';
import { type CountryCode, isValidPhoneNumber } from 'libphonenumber-js';

/** Query parameters that are dropped whatever their value (compared lower-case). */
export const DROPPED_PARAMS: ReadonlySet<string> = new Set([
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'fbclid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'igshid',
  'email',
  'e',
  'mail',
  'phone',
  'tel',
  'mobile',
  'sms',
  'token',
  'access_token',
  'id_token',
  'auth',
  'code',
  'key',
  'session',
  'sessionid',
  'sid',
  'password',
  'pass',
  'pwd',
  'name',
  'first_name',
  'last_name',
  'firstname',
  'lastname',
  'fullname',
  'address',
  'zip',
  'postcode',
  'user',
  'username',
  'uid',
  'user_id',
  'customer',
  'customer_id',
]);

const DROPPED_PREFIXES = ['utm_', 'mtm_', 'pk_', 'hsa_'];

/** A run of at least 7 digits, possibly split by spaces, dots, dashes or brackets, maybe with a +. */
const PHONE_LIKE = /\+?\(?\d(?:[\s().-]*\d){6,}/g;

export const REDACTED = ':redacted';

/**
 * Digit groups joined by `_` or `/` (`415_555_0100`, `415/555/0100`, `+44_20_7946_0958`), which
 * PHONE_LIKE does not read as one number. Such a run (or a part of it of whole groups) is a phone
 * number when its digits, joined, are a valid number for libphonenumber: with a leading `+` in any
 * country, without it as a national number of SPLIT_PHONE_COUNTRIES; and it is not a calendar date
 * (three groups reading as year, month, day in any of the orders YMD, DMY or MDY). Dates, version
 * numbers (dots), short codes and order numbers that are no valid phone number are kept.
 */
// A run starts at its first digit (the lookbehind), so a long run of digits with no `_` or `/` after
// it is tried once, not from each of its digits (which was quadratic).
const SPLIT_RUN = /\+?(?<!\d)\d+(?:[_/]\d+)+/g;
/** The countries whose national numbers (no `+`) a split run is read as: NANP (US, CA) and the UK. */
export const SPLIT_PHONE_COUNTRIES: readonly CountryCode[] = ['US', 'GB'];

function isCalendarDate(groups: readonly string[]): boolean {
  if (groups.length !== 3) return false;
  const [a = '', b = '', c = ''] = groups;
  const valid = (y: string, m: string, d: string): boolean => {
    if (y.length !== 4 || m.length > 2 || d.length > 2) return false;
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
  };
  return valid(a, b, c) || valid(c, b, a) || valid(c, a, b);
}

function isSplitPhone(groups: readonly string[], plus: boolean): boolean {
  const joined = groups.join('');
  if (joined.length < 7 || joined.length > 15 || isCalendarDate(groups)) return false;
  if (plus) return isValidPhoneNumber(`+${joined}`);
  return SPLIT_PHONE_COUNTRIES.some((country) => isValidPhoneNumber(joined, country));
}

/**
 * How many parts of runs one value may have checked by libphonenumber (about 0.1 ms each): past
 * that, a run still to check is redacted whole. A crafted path ('1_' x 1,000) otherwise asked for
 * tens of thousands of checks, seconds of one request's CPU (#30); real paths need a handful.
 */
export const MAX_PHONE_CHECKS = 64;

/**
 * A run of digit groups with each part of whole groups that is a phone number replaced by REDACTED;
 * the whole run REDACTED when `allow` refuses a check (the value's budget of checks is spent).
 */
function redactRun(
  run: string,
  allow: () => boolean,
  isPhone: (groups: readonly string[], plus: boolean) => boolean,
): string {
  const plus = run.startsWith('+');
  const parts = (plus ? run.slice(1) : run).split(/([_/])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  const redacted = new Array<boolean>(groups.length).fill(false);
  // A part longer than 15 digits is no phone number (E.164), so each start looks at a few parts
  // only: trying every part of a long run was cubic (a path of '1_' x 1,600 took 33 s; #30).
  for (let i = 0; i < groups.length; i++) {
    let digits = groups[i]!.length;
    for (let j = i + 2; j <= groups.length; j++) {
      digits += groups[j - 1]!.length;
      if (digits > 15) break;
      if (digits < 7) continue;
      const part = groups.slice(i, j);
      if (isCalendarDate(part)) continue;
      if (!allow()) return REDACTED;
      if (isPhone(part, plus && i === 0)) redacted.fill(true, i, j);
    }
  }
  if (!redacted.includes(true)) return run;
  let out = plus && !redacted[0] ? '+' : '';
  for (let i = 0; i < groups.length; i++) {
    if (i > 0 && !(redacted[i] && redacted[i - 1])) out += parts[2 * i - 1];
    if (!redacted[i]) out += groups[i];
    else if (!redacted[i - 1] || i === 0) out += REDACTED;
  }
  return out;
}

/**
 * A value with its split phone numbers (SPLIT_RUN) redacted; the same string when it has none.
 * `isPhone` is the check of one part (tests count the checks a value costs).
 */
export function redactSplitPhones(value: string, isPhone = isSplitPhone): string {
  if (!value.includes('_') && !value.includes('/')) return value;
  SPLIT_RUN.lastIndex = 0;
  let checks = 0;
  return value.replace(SPLIT_RUN, (run) => redactRun(run, () => ++checks <= MAX_PHONE_CHECKS, isPhone));
}

/** True if a value holds something that looks like an email address or a phone number. */
export function looksLikeContact(value: string): boolean {
  PHONE_LIKE.lastIndex = 0;
  return value.includes('@') || PHONE_LIKE.test(value) || redactSplitPhones(value) !== value;
}

function safeDecode(s: string, plusIsSpace = true): string {
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
  } catch {
    return s;
  }
}

/** How many rounds of decoding a value is given before it counts as hiding something. */
const MAX_DECODES = 8;

/**
 * A value decoded until it stops changing: a URL carried inside another (a page's way back after
 * log-in) is encoded twice, so one decoding leaves `%40` where the `@` was. Undefined when it is
 * still changing after MAX_DECODES rounds (nothing ordinary is encoded that deep).
 */
function decodedFully(s: string, plusIsSpace = true): string | undefined {
  let value = s;
  for (let i = 0; i < MAX_DECODES; i++) {
    const next = safeDecode(value, plusIsSpace);
    if (next === value) return value;
    value = next;
  }
  return undefined;
}

/**
 * A value as a contact check reads it: decoded fully, and in NFKC form, so an address typed with
 * the full-width at sign or a number in full-width digits is seen as one.
 */
function readable(s: string, plusIsSpace = true): string | undefined {
  return decodedFully(s, plusIsSpace)?.normalize('NFKC');
}

function scrubSegment(segment: string): string {
  const decoded = readable(segment, false);
  if (decoded === undefined || decoded.includes('@')) return REDACTED;
  PHONE_LIKE.lastIndex = 0;
  const split = redactSplitPhones(decoded);
  if (!PHONE_LIKE.test(decoded) && split === decoded) return segment;
  PHONE_LIKE.lastIndex = 0;
  return encodeURIComponent(split.replace(PHONE_LIKE, REDACTED)).replace(/%3A/gi, ':');
}

const isDroppedName = (name: string): boolean =>
  DROPPED_PARAMS.has(name) || DROPPED_PREFIXES.some((p) => name.startsWith(p));

/**
 * Whether a parameter's name is a personal or tracking one, however a shop nests or spells it: a
 * name counts when any part of it does (`customer[first_name]`, `user.email`), or the end of a
 * part (`billing_last_name`, `shippingPhone`, `contact-email`).
 */
function personalName(key: string): boolean {
  const parts = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[[\].]+/)
    .filter((p) => p !== '');
  for (const part of parts) {
    if (isDroppedName(part)) return true;
    const words = part.split(/[_-]+/).filter((w) => w !== '');
    for (let i = 1; i < words.length; i++) if (isDroppedName(words.slice(i).join('_'))) return true;
  }
  return false;
}

function dropParam(key: string, value: string): boolean {
  const k = readable(key);
  const v = readable(value);
  if (k === undefined || v === undefined) return true;
  if (isDroppedName(k.toLowerCase()) || personalName(k)) return true;
  // A `+` read as a space hides an international prefix (`+44_20_7946_0958`): read it as written too.
  const written = readable(value, false) ?? v;
  return looksLikeContact(v) || looksLikeContact(k) || redactSplitPhones(written) !== written;
}

export const MAX_PATH_LENGTH = 512;

/**
 * The path of a page as Vow may keep it: the path of the URL (origin and fragment dropped), path
 * segments that look like contact data redacted, and only the query parameters that are neither
 * known tracking or personal parameters nor look like contact data.
 */
export function scrubPath(input: string): string {
  if (PLAIN_PATH.test(input)) {
    PHONE_LIKE.lastIndex = 0;
    if (!PHONE_LIKE.test(input) && redactSplitPhones(input) === input)
      return input.length > MAX_PATH_LENGTH ? input.slice(0, MAX_PATH_LENGTH) : input;
  }
  return scrubPathByParsing(input);
}

/**
 * A path that parsing would leave as it is and that holds nothing to scrub but perhaps a phone
 * number (checked apart): slash-separated segments of unreserved characters, none of them `.` or
 * `..`, no query, no fragment. Most page views are such paths; they skip the URL parser, which was
 * a twentieth of a measurement's cost. A property test holds both ways to the same answer.
 */
const PLAIN_PATH = /^(?:(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9_~.-]+)+\/?|\/)$/;

/** scrubPath for any input: parsed as a URL relative to the site, then scrubbed part by part. */
export function scrubPathByParsing(input: string): string {
  let url: URL;
  try {
    url = new URL(input, 'http://scrub.invalid');
  } catch {
    return '/';
  }
  // A number split across segments (`/415/555/0100`) is read on the whole path, decoded.
  const path = redactSplitPhones(
    url.pathname
      .split('/')
      .map((s) => scrubSegment(s))
      .join('/'),
  );
  const kept: string[] = [];
  // Read the raw query (not URLSearchParams, which would re-encode and lose nothing we need).
  for (const pair of url.search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    if (!dropParam(key, value)) kept.push(pair);
  }
  const out = kept.length > 0 ? `${path}?${kept.join('&')}` : path;
  return out.length > MAX_PATH_LENGTH ? out.slice(0, MAX_PATH_LENGTH) : out;
}

/** IPv4 to its /24, IPv6 to its /48 (an IPv4-mapped IPv6 address as IPv4); anything else: null. */
export function truncateIp(ip: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return truncateIp(mapped[1]!);
  const kind = isIP(ip);
  if (kind === 4) return `${ip.split('.').slice(0, 3).join('.')}.0`;
  if (kind !== 6) return null;
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...left, ...new Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const first = groups.slice(0, 3).map((g) => Number.parseInt(g, 16).toString(16));
  return `${first.join(':')}::`;
}

export const BROWSER_FAMILIES = [
  'edge',
  'opera',
  'samsung',
  'firefox',
  'chrome',
  'safari',
  'bot',
  'other',
] as const;
export type BrowserFamily = (typeof BROWSER_FAMILIES)[number];

/** The browser family of a user agent; the user agent itself is never kept. */
export function browserFamily(userAgent: string | undefined): BrowserFamily {
  const ua = userAgent ?? '';
  if (/bot|crawler|spider|crawling/i.test(ua)) return 'bot';
  if (/Edg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/OPR\/|Opera/.test(ua)) return 'opera';
  if (/SamsungBrowser\//.test(ua)) return 'samsung';
  if (/Firefox\/|FxiOS\//.test(ua)) return 'firefox';
  if (/Chrome\/|CriOS\/|Chromium\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}

/** The areas of a shop a page can belong to (a closed list, so an area can never carry a value). */
export const SITE_AREAS = [
  'home',
  'catalog',
  'product',
  'search',
  'cart',
  'checkout',
  'account',
  'content',
  'support',
  'other',
] as const;
export type SiteArea = (typeof SITE_AREAS)[number];

const AREA_BY_SEGMENT: Record<string, SiteArea> = {
  '': 'home',
  products: 'product',
  product: 'product',
  p: 'product',
  catalog: 'catalog',
  collections: 'catalog',
  category: 'catalog',
  shop: 'catalog',
  search: 'search',
  cart: 'cart',
  basket: 'cart',
  checkout: 'checkout',
  account: 'account',
  help: 'support',
  support: 'support',
  contact: 'support',
  blog: 'content',
  pages: 'content',
};

/** The area a page declared (if it is one of SITE_AREAS), else one guessed from the path's first segment. */
export function siteArea(declared: string | undefined, scrubbedPath: string): SiteArea {
  if (declared && (SITE_AREAS as readonly string[]).includes(declared)) return declared as SiteArea;
  const first = scrubbedPath.split('?')[0]!.split('/')[1] ?? '';
  if (Object.hasOwn(AREA_BY_SEGMENT, first)) return AREA_BY_SEGMENT[first]!;
  return 'other';
}
