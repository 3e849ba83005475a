// The string schemas of every request (bodies, path parameters, query strings): a control
// character never gets past the edge. NUL cannot be stored by PostgreSQL (its drivers fail the query:
// a 500 with a stack, before this), and the others (escape sequences, backspaces, C1 controls) only
// ever serve to hide text in logs, exports and the console. Free text (a complaint, a message, the
// details of a request) may hold tabs and line breaks; everything else is one line.
import { z } from 'zod';

/** Every C0 control, DEL and every C1 control. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u001F\u007F-\u009F]*$/;
/** The same, but tab, line feed and carriage return are allowed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NO_CONTROL_BUT_BREAKS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;

const MESSAGE = 'must not contain control characters';

/**
 * Half of a UTF-16 surrogate pair without its other half. JSON can carry one (`"\ud800"`), but no
 * text holds one: written as UTF-8 (to a database, a file, a sealed value) it silently became U+FFFD,
 * so what was stored was not what was sent.
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const NOT_WELL_FORMED = 'must be well-formed text (it holds half of a surrogate pair)';

/** One line of text: no control character at all, no lone surrogate (VOW_VALIDATION otherwise). */
export function line(): z.ZodString {
  return z.string().regex(NO_CONTROL, MESSAGE).regex(WELL_FORMED, NOT_WELL_FORMED);
}

/** Free text (messages, details, reasons): tabs and line breaks allowed, no other control character. */
export function prose(): z.ZodString {
  return z
    .string()
    .regex(NO_CONTROL_BUT_BREAKS, `${MESSAGE} (other than tabs and line breaks)`)
    .regex(WELL_FORMED, NOT_WELL_FORMED);
}

/** Any character outside Latin-1 (surrogate halves included). */
const WIDE = /[\u0100-\uffff]/;

/**
 * The same text, held by V8 one byte a character where it can be. Text built from a source that
 * held any wider character (the policy's YAML, say) stays two bytes a character, and Node encodes
 * such a string to UTF-8 more slowly each time it is written: a compact copy is worth making for a
 * text sent again and again.
 */
export function oneByte(text: string): string {
  return WIDE.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

// A count's words live in counts.ts (no zod: the command line's start loads them).
export { counted, noun } from './counts.js';

/** Not white space and not `@`: a character of `[^\s@]`. */
function addressChar(c: string): boolean {
  return c !== '@' && !/\s/.test(c);
}

/**
 * Whether a whole text is shaped like an email address, `^[^\s@]+@[^\s@]+\.[^\s@]+$`, tested in
 * one pass. That regex backtracks quadratically on a long run of dots after the `@` (60 KB of
 * them: 4.5 s of CPU for one anonymous log-in, security.md #32); use this instead everywhere.
 */
export function isEmailShaped(text: string): boolean {
  const at = text.indexOf('@');
  if (at < 1 || text.includes('@', at + 1) || /\s/.test(text)) return false;
  const dot = text.indexOf('.', at + 2);
  return dot !== -1 && dot < text.length - 1;
}

/** RFC 5322's specials, which make an address a group, a comment, a list or a quoted string. */
const ADDRESS_SPECIALS = /[<>()[\]:;,"\\]/;

/**
 * Whether a text is an address a mail library delivers to as written: shaped like an email address
 * (isEmailShaped) without any of RFC 5322's specials. `x:ann@example.org` (a group),
 * `(1)ann@example.org` (a comment) or `ann@example.org(` pass the shape, yet nodemailer sends each to
 * ann@example.org: every prefix was an address of its own, with a mail budget of its own, all
 * landing in one inbox (security.md #33). Vow mails only addresses that pass this.
 */
export function isPlainAddress(text: string): boolean {
  return isEmailShaped(text) && !ADDRESS_SPECIALS.test(text);
}

/**
 * Whether a text holds something shaped like an email address anywhere, `[^\s@]+@[^\s@]+\.[^\s@]+`
 * unanchored, tested in one pass (the regex rescans the rest of the text from every position when
 * there is no `@`: 64 KB of letters, 7.6 s; security.md #32).
 */
export function containsEmailShape(text: string): boolean {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at === 0 || !addressChar(text[at - 1]!)) continue;
    // The run of address characters after the `@` needs a dot with a character either side.
    let end = at + 1;
    let dot = -1;
    while (end < text.length && addressChar(text[end]!)) {
      if (dot === -1 && end > at + 1 && text[end] === '.') dot = end;
      end++;
    }
    if (dot !== -1 && dot < end - 1) return true;
  }
  return false;
}

/**
 * A phone-like run: at least two digits with digits, spaces, brackets, dots, slashes or dashes
 * between, standing on its own (runs glued to letters, digits or dashes are parts of ids: UUIDs,
 * `REQ-123456789`). It counts as a phone number from 9 digits on (a date's 8 do not).
 */
const PHONE_RUN = /(?<![\p{L}\p{N}-])\+?\d[\d ()./-]{6,}\d(?![\p{L}\p{N}-])/gu;

/** What names a reference number just before it: `#`, or `ticket`, `case no.`, `order:`, … */
const REFERENCE_BEFORE =
  /(?:#|\b(?:ticket|case|ref|reference|request|order|invoice|confirmation|tracking)\.?(?:\s+(?:no|nr|num|number)\.?)?\s*[:#]?)\s*$/iu;

/**
 * Whether a text staff or code write for keeping (an audit entry, a reason, a downstream task's
 * evidence) holds something shaped like an email address or a phone number: the one rule of every
 * such check, so a text the form accepts is one the audit trail's guard accepts. Read as NFKC (a
 * full-width `＠` or full-width digits as the plain ones; security.md #53). A run of 9 or more plain
 * digits named as a reference (`ticket 4521003317`, `#4521003317`, `case no. 123456789`) is a
 * ticket or order number, not a phone: a phone number written with separators or a `+` is refused
 * whatever precedes it.
 */
export function holdsContactShape(text: string): boolean {
  const plain = text.normalize('NFKC');
  if (containsEmailShape(plain)) return true;
  for (const m of plain.matchAll(PHONE_RUN)) {
    const run = m[0];
    if (run.replace(/\D/g, '').length < 9) continue;
    const named = /^\d+$/.test(run) && REFERENCE_BEFORE.test(plain.slice(Math.max(0, m.index - 40), m.index));
    if (!named) return true;
  }
  return false;
}
