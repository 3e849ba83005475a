// API keys of the retailer's shop backend (`service` access). A key is shown once at creation;
// only the hash of its secret is stored, and presented keys are compared in constant time.
// A process remembers the keys it has verified for VOW_API_KEY_CACHE_SECONDS (default 5): the
// shop's backend calls on every page, and reading the key's row on each call was the largest cost
// of a decision over HTTP. Each request still checks the presented secret in constant time, against
// the secret that was verified (kept in this process's memory, where every request's key passes
// anyway, for those seconds: hashing it again on every call was a tenth of a decision's CPU); a key
// revoked through this process stops at once, one revoked elsewhere (another process, the CLI)
// within those seconds. What the key may do (its scopes, api-scopes.ts) is remembered with it, as
// the principal every request with it is given: the scope check reads nothing more.

import { issueSecret, parseSecret, sameSecretAt, secretMatches } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { type ApiScope, checkScopes, parseStoredScopes, scopeMask, storedScopes } from './api-scopes.js';
import type { ServicePrincipal } from './principal.js';

export const API_KEY_PREFIX = 'vow_sk_';
/** Where a key's secret starts (after the prefix, the 16-character id and the dot), and its length. */
const SECRET_AT = API_KEY_PREFIX.length + 16 + 1;
const KEY_LENGTH = SECRET_AT + 43;
const DOT = 0x2e;

export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: ApiScope[];
  readonly createdAt: string;
  /** The staff member who made it (null: the command line). */
  readonly createdBy: string | null;
  readonly revokedAt: string | null;
}

interface VerifiedKey {
  /** The principal of the key's requests (shared by them all: it is read-only). */
  readonly principal: ServicePrincipal;
  /** The secret that matched the stored hash (43 base64url characters): later calls are compared with it. */
  readonly secret: string;
  /** Clock time (ms) after which the row is read again. */
  readonly until: number;
}

export class ApiKeys {
  readonly #ctx: VowContext;
  readonly #ttlMs: number;
  /** Verified, unrevoked keys by id (only keys that exist: a made-up id is never remembered). */
  readonly #verified = new Map<string, VerifiedKey>();

  constructor(ctx: VowContext) {
    this.#ctx = ctx;
    this.#ttlMs = ctx.config.apiKeyCacheSeconds * 1000;
  }

  /**
   * Creates a key with its scopes (at least one; `all` for every route a key can reach); the returned
   * `key` is the only time the secret is visible.
   */
  async create(
    name: string,
    createdBy: string | null,
    scopes: readonly string[],
  ): Promise<{ id: string; key: string; scopes: ApiScope[] }> {
    // The name is all `vow staff api-key list` shows of a key: without one, no one can tell which
    // key to revoke.
    if (!name.trim() || name.trim().length > 100 || /[\r\n]/.test(name))
      throw new VowError(
        'VOW_VALIDATION',
        'An API key needs a name of 1 to 100 characters, on one line, saying what it is for',
      );
    const granted = checkScopes(scopes);
    const issued = issueSecret(this.#ctx.random, API_KEY_PREFIX);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_keys')
        .values({
          id: issued.id,
          name,
          secret_hash: issued.secretHash,
          scopes: storedScopes(granted),
          created_by: createdBy,
          created_at: this.#ctx.clock.now().toISOString(),
          revoked_at: null,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: createdBy ? { type: 'staff', id: createdBy } : { type: 'system' },
          action: 'security.api_key.created',
          target: { type: 'api_key', id: issued.id },
          reason: 'API key created for the shop backend',
          details: { scopes: granted },
        },
        trx,
      );
    });
    return { id: issued.id, key: issued.token, scopes: granted };
  }

  async revoke(id: string, by: string | null): Promise<boolean> {
    this.#verified.delete(id);
    const revoked = await this.#ctx.store.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('api_keys')
        .set({ revoked_at: this.#ctx.clock.now().toISOString() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      await this.#ctx.audit.record(
        {
          actor: by ? { type: 'staff', id: by } : { type: 'system' },
          action: 'security.api_key.revoked',
          target: { type: 'api_key', id },
        },
        trx,
      );
      return true;
    });
    // Again after the commit: a request verified while the revocation was being written must not
    // leave the key remembered.
    this.#verified.delete(id);
    return revoked;
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.#ctx.store.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      scopes: parseStoredScopes(r.scopes),
      createdAt: r.created_at,
      createdBy: r.created_by,
      revokedAt: r.revoked_at,
    }));
  }

  /**
   * The answer for a presented key from what this process verified recently, without a query:
   * the key's principal, null (refused), or undefined when the key's row must be read (authenticate()).
   */
  verifiedNow(presented: string): ServicePrincipal | null | undefined {
    // A key's shape is fixed (prefix, 16-character id, dot, 43-character secret): its id is read by
    // position, with no expression to match and no copy of the secret. Only ids verified against
    // the store are remembered, so a malformed id finds nothing and goes on to parseSecret below;
    // a malformed secret can never equal the remembered one (which is well formed): refused, as
    // parseSecret would have it.
    const id =
      presented.length === KEY_LENGTH && presented.charCodeAt(SECRET_AT - 1) === DOT
        ? presented.slice(API_KEY_PREFIX.length, SECRET_AT - 1)
        : undefined;
    if (id === undefined || !presented.startsWith(API_KEY_PREFIX))
      return parseSecret(presented, API_KEY_PREFIX) ? undefined : null;
    const known = this.#verified.get(id);
    if (!known) return parseSecret(presented, API_KEY_PREFIX) ? undefined : null;
    if (this.#ctx.clock.now().getTime() >= known.until) {
      this.#verified.delete(id);
      return parseSecret(presented, API_KEY_PREFIX) ? undefined : null;
    }
    return sameSecretAt(presented, SECRET_AT, known.secret) ? known.principal : null;
  }

  /** The principal of a presented bearer key (its id and scopes), or undefined. */
  async authenticate(presented: string): Promise<ServicePrincipal | undefined> {
    const quick = this.verifiedNow(presented);
    if (quick !== undefined) return quick ?? undefined;
    const parsed = parseSecret(presented, API_KEY_PREFIX)!;
    const now = this.#ctx.clock.now().getTime();
    const row = await this.#ctx.store.db
      .selectFrom('api_keys')
      .select(['id', 'secret_hash', 'scopes', 'revoked_at'])
      .where('id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    const scopes = Object.freeze(parseStoredScopes(row.scopes));
    const principal: ServicePrincipal = Object.freeze({
      kind: 'service',
      keyId: row.id,
      scopes,
      scopeMask: scopeMask(scopes),
    });
    if (this.#ttlMs > 0)
      this.#verified.set(row.id, {
        principal,
        secret: parsed.secret,
        until: now + this.#ttlMs,
      });
    return principal;
  }
}
