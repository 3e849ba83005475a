import type { Generated } from 'kysely';
// Tables of the rights module: data subject requests, their verification codes, export links and
// restrictions of processing (P23). Personal values are sealed under a vault key of the request
// (`request:<id>`), so deleting the person leaves the request log readable and a
// request log past its retention can be shredded on its own.

export type RequestType = 'access' | 'portability' | 'correction' | 'deletion' | 'restriction' | 'objection';
/** `us-<postal code>` for a US state (see JURISDICTIONS for the accepted list). */
export type Jurisdiction = 'eea' | 'uk' | `us-${string}` | 'other';
export type RequestChannel = 'web' | 'email' | 'postal' | 'account';
export type RequestStatus =
  | 'awaiting_verification'
  | 'awaiting_agent_confirmation'
  | 'awaiting_approval'
  | 'in_progress'
  | 'completed'
  | 'denied';
/** An appeal is open until decided: `granted` reopens the request, `upheld` keeps the refusal. */
export type AppealStatus = 'open' | 'granted' | 'upheld';
export type VerificationMethod = 'email_code' | 'session' | 'data_points_2' | 'data_points_3';
/** A staff verification waiting for a second person: `approved` verified the request, `rejected` did not. */
export type VerificationApprovalStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';
/** A detail staff typed to verify a person (the kind only: values are never kept). */
export type DetailKind = 'email' | 'phone' | 'account' | 'address';

export interface RightsTables {
  restrictions: {
    id: string;
    subject_id: string;
    scope: 'all' | 'purposes';
    /** JSON array of purpose ids or prefixes (e.g. ["marketing"]). */
    purposes: Generated<string>;
    started_at: string;
    lifted_at: string | null;
    request_id: string | null;
  };
  rights_requests: {
    id: string;
    type: RequestType;
    /** JSON { categories?: string[], purposes?: string[] } (policy ids only). */
    scope: string;
    jurisdiction: Jurisdiction;
    channel: RequestChannel;
    status: RequestStatus;
    subject_id: string | null;
    /** vault.blindIndex('email', normalised email) of the address the request came with. */
    email_index: string | null;
    /** Sealed JSON: email, name, details, correction, agent, extension reason (vault key request:<id>). */
    sealed: string;
    received_at: string;
    /** YYYY-MM-DD (UTC): the law's deadline, and the extended one once extended. */
    due_on: string;
    ack_due_on: string | null;
    extended_due_on: string | null;
    extended_at: string | null;
    acknowledged_at: string | null;
    verified_at: string | null;
    verification_method: VerificationMethod | null;
    /** 1 when an authorised agent filed it; fulfilment waits for staff to confirm the permission. */
    is_agent: number;
    agent_confirmed_at: string | null;
    agent_confirmed_by: string | null;
    approved_by: string | null;
    /** The staff member who refused the request (an appeal is decided by someone else). */
    denied_by: string | null;
    responded_at: string | null;
    /** What the answer was, in words without personal values (e.g. `export sent`, `deleted`). */
    response_nature: string | null;
    denial_basis: string | null;
    /** JSON of the fulfilment result (counts, datasets, exemptions): never a value. */
    result: string | null;
    /** vault.blindIndex('token', status token): the shopper's status page link. */
    status_token_index: string;
    created_by: string | null;
    created_at: string;
    updated_at: string;
    /** The language of the request (en-US, es-US): its messages are written in it. */
    locale: string;
  };
  rights_appeals: {
    id: string;
    request_id: string;
    jurisdiction: Jurisdiction;
    status: AppealStatus;
    received_at: string;
    /** YYYY-MM-DD: the law's deadline for the decision, and the extended one once extended. */
    due_on: string;
    extended_due_on: string | null;
    /** Who refused the request; never the one who decides the appeal. */
    first_decider: string | null;
    decided_by: string | null;
    decided_at: string | null;
    /** Sealed JSON: the person's reasons, the answer (vault key request:<request id>). */
    sealed: string;
    created_at: string;
    updated_at: string;
  };
  rights_verifications: {
    id: string;
    request_id: string;
    /** Keyed hash of `<id>:<code>`; an unknown person's row holds the hash of a code never sent. */
    code_hash: string;
    expires_at: string;
    attempts: number;
    used_at: string | null;
    created_at: string;
  };
  /**
   * Four eyes on staff verifications (docs/security.md): a data-point verification that would let
   * values leave, or data be changed or deleted, waits here until a privacy officer independent of
   * the verifier approves it (then the request is verified and moves on) or rejects it. No values:
   * the kinds of details that matched, staff ids, dates and the rejection's reason.
   */
  rights_verification_approvals: {
    id: string;
    request_id: string;
    status: VerificationApprovalStatus;
    method: VerificationMethod;
    /** The person the details matched; the request's subject once approved. */
    subject_id: string;
    /** JSON array of the kinds of details that matched (DetailKind), never their values. */
    matched: string;
    declaration_signed: number;
    verified_by: string;
    verified_at: string;
    decided_by: string | null;
    decided_at: string | null;
    /** Why a privacy officer rejected it (no email address or phone number: it goes to the audit trail). */
    decision_reason: string | null;
  };
  rights_exports: {
    id: string;
    request_id: string;
    token_index: string;
    expires_at: string;
    /** Sealed JSON of the export (vault key request:<id>). */
    sealed: string;
    created_at: string;
    downloads: number;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends RightsTables {}
}
