// Shopper accounts (P15): register, verify the email by a single-use link, log in with a password
// (argon2id), reset by emailed single-use link, change password (other sessions end). The email is
// sealed under the account's own data key and found again through its blind index.

import {
  checkPasswordStrength,
  dummyPasswordHash,
  hashPassword,
  issueSecret,
  parseSecret,
  secretMatches,
  verifyPassword,
} from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { type AttemptLimiter, LOGIN_ATTEMPTS } from './attempts.js';
import type { Principal } from './principal.js';
import type { ActiveSession, SessionStore } from './sessions.js';

export const RESET_TTL_MS = 60 * 60 * 1000;
export const VERIFY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Trimmed and case-folded: the same rule as the subjects module, so blind indexes agree. */
export function normaliseAccountEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The vault key id an account's own values are sealed under. */
export function accountKeyId(accountId: string): string {
  return `account:${accountId}`;
}

export interface AccountView {
  readonly id: string;
  readonly email: string | null;
  readonly subjectId: string | null;
  readonly emailVerifiedAt: string | null;
  readonly createdAt: string;
}

export class AccountService {
  readonly #ctx: VowContext;
  readonly #sessions: SessionStore;
  readonly #attempts: AttemptLimiter;

  constructor(ctx: VowContext, sessions: SessionStore, attempts: AttemptLimiter) {
    this.#ctx = ctx;
    this.#sessions = sessions;
    this.#attempts = attempts;
  }

