// Compiled checks for the hot routes' bodies (POST /v1/decisions, POST /v1/collect): plain code that
// answers "this body certainly passes the route's Zod schema" without running Zod. The Zod schema
// stays the route's schema: it is what /openapi.json documents, and every body the check does not
// accept (anything unusual, and every invalid body) is judged by Zod as before, so refusals and
// their messages are unchanged. A check may only accept bodies the schema accepts, unchanged (Zod's
// output for them is the same object): test/security/fast-validation.test.ts compares the two on
// valid, invalid and mutated bodies.
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { LONE_SURROGATE } from '../platform/strings.js';

/** A body the schema certainly accepts, as the handler gets it; undefined: let Zod judge. */
export type FastCheck = (body: unknown) => unknown;

const FAST = new WeakMap<z.ZodType, FastCheck>();

/** Gives a route's body schema a compiled check (used by fastValidatorCompiler). */
export function withFastCheck<S extends z.ZodType>(schema: S, check: FastCheck): S {
  FAST.set(schema, check);
  return schema;
}

/** A schema's compiled check, if it has one (for the tests comparing it with Zod). */
export function fastCheckOf(schema: z.ZodType): FastCheck | undefined {
  return FAST.get(schema);
}

type Compile = typeof validatorCompiler;

/** Zod's validator compiler, with the compiled check first for schemas that have one. */
export const fastValidatorCompiler: Compile = (route) => {
  const zod = validatorCompiler(route);
  const fast = FAST.get(route.schema as z.ZodType);
  if (fast === undefined) return zod;
  return (data: unknown) => {
    const value = fast(data);
    return value === undefined ? zod(data) : { value };
  };
};

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
