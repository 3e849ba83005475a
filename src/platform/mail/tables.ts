// Tables of the mail outbox (src/mail).

export type OutboxStatus = 'queued' | 'sent' | 'recorded' | 'failed';

export interface MailTables {
  mail_outbox: {
    id: string;
    /** What the message is for, dotted (e.g. `rights.code`, `rights.deletion_notice`). */
    kind: string;
    /** The person the message concerns, when known (ids only). */
    subject_id: string | null;
    /** `person`, or `recipient:<policy recipient id>` for notices to downstream recipients. */
    audience: string;
    /** Vault-sealed JSON of the envelope and body (to, subject, text, html, headers); null once sent. */
    sealed: string | null;
    status: OutboxStatus;
    /** The SMTP Message-ID once sent (no personal value). */
    message_id: string | null;
    last_error: string | null;
    created_at: string;
    sent_at: string | null;
  };
}

declare module '../store/database.js' {
  interface Database extends MailTables {}
}
