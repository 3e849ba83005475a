// Tables of the security module's access control: staff accounts, shopper accounts, sessions,
// API keys, single-use tokens, attempt counters (lock-out) and audit anchors.

/** Staff and shopper accounts, sessions, keys and the audit anchors (migration 0200). */
export interface IdentityTables {
  staff_accounts: {
    id: string;
    /** A login name chosen by the admin (a work identity, not a shopper's personal data). */
    username: string;
    /** argon2id PHC string. */
    password_hash: string;
    /** JSON array of role ids. */
    roles: string;
    disabled: number;
    must_change_password: number;
    /** TOTP secret, sealed by the vault under `staff:<id>`; null when no second factor. */
    totp_sealed: string | null;
    /** The TOTP time step last used to log in (a code works once). Added by 0201. */
    totp_last_step: number | null;
    /**
     * The staff member who issued the current one-time password (created or reset the account over
     * the API); null when the command line did. Added by 0571, for the four-eyes check.
     */
    credentials_issued_by: string | null;
    /** When the one-time password stops working (null: none pending, or issued before 0781). */
    one_time_expires_at: string | null;
    created_at: string;
    updated_at: string;
  };
  /** Shopper accounts (P15). The email is sealed under the account's own data key. */
  shopper_accounts: {
    id: string;
    /** vault.blindIndex('email', normalised email): unique. */
    email_index: string;
    email_sealed: string;
    password_hash: string;
    /** The person (subjects.id) this account belongs to, once the email is verified and matched. */
    subject_id: string | null;
    email_verified_at: string | null;
    created_at: string;
    updated_at: string;
    deleted_at: string | null;
  };
  /** Server-side sessions; the cookie (or bearer token) holds `<id>.<secret>`, only its hash is kept. */
  sessions: {
    id: string;
    secret_hash: string;
    kind: 'staff' | 'shopper';
    principal_id: string;
    via: 'cookie' | 'bearer';
    created_at: string;
    expires_at: string;
    revoked_at: string | null;
    /**
     * A staff session's last request, written at most once a minute (migration 0782); null until the
     * first write (the log-in time stands for it). Shopper sessions leave it null.
     */
    last_seen_at: string | null;
    /**
     * A single sign-on session's last check at the provider (migration 0795, sso-recheck.ts); null
     * for the others and for one with no refresh token to check with.
     */
    sso_checked_at: string | null;
  };
  api_keys: {
    id: string;
    name: string;
    secret_hash: string;
    /** Space-separated scopes (api-scopes.ts); `all` for keys made before scopes existed. */
    scopes: string;
    created_by: string | null;
    created_at: string;
    revoked_at: string | null;
  };
  /** Single-use tokens (password reset, email verification); only the hash is kept. */
  account_tokens: {
    id: string;
    secret_hash: string;
    account_id: string;
    purpose: 'reset_password' | 'verify_email';
    created_at: string;
    expires_at: string;
    used_at: string | null;
  };
  /** Staff single sign-on (migration 0690): the provider's user (issuer + subject) a staff account is. */
  staff_sso_identities: {
    issuer: string;
    subject: string;
    staff_id: string;
    created_at: string;
    last_login_at: string;
  };
  /**
   * Started single sign-on log-ins (migration 0780): the SHA-256 of the flow's random state, consumed
   * (used_at set) by the one callback that completes it, so a replayed callback is refused.
   */
  staff_sso_flows: {
    id: string;
    expires_at: string;
    used_at: string | null;
    /** Where to go and a kept form's token after the sign-in (migration 0785; sealed, oidc.ts). */
    carried: string | null;
  };
  /**
   * Console forms posted after their staff session lapsed (migration 0784, form-drafts.ts): the page
   * and fields sealed under a key derived from the draft's secret (held only by the sign-in page that
   * answered the post), whose owner alone takes it back once signed in again; deleted when taken and
   * 15 minutes after it was kept.
   */
  staff_form_drafts: {
    id: string;
    secret_hash: string;
    staff_id: string;
    sealed: string;
    created_at: string;
    expires_at: string;
  };
  /**
   * Console addresses (a list's filters and position) asked for with no live staff session
   * (migration 0791, kept-addresses.ts): sealed like staff_form_drafts, for the lapsed session's
   * owner (null: the browser had none, so whoever signs in through that page); deleted when taken
   * and 15 minutes after it was kept.
   */
  staff_kept_addresses: {
    id: string;
    secret_hash: string;
    staff_id: string | null;
    sealed: string;
    created_at: string;
    expires_at: string;
  };
  /**
   * Staff sessions started by single sign-on (migration 0795, sso-recheck.ts): the provider's user and
   * session id (for its back-channel log-out), and its refresh token sealed by the vault under
   * `staff:<staff_id>` (null when the provider granted none); deleted when the session ends.
   */
  staff_sso_sessions: {
    session_id: string;
    staff_id: string;
    issuer: string;
    subject: string;
    sid: string | null;
    refresh_sealed: string | null;
    /** The last time the provider answered the refresh (the sign-in until the first). */
    verified_at: string;
    /** The session's own end (12 hours after the sign-in): rows past it are swept. */
    expires_at: string;
  };
  /** Back-channel log-out tokens seen (migration 0795): sha256 of issuer + jti, kept until expiry. */
  staff_sso_logout_jtis: {
    id: string;
    expires_at: string;
  };
  /** Failure counters for lock-out with back-off, keyed by e.g. `login:staff:<blind index>`. */
  attempt_counters: {
    key: string;
    failures: number;
    window_started_at: string;
    locked_until: string | null;
    lockouts: number;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends IdentityTables {}
}