  #index(email: string): string {
    return this.#ctx.vault.blindIndex('email', normaliseAccountEmail(email));
  }

  async #byEmail(email: string) {
    return this.#ctx.store.db
      .selectFrom('shopper_accounts')
      .selectAll()
      .where('email_index', '=', this.#index(email))
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /**
   * Creates an unverified account. When the email already has one, nothing changes and
   * `existing` is true (the caller sends a "you already have an account" mail instead, so the
   * answer does not reveal who has an account).
   */
  async register(email: string, password: string): Promise<{ accountId: string; existing: boolean }> {
    checkPasswordStrength(password);
    const found = await this.#byEmail(email);
    if (found) return { accountId: found.id, existing: true };
    const id = this.#ctx.random.uuid();
    const now = this.#ctx.clock.now().toISOString();
    const passwordHash = await hashPassword(password, this.#ctx.random);
    const sealed = await this.#ctx.vault.encrypt(accountKeyId(id), normaliseAccountEmail(email));
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('shopper_accounts')
        .values({
          id,
          email_index: this.#index(email),
          email_sealed: sealed,
          password_hash: passwordHash,
          subject_id: null,
          email_verified_at: null,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'subject', id: `account:${id}` },
          action: 'account.registered',
          target: { type: 'account', id },
        },
        trx,
      );
    });
    return { accountId: id, existing: false };
  }

  /** A single-use link token (only its hash is kept). */
  async issueToken(accountId: string, purpose: 'reset_password' | 'verify_email'): Promise<string> {
    const issued = issueSecret(this.#ctx.random);
    const now = this.#ctx.clock.now();
    const ttl = purpose === 'reset_password' ? RESET_TTL_MS : VERIFY_TTL_MS;
    await this.#ctx.store.db
      .insertInto('account_tokens')
      .values({
        id: issued.id,
        secret_hash: issued.secretHash,
        account_id: accountId,
        purpose,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttl).toISOString(),
        used_at: null,
      })
      .execute();
    return issued.token;
  }

  /** Uses a token once; returns its account id or throws VOW_TOKEN_INVALID. */
  async #consumeToken(token: string, purpose: 'reset_password' | 'verify_email'): Promise<string> {
    const parsed = parseSecret(token);
    const invalid = new VowError('VOW_TOKEN_INVALID', 'This link is unknown, expired or already used');
    if (!parsed) throw invalid;
    return this.#ctx.store.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('account_tokens').selectAll().where('id', '=', parsed.id);
      if (this.#ctx.store.dialect === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      const now = this.#ctx.clock.now().toISOString();
      if (!row || row.purpose !== purpose || row.used_at !== null || row.expires_at <= now) throw invalid;
      if (!secretMatches(parsed.secret, row.secret_hash)) throw invalid;
      await trx.updateTable('account_tokens').set({ used_at: now }).where('id', '=', row.id).execute();
      return row.account_id;
    });
  }

  /**
   * Confirms the email; links the account to the person Vow knows by the same email (looked up
   * with `findSubject`, the subjects service's findByEmail), when there is one.
   */
  async verifyEmail(
    token: string,
    findSubject: ((email: string) => Promise<string | undefined>) | undefined,
  ): Promise<{ accountId: string; subjectId: string | null }> {
    const accountId = await this.#consumeToken(token, 'verify_email');
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db
      .updateTable('shopper_accounts')
      .set({ email_verified_at: now, updated_at: now })
      .where('id', '=', accountId)
      .execute();
    const subjectId = await this.linkSubject(accountId, findSubject);
    await this.#ctx.audit.record({
      actor: { type: 'subject', id: subjectId ?? `account:${accountId}` },
      action: 'account.email_verified',
      target: { type: 'account', id: accountId },
      details: { linked: subjectId !== null },
    });
    return { accountId, subjectId };
  }

  /** Links a verified account to the person with the same email (again later, once collected). */
  async linkSubject(
    accountId: string,
    findSubject: ((email: string) => Promise<string | undefined>) | undefined,
  ): Promise<string | null> {
    const row = await this.#row(accountId);
    if (!row || row.email_verified_at === null) return null;
    if (row.subject_id) return row.subject_id;
    if (!findSubject) return null;
    const email = await this.#ctx.vault.decrypt(accountKeyId(accountId), row.email_sealed);
    if (!email) return null;
    const subjectId = (await findSubject(email)) ?? null;
    if (subjectId) {
      await this.#ctx.store.db
        .updateTable('shopper_accounts')
        .set({ subject_id: subjectId, updated_at: this.#ctx.clock.now().toISOString() })
        .where('id', '=', accountId)
        .where('subject_id', 'is', null)
        .execute();
      await this.#ctx.audit.record({
        actor: { type: 'system' },
        action: 'account.linked_to_subject',
        target: { type: 'account', id: accountId },
        details: { subjectId },
      });
    }
    return subjectId;
  }

  async #row(accountId: string) {
    return this.#ctx.store.db
      .selectFrom('shopper_accounts')
      .selectAll()
      .where('id', '=', accountId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async view(accountId: string): Promise<AccountView | undefined> {
    const row = await this.#row(accountId);
    if (!row) return undefined;
    return {
      id: row.id,
      email: await this.#ctx.vault.decrypt(accountKeyId(row.id), row.email_sealed),
      subjectId: row.subject_id,
      emailVerifiedAt: row.email_verified_at,
      createdAt: row.created_at,
    };
  }

  /** Password login with lock-out and back-off per email; returns a session token for the cookie. */
  async login(
    email: string,
    password: string,
  ): Promise<{ token: string; sessionId: string; accountId: string }> {
    const key = `login:shopper:${this.#index(email)}`;
    await this.#attempts.check(key);
    const row = await this.#byEmail(email);
    const ok = await verifyPassword(
      row?.password_hash ?? (await dummyPasswordHash(this.#ctx.random)),
      password,
    );
    if (!row || !ok) {
      await this.#attempts.failure(key, LOGIN_ATTEMPTS);
      throw new VowError('VOW_BAD_CREDENTIALS', 'The email and password do not match');
    }
    await this.#attempts.success(key);
    const session = await this.#sessions.create('shopper', row.id, 'cookie');
    await this.#ctx.audit.record({
      actor: { type: 'subject', id: row.subject_id ?? `account:${row.id}` },
      action: 'account.login',
      target: { type: 'account', id: row.id },
    });
    return { token: session.token, sessionId: session.id, accountId: row.id };
  }

  async logout(sessionId: string): Promise<void> {
    await this.#sessions.end(sessionId);
  }

  /** For the reset mail: the account and its (decrypted) address, or undefined when none. */
  async resetRecipient(
    email: string,
  ): Promise<{ accountId: string; to: string; subjectId: string | null } | undefined> {
    const row = await this.#byEmail(email);
    if (!row) return undefined;
    const to = await this.#ctx.vault.decrypt(accountKeyId(row.id), row.email_sealed);
    return to ? { accountId: row.id, to, subjectId: row.subject_id } : undefined;
  }

  async #setPassword(accountId: string, next: string, action: string): Promise<void> {
    const hash = await hashPassword(next, this.#ctx.random);
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('shopper_accounts')
        .set({ password_hash: hash, updated_at: now })
        .where('id', '=', accountId)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'subject', id: `account:${accountId}` },
          action,
          target: { type: 'account', id: accountId },
        },
        trx,
      );
    });
  }

  /** Sets a new password from a reset link; every session of the account ends. */
  async resetPassword(token: string, next: string): Promise<string> {
    checkPasswordStrength(next);
    const accountId = await this.#consumeToken(token, 'reset_password');
    await this.#setPassword(accountId, next, 'account.password_reset');
    await this.#sessions.endAll('shopper', accountId);
    await this.#attempts.success(`login:shopper:${(await this.#row(accountId))?.email_index ?? ''}`);
    return accountId;
  }

  /** Changes the password; every other session of the account ends. */
  async changePassword(
    accountId: string,
    current: string,
    next: string,
    keepSession: string,
  ): Promise<number> {
    checkPasswordStrength(next);
    const row = await this.#row(accountId);
    if (!row || !(await verifyPassword(row.password_hash, current)))
      throw new VowError('VOW_BAD_CREDENTIALS', 'The current password is not right');
    await this.#setPassword(accountId, next, 'account.password_changed');
    return this.#sessions.endAll('shopper', accountId, keepSession);
  }

  async principalFor(session: ActiveSession): Promise<Principal | null> {
    const row = await this.#row(session.principalId);
    if (!row) return null;
    return {
      kind: 'shopper',
      accountId: row.id,
      subjectId: row.subject_id,
      via: 'cookie',
      sessionId: session.id,
    };
  }
}
