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

/** One line of text: no control character at all (VOW_VALIDATION otherwise). */
export function line(): z.ZodString {
  return z.string().regex(NO_CONTROL, MESSAGE);
}

/** Free text (messages, details, reasons): tabs and line breaks allowed, no other control character. */
export function prose(): z.ZodString {
  return z.string().regex(NO_CONTROL_BUT_BREAKS, `${MESSAGE} (other than tabs and line breaks)`);
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

/** A count in words: "1 row", "2 rows" (`many` for plurals other than an added s). */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
