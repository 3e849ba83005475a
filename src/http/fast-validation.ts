// Compiled checks for the hot routes' bodies (POST /v1/decisions, POST /v1/collect): plain code that
// answers "this body certainly passes the route's Zod schema" without running Zod. The Zod schema
// stays the route's schema: it is what /openapi.json documents, and every body the check does not
// accept (anything unusual, and every invalid body) is judged by Zod as before, so refusals and
// their messages are unchanged. A check may only accept bodies the schema accepts, unchanged (Zod's
// output for them is the same object): test/security/fast-validation.test.ts compares the two on
// valid, invalid and mutated bodies.
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';

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

export { hasOnlyKeys, isInt, isLine, isLines, isRecord } from '../platform/plain-checks.js';
