// Tables of the consent module: the ledger (consent_events, append-only) and its fold (consent_state),
// suppressions and one-click unsubscribe tokens.
import type { Generated } from 'kysely';

/** Tables owned by the consent module (migrations 0003-consent-ledger and 0150-consent-state). */
export interface ConsentTables {
  /** Bounces and complaints received (migration 0602-mail-feedback): a keyed hash of the address, never linked to a person. */
  mail_feedback: {
    id: string;
    /** vault.blindIndex('email', address). */
    email_index: string;
    kind: 'hard_bounce' | 'soft_bounce' | 'complaint';
    /** The DSN Status (5.1.1) or the ARF Feedback-Type (abuse). */
    detail: string;
    received_at: string;
  };
  /** Ambiguous SMS replies waiting for staff (migration 0601-sms-flags). */
  sms_flags: {
    id: string;
    /** vault.blindIndex('phone', E.164 sender). */
    phone_index: string;
    /** The first person with that number (null: unknown number), for the erasure registry. */
    subject_id: string | null;
    /** The reply's text, sealed under the vault key `sms-flag:<id>` (shredded once decided). */
    sealed: string | null;
    /** The keyword or phrase that made it ambiguous. */
    word: string;
    status: 'open' | 'revoked' | 'dismissed';
    received_at: string;
    decided_at: string | null;
    decided_by: string | null;
  };
  /** The ledger: one row per consent event of a person (or visitor) on a channel. Never updated. */
  consent_events: {
    seq: Generated<number>;
    id: string;
    subject_ref: string;
    channel: string;
    event: string;
    cause_type: string;
    cause_ref: string | null;
    staff_id: string | null;
    at: string;
    policy_version: string;
    details: Generated<string>;
  };
  /**
   * Where each person (or visitor) stands on each channel: the fold of their consent_events,
   * written in the same transaction as each event, so an audience is one indexed query.
   */
  consent_state: {
    subject_ref: string;
    channel: string;
    /** enrolled | granted | withdrawn */
    state: string;
    /** The event that produced this state (tells an unsubscribe from a staff suppression). */
    last_event: string;
    /** consent_events.seq of that event; a state is only replaced by a later event. */
    last_seq: number;
    updated_at: string;
  };
  /**
   * Suppressions that outlive the person's record: keyed hashes (vault blind indexes) of an
   * identifier, e.g. kept after a deletion so the address is never mailed again.
   */
  suppression_list: {
    id: string;
    index_kind: string;
    blind_index: string;
    /** A channel id, or '*' for every channel the identifier's medium reaches (list-coverage.ts). */
    channel: string;
    reason: string;
    created_at: string;
  };
  /** One-click unsubscribe tokens (P10): only the token's keyed hash is stored, never the token. */
  unsubscribe_tokens: {
    token_index: string;
    subject_id: string;
    channel: string;
    created_at: string;
    used_at: string | null;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends ConsentTables {}
}
