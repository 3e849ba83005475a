// The database schema as TypeScript types: one interface per table, grouped by owning domain.
// Timestamps are ISO 8601 UTC text and booleans are 0/1 integers, so both dialects store the same.
import type { Generated } from 'kysely';
import type { CollectionTables } from '../../modules/collection/tables.js';
import type { ConsentStateTables } from '../../modules/consent/tables.js';
import type { DisclosureTables } from '../../modules/disclosures/tables.js';
import type { ExperimentReportTables } from '../../modules/experiments/tables.js';
import type { SecurityAccessTables } from '../../modules/identity/tables.js';
import type { PromiseTables } from '../../modules/promises/tables.js';
import type { RightsTables } from '../../modules/rights/tables.js';
import type { AnalyticsEventTables } from '../../modules/site-analytics/tables.js';
import type { SubjectTables } from '../../modules/subjects/tables.js';
import type { JobTables } from '../jobs/tables.js';
import type { MailTables } from '../mail/tables.js';
import type { ScaleTables } from '../rate-limits/tables.js';

/** Tables owned by the policy module. */
export interface PolicyTables {
  /** Every policy version that has been in force, so a record can name the one it was collected under. */
  policy_versions: {
    version: string;
    consent_version: string;
    name: string;
    effective_date: string;
    source: string;
    first_seen_at: string;
  };
}

/** Tables owned by the store itself. */
export interface StoreTables {
  /** A tiny key-value table for facts about the installation (e.g. when it was first started). */
  vow_meta: {
    key: string;
    value: string;
    updated_at: string;
  };
  /** Counter used by tests and benchmarks to prove a write happened; also a cheap liveness probe. */
  vow_heartbeat: {
    id: Generated<number>;
    at: string;
  };
}

/** Tables owned by the security module. */
export interface SecurityTables {
  /** One data key per person, wrapped by the master key; null once destroyed (crypto-shredded). */
  data_keys: {
    subject_id: string;
    wrapped_key: string | null;
    created_at: string;
    destroyed_at: string | null;
  };
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
}

/** Tables owned by the consent module. */
export interface ConsentTables {
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
}

/** Restrictions of processing (P23), owned by the rights module. */
export interface RestrictionTables {
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
}

/** The whole database; each domain adds its table interfaces here. */
export interface Database
  extends PolicyTables,
    StoreTables,
    SecurityTables,
    SecurityAccessTables,
    ConsentTables,
    AnalyticsEventTables,
    RestrictionTables,
    SubjectTables,
    CollectionTables,
    DisclosureTables,
    ConsentStateTables,
    PromiseTables,
    JobTables,
    MailTables,
    ExperimentReportTables,
    RightsTables,
    ScaleTables {}
