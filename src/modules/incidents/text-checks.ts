// Checks of the register's free text (the officer's and customer service's words), which reach the
// console and, through the Art. 34 message, the mail of every person affected.
import { containsEmailShape } from '../../platform/strings.js';

/**
 * The Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
 * make text display in another order than it is stored ("Trojan Source"), so what a reviewer reads is
 * not what a person gets. Right-to-left text needs none of them (the marks U+200E/U+200F are allowed).
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export function hasBidiControl(text: string | null | undefined): boolean {
  return !!text && BIDI_CONTROL.test(text);
}

/** The ideographic full stop, which IDNA (and so every mail client) reads as a domain's dot. */
const IDEOGRAPHIC_STOP = /\u3002/g;

const OPEN_TO_CLOSE: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const MARKS: Readonly<Record<string, string>> = { at: '@', '@': '@', dot: '.', '.': '.' };
/** At most this many spaces inside a bracketed mark: the look-ahead from any character is bounded. */
const MAX_INNER_SPACES = 2;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\u00a0';
}

/**
 * The bracketed mark starting at `i` (`(at)`, `[ dot ]`, `{@}`, `<.>`, any case, up to two spaces
 * inside): what it stands for and where it ends; undefined if there is none. Constant work: a mark
 * is at most 3 + 2 × MAX_INNER_SPACES characters.
 */
function markAt(text: string, i: number): { char: string; end: number } | undefined {
  const close = OPEN_TO_CLOSE[text[i]!];
  if (!close) return undefined;
  let j = i + 1;
  for (let n = 0; n < MAX_INNER_SPACES && isSpace(text[j]); n++) j++;
  const word = text.slice(j, j + 3).toLowerCase();
  const len = word === 'dot' ? 3 : word.startsWith('at') ? 2 : text[j] === '@' || text[j] === '.' ? 1 : 0;
  if (!len) return undefined;
  const char = MARKS[word.slice(0, len)]!;
  j += len;
  for (let n = 0; n < MAX_INNER_SPACES && isSpace(text[j]); n++) j++;
  return text[j] === close ? { char, end: j + 1 } : undefined;
}

/**
 * The text with its disguises of `@` and `.` undone, in one pass: a bracketed mark (`(at)`, `[dot]`,
 * `{@}` ...) becomes the character it stands for, and the spaces around it or around an `@` go
 * (`ann @ example.com`, `ann (at) example (dot) com`). The text between marks is copied in slices;
 * each character is read a bounded number of times, so the pass is linear.
 */
function undisguised(text: string): string {
  const out: string[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const mark = text[i] === '@' ? { char: '@', end: i + 1 } : markAt(text, i);
    if (!mark) {
      i++;
      continue;
    }
    // The slice since the last mark starts after that mark's spaces: trimming it drops all of them.
    out.push(text.slice(from, i).trimEnd(), mark.char);
    i = mark.end;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    from = i;
  }
  out.push(text.slice(from));
  return out.join('');
}

/** Whether a text holds an `@` or a bracketed mark of one (the look-ahead is bounded: linear). */
const AT_SIGN = /@|[([{<][ \t\u00a0]{0,2}at[ \t\u00a0]{0,2}[)\]}>]/i;

/** A letter (of any script): a domain's last label starts with one, a price's decimals do not. */
const LETTER = /\p{L}/u;

/**
 * Whether a text holds `[^\s@]+@` followed by a domain with a dot before a letter, in one pass:
 * the shape of an address once its disguises are undone. The letter keeps `2 items @ 5.99` out.
 */
function containsNamedDomain(text: string): boolean {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at === 0 || /[\s@]/.test(text[at - 1]!)) continue;
    for (let j = at + 1; j < text.length && !/[\s@]/.test(text[j]!); j++)
      if (text[j] === '.' && j > at + 1 && LETTER.test(text[j + 1] ?? '')) return true;
  }
  return false;
}

/**
 * Whether a text holds an email address, typed plainly or disguised (the register names no one and
 * the Art. 34 message carries only the policy's contact point). The text is first normalised (NFKC:
 * `ann＠example.com` with a full-width or small `@`, full-width letters and dots, the one-dot
 * leader all become their plain forms; the ideographic full stop is a dot too); then it is refused
 * if it holds the shape of an address (containsEmailShape), or that shape once bracketed marks and
 * spaced `@` are undone (`ann (at) example (dot) com`, `ann [at] example.com`, `ann @ example.com`).
 * Words alone (`ann at example dot com`) are not read as marks: "look at it dot by dot" is prose.
 * Every step is one pass over the text, so a long text costs linear time (see docs/incidents.md).
 */
export function holdsEmailAddress(text: string | null | undefined): boolean {
  if (!text) return false;
  const plain = text.normalize('NFKC').replace(IDEOGRAPHIC_STOP, '.');
  return containsEmailShape(plain) || (AT_SIGN.test(plain) && containsNamedDomain(undisguised(plain)));
}
