// Tables of the downstream module: the retailer's webhook endpoints, the outbox of signed events
// to them, and one task per recipient system for each deletion, correction, restriction and opt-out.

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export type TaskStatus = 'waiting' | 'failed' | 'done' | 'explained';
export type TaskKind = 'deletion' | 'correction' | 'restriction' | 'opt_out';

export interface DownstreamTables {
  webhook_endpoints: {
    id: string;
    url: string;
    /** JSON array of event types the endpoint receives. */
    events: string;
    /** The policy recipient this endpoint belongs to (its payloads are minimised to that recipient's categories); null: no personal data. */
    recipient: string | null;
    /** The signing secret (`whsec_…`), sealed under the vault key `webhook:<id>`. */
    secret_sealed: string;
    /** The secret being replaced, still signed with until `previous_until` (rotation without downtime). */
    previous_sealed: string | null;
    previous_until: string | null;
    created_at: string;
    created_by: string | null;
    disabled_at: string | null;
  };
  webhook_deliveries: {
    /** The Standard Webhooks message id (`webhook-id`), stable across retries. */
    id: string;
    endpoint_id: string;
    event_type: string;
    /** The person the event is about, for the erasure registry (null: deletion notices, sent after the person's rows are gone). */
    subject_id: string | null;
    /** The JSON body, sealed under the vault key `webhook-delivery:<id>` (shredded once delivered). */
    sealed: string | null;
    /** The JSON body of an event that carries no personal value (stored as is). */
    body: string | null;
    status: DeliveryStatus;
    attempts: number;
    next_attempt_at: string | null;
    /** A value-free description of the last failure (HTTP status or error class). */
    last_error: string | null;
    created_at: string;
    delivered_at: string | null;
  };
  downstream_tasks: {
    id: string;
    /** The request that asked for it (null: an opt-out outside a request). */
    request_id: string | null;
    kind: TaskKind;
    recipient: string;
    /** `webhook`: completed by the recipient's signed acknowledgement; `email`: Vow drafts the mail, staff confirm. */
    method: 'webhook' | 'email';
    endpoint_id: string | null;
    /** Whether the request waits for this task (VOW_DOWNSTREAM_WAIT). */
    blocking: number;
    status: TaskStatus;
    /** The delivery carrying the task to the recipient (webhook tasks). */
    delivery_id: string | null;
    /** Staff's evidence or explanation (no personal values), or `acknowledged by signed callback`. */
    evidence: string | null;
    /**
     * For `email` tasks: the drafted notice in the mail outbox (a `recipient:<id>` message, recorded
     * for staff to forward; its text is forgotten after 30 days like every recipient notice).
     */
    draft_outbox_id: string | null;
    completed_by: string | null;
    created_at: string;
    completed_at: string | null;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends DownstreamTables {}
}
