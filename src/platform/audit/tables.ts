// Tables of the audit trail: the hash chain, its head, and the anchors of the head taken over time
// (migrations 0002-security-core and 0200-security-access, which predate the module split).

export interface AuditTables {
  audit_log: {
    seq: number;
    at: string;
    actor_type: string;
    actor_id: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    reason: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  };
  audit_head: { id: number; seq: number; hash: string };
  /** The audit chain head recorded periodically; verify checks each anchor still matches. */
  audit_anchors: {
    seq: number;
    hash: string;
    at: string;
  };
}

declare module '../store/database.js' {
  interface Database extends AuditTables {}
}
