// Plain checks of parsed JSON values that answer as a Zod schema would (line(), z.number().int(),
// a strict object's keys), for the compiled checks that let usual bodies skip Zod's parse: the hot
// routes' (src/http/fast-validation.ts) and the imports' rows (collection's body-checks.ts).
import { LONE_SURROGATE } from './strings.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the same test as line() (src/platform/strings.ts)
const NO_CONTROL = /^[^\u0000-\u001F\u007F-\u009F]*$/;

/** A plain JSON object (what the body parser makes), not an array or null. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** line().min(min).max(max): a string of min..max UTF-16 units without control characters or lone surrogates. */
export function isLine(v: unknown, min: number, max: number): v is string {
  return (
    typeof v === 'string' &&
    v.length >= min &&
    v.length <= max &&
    NO_CONTROL.test(v) &&
    !LONE_SURROGATE.test(v)
  );
}

/** An array of min..max lines of minLen..maxLen. */
export function isLines(v: unknown, min: number, max: number, minLen: number, maxLen: number): boolean {
  if (!Array.isArray(v) || v.length < min || v.length > max) return false;
  for (const item of v) if (!isLine(item, minLen, maxLen)) return false;
  return true;
}

/** z.number().int().min(min).max(max), kept to safe integers. */
export function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

/** Whether every own key of `o` is one of `allowed` (a strict object's rule), `o` holding `required`. */
export function hasOnlyKeys(
  o: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  required: readonly string[],
): boolean {
  for (const key in o) if (!Object.hasOwn(o, key) || !allowed.has(key)) return false;
  for (const key of required) if (o[key] === undefined) return false;
  return true;
}
