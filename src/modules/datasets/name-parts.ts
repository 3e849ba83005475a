// How a correction of a person's whole name reaches a copy that keeps the name in parts (a catalog
// request's first_name and last_name, a shop's customer columns): the columns or JSON keys are
// annotated `name_part: given | family`, and the corrected name is split the way that copy split
// the name it held before.
import type { NamePart } from './types.js';

const words = (s: string): string[] => s.trim().split(/\s+/).filter(Boolean);

/**
 * The given and family parts of a corrected whole name, split as the copy split its old one: the
 * family part takes as many words from the end as the old family part held (one when it held none
 * or is unknown), always leaving at least one word to the given part. A one-word name is all given
 * name, and empties the family part. Examples (old family → new name → given | family):
 * "Everywhere" → "Ivy Mae Jones" → "Ivy Mae" | "Jones"; "García López" → "Ana Ruiz Soto" → "Ana" |
 * "Ruiz Soto"; "van der Berg" → "Mary Smith" → "Mary" | "Smith"; any → "Cher" → "Cher" | "".
 */
export function splitName(name: string, oldFamily: unknown): Record<NamePart, string> {
  const all = words(name);
  if (all.length <= 1) return { given: all[0] ?? '', family: '' };
  const held = typeof oldFamily === 'string' ? words(oldFamily).length : 0;
  const n = Math.min(Math.max(held, 1), all.length - 1);
  return { given: all.slice(0, -n).join(' '), family: all.slice(-n).join(' ') };
}
