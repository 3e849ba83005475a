// Random secrets and their hashes: tokens are `<id>.<secret>`, only sha256(secret) is stored and it
// is compared in constant time. Passwords use argon2id with the OWASP parameters.
import { hash, timingSafeEqual } from 'node:crypto';
import type { Options as Argon2Options } from '@node-rs/argon2';
import type { Random } from '../clock.js';
import { VowError } from '../errors.js';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended configuration:
 * m = 19 MiB (19456 KiB), t = 2 iterations, p = 1. The parameters travel inside each PHC string,
 * so raising them later still verifies old hashes.
 */
export const ARGON2_PARAMS: Argon2Options = {
  // Algorithm.Argon2id (an ambient const enum, which isolated modules cannot read by name).
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function checkPasswordStrength(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new VowError(
      'VOW_WEAK_PASSWORD',
      `A password needs ${PASSWORD_MIN} to ${PASSWORD_MAX} characters (a few words make a good one)`,
    );
  }
}

/** The argon2 binding, loaded on the first password hashed or checked (API keys and sessions do not use it). */
const argon2 = () => import('@node-rs/argon2');

export async function hashPassword(password: string, random: Random): Promise<string> {
  return (await argon2()).hash(password, { ...ARGON2_PARAMS, salt: random.bytes(16) });
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  const { verify } = await argon2(); // outside the try: a missing binding is an error, not a wrong password
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** A hash that takes as long as a real one: verifying against it hides whether an account exists. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(random: Random): Promise<string> {
  dummyHash ??= hashPassword('not-a-password-of-anyone', random);
  return dummyHash;
}

export function sha256(value: string): string {
  // The one-shot form: a quarter of createHash's cost, and it runs on every API call.
  return hash('sha256', value, 'base64url');
}

export interface IssuedSecret {
  readonly id: string;
  /** What the holder keeps (cookie value, bearer token, link token). Never stored. */
  readonly token: string;
  readonly secretHash: string;
}

/** A new `<prefix><id>.<secret>` token with 256 random bits of secret. */
export function issueSecret(random: Random, prefix = ''): IssuedSecret {
  // An id is typed on command lines (`vow staff api-key revoke <id>`), where one starting with "-"
  // (1 in 64 of base64url ids) reads as an option: such an id is drawn again.
  let id = random.bytes(12).toString('base64url');
  while (id.startsWith('-')) id = random.bytes(12).toString('base64url');
  const secret = random.bytes(32).toString('base64url');
  return { id, token: `${prefix}${id}.${secret}`, secretHash: sha256(secret) };
}

/** Splits a token into id and secret (or undefined when it is not shaped like one). */
export function parseSecret(token: string, prefix = ''): { id: string; secret: string } | undefined {
  if (!token.startsWith(prefix)) return undefined;
  const rest = token.slice(prefix.length);
  const m = /^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(rest);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** Constant-time check of a presented secret against its sha256 as bytes. */
function digestMatches(secret: string, digest: Buffer): boolean {
  const presented = hash('sha256', secret, 'buffer') as unknown as Buffer;
  return presented.length === digest.length && timingSafeEqual(presented, digest);
}

/**
 * Constant-time check that `text`, from `offset` to its end, is `known` (a remembered API key's
 * secret, read in place from the presented key): every character is compared, with no early exit
 * and no copy of the secret made. A different length is refused at once (the length of a secret is
 * no secret: every one has 43 characters).
 */
export function sameSecretAt(text: string, offset: number, known: string): boolean {
  if (text.length - offset !== known.length) return false;
  let diff = 0;
  for (let i = 0; i < known.length; i++) diff |= text.charCodeAt(offset + i) ^ known.charCodeAt(i);
  return diff === 0;
}

/** Constant-time check of a presented secret against the stored hash (base64url sha256). */
export function secretMatches(secret: string, storedHash: string): boolean {
  return digestMatches(secret, Buffer.from(storedHash, 'base64url'));
}
