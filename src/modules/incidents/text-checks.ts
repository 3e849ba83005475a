// Checks of the register's free text (the officer's and customer service's words), which reach the
// console and, through the Art. 34 message, the mail of every person affected.

/**
 * The Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
 * make text display in another order than it is stored ("Trojan Source"), so what a reviewer reads is
 * not what a person gets. Right-to-left text needs none of them (the marks U+200E/U+200F are allowed).
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export function hasBidiControl(text: string | null | undefined): boolean {
  return !!text && BIDI_CONTROL.test(text);
}
