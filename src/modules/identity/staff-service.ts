// Staff accounts and roles: one-time passwords that must be replaced at first login, argon2id
// hashes, optional TOTP second factor, lock-out with back-off, every change audited.
import { Secret, TOTP } from 'otpauth';
import { checkPasswordStrength, hashPassword, sha256 } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { type AttemptLimiter, TOTP_ATTEMPTS } from './attempts.js';
import type { Principal, StaffRole } from './principal.js';
import type { ActiveSession, SessionStore } from './sessions.js';
import { parseRoles, type StaffActor, type StaffInfo, USERNAME } from './staff-types.js';

export type { StaffActor, StaffInfo } from './staff-types.js';

/** How long a one-time password (a new account's, a reset one) works: a forgotten one in a mailbox expires. */
export const ONE_TIME_PASSWORD_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class StaffService {
  readonly #ctx: VowContext;
  readonly #sessions: SessionStore;
  readonly #attempts: AttemptLimiter;

  constructor(ctx: VowContext, sessions: SessionStore, attempts: AttemptLimiter) {
    this.#ctx = ctx;
    this.#sessions = sessions;
    this.#attempts = attempts;
  }

  #oneTimePassword(): string {
    return this.#ctx.random.bytes(18).toString('base64url');
  }

  /** When a one-time password issued now stops working. */
  #oneTimeEnd(): string {
    return new Date(this.#ctx.clock.now().getTime() + ONE_TIME_PASSWORD_TTL_MS).toISOString();
  }

  /** On the very first start: one admin with a one-time password (returned once, to print). */
  async ensureBootstrapAdmin(): Promise<{ username: string; password: string } | undefined> {
    const any = await this.#ctx.store.db
      .selectFrom('staff_accounts')
      .select('id')
      .limit(1)
      .executeTakeFirst();
    if (any) return undefined;
    const password = await this.#insert('admin', ['admin'], null, 'first start: bootstrap administrator');
    return { username: 'admin', password };
  }

  async #insert(
    username: string,
    roles: StaffRole[],
    by: StaffActor | null,
    reason: string,
  ): Promise<string> {
    if (!USERNAME.test(username))
      throw new VowError(
        'VOW_VALIDATION',
        'A user name is 2-64 lower-case letters, digits, dots, dashes or underscores',
      );
    const password = this.#oneTimePassword();
    const id = this.#ctx.random.uuid();
    const now = this.#ctx.clock.now().toISOString();
    const passwordHash = await hashPassword(password, this.#ctx.random);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('staff_accounts')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst();
      if (exists) throw new VowError('VOW_STAFF_EXISTS', `Staff account "${username}" already exists`);
      await trx
        .insertInto('staff_accounts')
        .values({
          id,
          username,
          password_hash: passwordHash,
          roles: JSON.stringify(roles),
          disabled: 0,
          must_change_password: 1,
          one_time_expires_at: this.#oneTimeEnd(),
          totp_sealed: null,
          credentials_issued_by: by?.id ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: by ? { type: 'staff', id: by.id } : { type: 'system' },
          action: 'staff.account.created',
          target: { type: 'staff', id },
          reason,
          details: { roles },
        },
        trx,
      );
    });
    return password;
  }

  /**
   * The privacy officer approves what needs four eyes (the under-13 purge): only another privacy
   * officer, or the command line, may make someone one, remove the role, or issue a privacy
   * officer's credentials. An administrator could otherwise mint a second account to approve their
   * own proposals, or reset a privacy officer's password and act as them.
   */
  #assertMayTouchPrivacyOfficer(by: StaffActor | null, what: string): void {
    // null: the command line, run by whoever runs the server (trusted).
    if (by !== null && !by.roles.includes('privacy_officer'))
      throw new VowError('VOW_ROLE_GRANT_FORBIDDEN', `Only a privacy officer may ${what}`);
  }

  /** Adds a staff member; returns their one-time password (they must change it at first login). */
  async add(
    username: string,
    roles: readonly string[],
    by: StaffActor | null,
  ): Promise<{ id: string; password: string }> {
    const parsed = parseRoles(roles);
    if (parsed.includes('privacy_officer')) this.#assertMayTouchPrivacyOfficer(by, 'add a privacy officer');
    const password = await this.#insert(username, parsed, by, 'staff account added');
    const row = await this.#byUsername(username);
    return { id: row!.id, password };
  }

  async #byUsername(username: string) {
    return this.#ctx.store.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
  }

  /** The lock-out target of a staff member's password (by user name, whether or not it exists). */
  #loginTarget(username: string): string {
    return `login:staff:${sha256(username.toLowerCase())}`;
  }

  /**
   * Reserves a password guess for the account from `from` (a client address), then checks it:
   * VOW_LOCKED_OUT before any check when the limiter refuses, VOW_BAD_CREDENTIALS when wrong.
   */
  async #checkPassword(
    username: string,
    hash: string | undefined,
    password: string,
    from: string,
  ): Promise<boolean> {
    return this.#attempts.checkPassword(this.#loginTarget(username), from, hash, password);
  }

  async #require(username: string) {
    const row = await this.#byUsername(username);
    if (!row) throw new VowError('VOW_UNKNOWN_STAFF', `No staff account "${username}"`);
    return row;
  }

  async list(): Promise<StaffInfo[]> {
    const rows = await this.#ctx.store.db
      .selectFrom('staff_accounts')
      .selectAll()
      .orderBy('username')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      roles: JSON.parse(r.roles) as StaffRole[],
      disabled: r.disabled === 1,
      mustChangePassword: r.must_change_password === 1,
      totp: r.totp_sealed !== null,
      createdAt: r.created_at,
    }));
  }

  /**
   * Replaces a staff member's roles. No one changes their own roles; granting or removing the
   * privacy officer role takes a privacy officer (or the command line).
   */
  async setRoles(username: string, roles: readonly string[], by: StaffActor | null): Promise<void> {
    const parsed = parseRoles(roles);
    const row = await this.#require(username);
    if (by !== null && by.id === row.id)
      throw new VowError(
        'VOW_SELF_ROLE_CHANGE',
        'You cannot change your own roles; ask another administrator',
      );
    const had = (JSON.parse(row.roles) as string[]).includes('privacy_officer');
    if (had !== parsed.includes('privacy_officer'))
      this.#assertMayTouchPrivacyOfficer(by, 'grant or remove the privacy officer role');
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff_accounts')
        .set({ roles: JSON.stringify(parsed), updated_at: this.#ctx.clock.now().toISOString() })
        .where('id', '=', row.id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: by ? { type: 'staff', id: by.id } : { type: 'system' },
          action: 'staff.account.roles_set',
          target: { type: 'staff', id: row.id },
          details: { from: JSON.parse(row.roles), to: parsed },
        },
        trx,
      );
    });
  }

  /**
   * Disables (every session ends) or enables a staff member. A privacy officer's account takes a
   * privacy officer (or the command line) either way: an administrator could otherwise disable
   * every privacy officer, and nothing needing four eyes could be approved.
   */
  async setDisabled(username: string, disabled: boolean, by: StaffActor | null): Promise<void> {
    const row = await this.#require(username);
    if ((JSON.parse(row.roles) as string[]).includes('privacy_officer'))
      this.#assertMayTouchPrivacyOfficer(by, `${disabled ? 'disable' : 'enable'} a privacy officer`);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff_accounts')
        .set({ disabled: disabled ? 1 : 0, updated_at: this.#ctx.clock.now().toISOString() })
        .where('id', '=', row.id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: by ? { type: 'staff', id: by.id } : { type: 'system' },
          action: disabled ? 'staff.account.disabled' : 'staff.account.enabled',
          target: { type: 'staff', id: row.id },
        },
        trx,
      );
    });
    if (disabled) await this.#sessions.endAll('staff', row.id);
  }

  /**
   * A new one-time password for a staff member who lost theirs (and, with `clearTotp`, their
   * authenticator); every session of theirs ends and the password must be changed at next log-in.
   */
  async resetPassword(username: string, by: StaffActor | null, clearTotp = false): Promise<string> {
    const row = await this.#require(username);
    if ((JSON.parse(row.roles) as string[]).includes('privacy_officer'))
      this.#assertMayTouchPrivacyOfficer(by, "reset a privacy officer's credentials");
    const password = this.#oneTimePassword();
    const hash = await hashPassword(password, this.#ctx.random);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff_accounts')
        .set({
          password_hash: hash,
          must_change_password: 1,
          one_time_expires_at: this.#oneTimeEnd(),
          credentials_issued_by: by?.id ?? null,
          updated_at: this.#ctx.clock.now().toISOString(),
          ...(clearTotp ? { totp_sealed: null, totp_last_step: null } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: by ? { type: 'staff', id: by.id } : { type: 'system' },
          action: 'staff.password.reset',
          target: { type: 'staff', id: row.id },
          details: { totpCleared: clearTotp },
        },
        trx,
      );
    });
    await this.#sessions.endAll('staff', row.id);
    // New credentials: the old ones' failures are forgotten.
    await this.#attempts.forgive(this.#loginTarget(row.username));
    return password;
  }

  /**
   * Checks user name, password and (when enrolled) the TOTP code. Each password guess is counted
   * before it is checked, per account and client address (`from`), so neither parallel tries nor
   * failures from other addresses get past the limit or lock the owner out; a TOTP code works once,
   * even for log-ins racing each other. Returns a new session token (cookie or bearer).
   */
  async login(
    input: { username: string; password: string; totp?: string | undefined },
    via: 'cookie' | 'bearer',
    from: string,
  ): Promise<{ token: string; sessionId: string; staffId: string; mustChangePassword: boolean }> {
    if (this.#ctx.config.oidc?.only)
      throw new VowError(
        'VOW_PASSWORD_LOGIN_DISABLED',
        'Staff log in through single sign-on only; use “Sign in with single sign-on”',
      );
    const username = input.username.toLowerCase();
    const row = await this.#byUsername(username);
    const ok = await this.#checkPassword(username, row?.password_hash, input.password, from);
    if (!row || !ok || row.disabled === 1)
      throw new VowError('VOW_BAD_CREDENTIALS', 'The user name and password do not match');
    const end = row.must_change_password === 1 ? row.one_time_expires_at : null;
    if (end !== null && end <= this.#ctx.clock.now().toISOString())
      throw new VowError(
        'VOW_PASSWORD_EXPIRED',
        'This one-time password has expired: ask an administrator for a new one',
      );
    if (row.totp_sealed !== null) {
      if (!input.totp)
        throw new VowError('VOW_TOTP_REQUIRED', 'Enter the 6-digit code of your authenticator app');
      const attempt = await this.#attempts.beginSingle(`totp:staff:${row.id}`, TOTP_ATTEMPTS);
      const secret = await this.#ctx.vault.decrypt(`staff:${row.id}`, row.totp_sealed);
      const step = secret ? this.#totpStep(secret, input.totp) : undefined;
      // A code works once: its step must be later than the last one used, set by compare-and-set so
      // that of two log-ins racing with one code, only one moves the step and gets in.
      const claimed =
        step !== undefined &&
        Number(
          (
            await this.#ctx.store.db
              .updateTable('staff_accounts')
              .set({ totp_last_step: step })
              .where('id', '=', row.id)
              .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
              .executeTakeFirst()
          ).numUpdatedRows,
        ) === 1;
      if (!claimed) throw new VowError('VOW_BAD_CREDENTIALS', 'The code is not right (or has expired)');
      await attempt.succeeded();
    }
    const session = await this.#sessions.create('staff', row.id, via);
    await this.#ctx.audit.record({
      actor: { type: 'staff', id: row.id },
      action: 'staff.login',
      target: { type: 'staff', id: row.id },
      details: { via, secondFactor: row.totp_sealed !== null },
    });
    return {
      token: session.token,
      sessionId: session.id,
      staffId: row.id,
      mustChangePassword: row.must_change_password === 1,
    };
  }

  /** The time step a valid code belongs to (one step of clock drift either way), or undefined. */
  #totpStep(base32: string, code: string): number | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    const totp = new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30, algorithm: 'SHA1' });
    const now = this.#ctx.clock.now().getTime();
    const delta = totp.validate({ token: code, timestamp: now, window: 1 });
    return delta === null ? undefined : Math.floor(now / 30_000) + delta;
  }

  /** Checks a staff member's current password through the log-in limiter (counted before the check). */
  async #requireCurrentPassword(staffId: string, current: string, from: string) {
    const row = await this.#ctx.store.db
      .selectFrom('staff_accounts')
      .selectAll()
      .where('id', '=', staffId)
      .executeTakeFirst();
    if (!row || !(await this.#checkPassword(row.username, row.password_hash, current, from)))
      throw new VowError('VOW_BAD_CREDENTIALS', 'The current password is not right');
    return row;
  }

  /**
   * Changes the password (the current one is checked through the log-in limiter); every other
   * session of this staff member ends.
   */
  async changePassword(
    staffId: string,
    current: string,
    next: string,
    keepSession?: string,
    from = 'local',
  ): Promise<void> {
    checkPasswordStrength(next);
    await this.#requireCurrentPassword(staffId, current, from);
    if (current === next)
      throw new VowError('VOW_WEAK_PASSWORD', 'Choose a password different from the one-time password');
    const hash = await hashPassword(next, this.#ctx.random);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff_accounts')
        .set({
          password_hash: hash,
          must_change_password: 0,
          one_time_expires_at: null,
          updated_at: this.#ctx.clock.now().toISOString(),
        })
        .where('id', '=', staffId)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: 'staff.password.changed',
          target: { type: 'staff', id: staffId },
        },
        trx,
      );
    });
    await this.#sessions.endAll('staff', staffId, keepSession);
  }

  /** A fresh TOTP secret to show as a QR code / text; nothing is stored until confirmTotp. */
  newTotpSecret(username: string): { secret: string; uri: string } {
    const secret = new Secret({ buffer: new Uint8Array(this.#ctx.random.bytes(20)).buffer });
    const totp = new TOTP({
      issuer: 'Vow',
      label: username,
      secret,
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    });
    return { secret: secret.base32, uri: totp.toString() };
  }

  /**
   * Turns the second factor on (or replaces it) once the holder proves, with their current password,
   * that it is them, and with a code that their app shows the right one. A stolen session alone
   * cannot move the second factor to an attacker's app.
   */
  async confirmTotp(
    staffId: string,
    secret: string,
    code: string,
    currentPassword: string,
    from: string,
  ): Promise<void> {
    const row = await this.#requireCurrentPassword(staffId, currentPassword, from);
    const step = /^[A-Z2-7]{32}$/.test(secret) ? this.#totpStep(secret, code) : undefined;
    if (step === undefined) throw new VowError('VOW_BAD_CREDENTIALS', 'The code does not match this secret');
    const sealed = await this.#ctx.vault.encrypt(`staff:${staffId}`, secret);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('staff_accounts')
        .set({ totp_sealed: sealed, totp_last_step: step })
        .where('id', '=', staffId)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: row.totp_sealed === null ? 'staff.totp.enabled' : 'staff.totp.replaced',
          target: { type: 'staff', id: staffId },
        },
        trx,
      );
    });
  }

  /**
   * Whether two staff members are two people as far as Vow can tell, for four-eyes decisions: not
   * the same account, neither issued the other's current credentials, and no privacy officer issued
   * both (accounts one person minted). Ids Vow does not know as staff count as distinct people.
   */
  async independent(a: string, b: string): Promise<boolean> {
    if (a === b) return false;
    const rows = await this.#ctx.store.db
      .selectFrom('staff_accounts')
      .select(['id', 'credentials_issued_by'])
      .where('id', 'in', [a, b])
      .execute();
    const issuer = (id: string) => rows.find((r) => r.id === id)?.credentials_issued_by ?? null;
    const [ia, ib] = [issuer(a), issuer(b)];
    if (ia === b || ib === a) return false;
    if (ia !== null && ia === ib) {
      // Both minted by the same person: independent only if that person is no privacy officer
      // (an administrator creates every account; it cannot make privacy officers).
      const common = await this.#ctx.store.db
        .selectFrom('staff_accounts')
        .select('roles')
        .where('id', '=', ia)
        .executeTakeFirst();
      if (common && (JSON.parse(common.roles) as string[]).includes('privacy_officer')) return false;
    }
    return true;
  }

  async principalFor(session: ActiveSession): Promise<Principal | null> {
    const row = await this.#ctx.store.db
      .selectFrom('staff_accounts')
      .select(['id', 'username', 'roles', 'disabled', 'must_change_password'])
      .where('id', '=', session.principalId)
      .executeTakeFirst();
    if (!row || row.disabled === 1) return null;
    return {
      kind: 'staff',
      staffId: row.id,
      username: row.username,
      roles: JSON.parse(row.roles) as StaffRole[],
      via: session.via,
      sessionId: session.id,
      mustChangePassword: row.must_change_password === 1,
    };
  }

  async logout(sessionId: string, staffId: string): Promise<void> {
    await this.#sessions.end(sessionId);
    await this.#ctx.audit.record({
      actor: { type: 'staff', id: staffId },
      action: 'staff.logout',
      target: { type: 'staff', id: staffId },
    });
  }
}
