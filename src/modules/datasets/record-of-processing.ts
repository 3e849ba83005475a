// The controller's record of processing activities (GDPR Art. 30(1)), derived from the policy in
// force and the dataset annotations: one activity per purpose, each with whose data, which data,
// from which forms, to whom, for how long and where it sits. What the policy does not state (a legal
// basis, a transfer, a DPO) is said to be not stated, never invented.
import { csvFile } from '../../platform/csv.js';
import { isWithin, type Policy, retentionInWords } from '../policy/index.js';
import type { DatasetAnnotation } from './types.js';

/** The words of every item the policy leaves out. */
export const NOT_STATED = 'not stated in the policy';

export interface NamedItem {
  readonly id: string;
  readonly description: string;
}

export interface RecordRecipient {
  readonly id: string;
  readonly name: string;
  readonly role: 'processor' | 'third_party';
  /** The categories it receives for this purpose (all it may receive, as the policy lists them). */
  readonly categories: readonly string[];
}

export interface RecordRetention {
  readonly category: string;
  /** Whose data the period applies to; empty: everyone's. */
  readonly subjectKinds: readonly string[];
  /** ISO 8601 duration (P7Y) or `until_deletion`. */
  readonly keepFor: string;
  readonly inWords: string;
  readonly from: string;
  readonly reason: string;
}

export interface RecordLocation {
  readonly dataset: string;
  readonly table: string;
  /** The column, or `column.key` for a key of a JSON column. */
  readonly column: string;
  readonly category: string;
}

export interface RecordTransfer {
  readonly recipient: string;
  readonly country: string;
  readonly safeguards: string;
}

export interface ProcessingActivity {
  readonly purpose: string;
  readonly description: string;
  readonly aggregateOnly: boolean;
  /** The legal basis the policy names for the purpose, else NOT_STATED. */
  readonly legalBasis: string;
  /** How the policy's rules allow it: necessary, opt_out (with its channel), opt_in. */
  readonly ruleBases: readonly string[];
  readonly promises: readonly string[];
  readonly subjectKinds: readonly NamedItem[];
  readonly categories: readonly NamedItem[];
  /** The forms (collection points) that collect data for the purpose. */
  readonly sources: readonly NamedItem[];
  readonly recipients: readonly RecordRecipient[];
  /** Transfers to third countries of this purpose's recipients; NOT_STATED when the policy names none. */
  readonly transfers: readonly RecordTransfer[] | typeof NOT_STATED;
  readonly retention: readonly RecordRetention[];
  readonly locations: readonly RecordLocation[];
}

export interface RecordOfProcessing {
  readonly basis: 'GDPR Art. 30(1)';
  readonly policy: { readonly name: string; readonly version: string; readonly effectiveDate: string };
  readonly controller: {
    readonly name: string;
    readonly website: string;
    readonly email: string;
    readonly phone: string;
    readonly postalAddress: string;
    readonly requestsPostalAddress: string;
    readonly representative: string;
    readonly dataProtectionOfficer: string;
  };
  readonly activities: readonly ProcessingActivity[];
  readonly security: {
    /** The policy's own words on security (its `security` notice section), else NOT_STATED. */
    readonly statement: string;
    /** What Vow does, as the annotations and the policy configure it. */
    readonly measures: readonly string[];
  };
}

/** Two categories overlap when one sits within the other. */
const overlaps = (a: string, b: string): boolean => isWithin(a, b) || isWithin(b, a);

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function locationsOf(annotations: readonly DatasetAnnotation[]): RecordLocation[] {
  const out: RecordLocation[] = [];
  for (const a of annotations)
    for (const t of a.tables)
      for (const c of t.columns) {
        const categories = new Set([c.category, ...Object.values(c.categoryBy?.values ?? {})]);
        for (const category of categories)
          out.push({ dataset: a.name, table: t.name, column: c.name, category });
        for (const f of c.fields ?? [])
          out.push({ dataset: a.name, table: t.name, column: `${c.name}.${f.name}`, category: f.category });
      }
  return out;
}

function activityOf(
  policy: Policy,
  purpose: string,
  allLocations: readonly RecordLocation[],
): ProcessingActivity {
  const d = policy.doc;
  const p = d.purposes[purpose];
  const rules = policy.rulesForPurpose(purpose).filter((r) => r.basis !== 'never');
  const kinds = new Set(rules.flatMap((r) => r.subject_kinds));
  const categories = new Set(rules.flatMap((r) => r.categories));
  const sources = new Set<string>();
  for (const [pointId, point] of Object.entries(d.collection_points))
    for (const field of Object.values(point.fields))
      if (field.purposes.includes(purpose)) {
        sources.add(pointId);
        kinds.add(field.subject_kind);
        categories.add(field.category);
      }
  // A rule's parent category (`contact`) already covers a field's child (`contact.email`).
  const cats = sorted(categories).filter((c) => !sorted(categories).some((o) => o !== c && isWithin(c, o)));
  const recipients = Object.entries(d.recipients)
    .filter(([, r]) => r.purposes.includes(purpose))
    .map(([id, r]) => ({ id, name: r.name, role: r.role, categories: [...r.categories] }));
  const recipientIds = new Set(recipients.map((r) => r.id));
  const transfers = d.transfers
    ? d.transfers
        .filter((t) => recipientIds.has(t.recipient))
        .map((t) => ({ recipient: t.recipient, country: t.country, safeguards: t.safeguards }))
    : NOT_STATED;
  const retention = d.retention
    .filter(
      (r) =>
        cats.some((c) => overlaps(r.category, c)) &&
        (!r.subject_kinds || r.subject_kinds.some((k) => kinds.has(k))),
    )
    .map((r) => ({
      category: r.category,
      subjectKinds: [...(r.subject_kinds ?? [])],
      keepFor: r.keep_for,
      inWords: r.keep_for === 'until_deletion' ? 'until deletion' : retentionInWords(r.keep_for),
      from: r.from,
      reason: r.reason,
    }));
  return {
    purpose,
    description: p?.description ?? purpose,
    aggregateOnly: p?.aggregate_only ?? false,
    legalBasis: p?.legal_basis ?? NOT_STATED,
    ruleBases: sorted(rules.map((r) => (r.channel ? `${r.basis} (${r.channel})` : r.basis))),
    promises: sorted(rules.map((r) => r.promise)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
    subjectKinds: sorted(kinds).map((id) => ({ id, description: d.subject_kinds[id]?.description ?? id })),
    categories: cats.map((id) => ({ id, description: d.categories[id]?.description ?? id })),
    sources: sorted(sources).map((id) => ({ id, description: d.collection_points[id]?.title ?? id })),
    recipients,
    transfers,
    retention,
    locations: allLocations.filter((l) => cats.some((c) => overlaps(l.category, c))),
  };
}

function securityMeasures(policy: Policy, annotations: readonly DatasetAnnotation[]): string[] {
  const columns = annotations.flatMap((a) => a.tables.flatMap((t) => t.columns));
  const sealed = columns.filter((c) => c.encrypted === 'vault').length;
  return [
    `Personal values in Vow's own tables are encrypted with a key per person (AES-256-GCM, keys wrapped by a master key); ${sealed} annotated columns are sealed this way, and erasing a person destroys their key.`,
    'Identifiers are looked up through keyed blind indexes (HMAC), never stored in clear for search.',
    'Staff see only what their role needs (customer service, marketing, auditor, administrator, privacy officer); API keys carry only the scopes they are given.',
    'Every staff action and every change of consent is written to a hash-chained audit trail anchored outside the database, so a change after the fact is detected.',
    'Sign-ins are protected by lock-outs, optional second factors and rate limits; forms by anti-forgery tokens and rate limits.',
    `Retention is enforced daily from the policy (${policy.doc.retention.length} retention periods), and a promise monitor checks the stored data against the policy.`,
  ];
}

/** The record of processing activities for this policy and these annotated datasets. */
export function buildRecordOfProcessing(
  policy: Policy,
  annotations: readonly DatasetAnnotation[],
): RecordOfProcessing {
  const d = policy.doc;
  const locations = locationsOf(annotations);
  return {
    basis: 'GDPR Art. 30(1)',
    policy: { name: d.name, version: policy.version, effectiveDate: policy.effectiveDate },
    controller: {
      name: d.controller.name,
      website: d.controller.website,
      email: d.controller.email,
      phone: d.controller.phone,
      postalAddress: d.controller.postal_address,
      requestsPostalAddress: d.controller.requests_postal_address,
      representative: d.controller.representative ?? NOT_STATED,
      dataProtectionOfficer: d.controller.dpo ?? NOT_STATED,
    },
    activities: Object.keys(d.purposes).map((p) => activityOf(policy, p, locations)),
    security: {
      statement: policy.sectionText('security') ?? NOT_STATED,
      measures: securityMeasures(policy, annotations),
    },
  };
}

const joined = (xs: readonly string[]): string => (xs.length ? xs.join('; ') : 'none');

/** The record as one CSV file: a row per activity, each row a complete Art. 30(1) entry. */
export function recordOfProcessingCsv(record: RecordOfProcessing): string {
  const c = record.controller;
  const contact = `${c.email}; ${c.phone}; ${c.postalAddress}`;
  const header = [
    'controller',
    'controller_contact',
    'representative',
    'data_protection_officer',
    'purpose_id',
    'purpose',
    'legal_basis',
    'data_subjects',
    'personal_data',
    'collected_by',
    'recipients',
    'third_country_transfers',
    'erasure_time_limits',
    'where_stored',
    'security_measures',
  ];
  const security = joined(record.security.measures);
  return csvFile(
    header,
    record.activities.map((a) => [
      c.name,
      contact,
      c.representative,
      c.dataProtectionOfficer,
      a.purpose,
      a.description,
      a.legalBasis,
      joined(a.subjectKinds.map((k) => k.description)),
      joined(a.categories.map((k) => `${k.description} (${k.id})`)),
      joined(a.sources.map((s) => s.description)),
      joined(a.recipients.map((r) => `${r.name} (${r.role === 'processor' ? 'processor' : 'third party'})`)),
      typeof a.transfers === 'string'
        ? a.transfers
        : joined(a.transfers.map((t) => `${t.recipient} to ${t.country} (${t.safeguards})`)),
      joined(
        a.retention.map(
          (r) =>
            `${r.category}${r.subjectKinds.length ? ` of ${r.subjectKinds.join(', ')}` : ''}: ${r.inWords} (${r.keepFor}) from ${r.from.replace('_', ' ')}`,
        ),
      ),
      joined(a.locations.map((l) => `${l.dataset}.${l.table}.${l.column}`)),
      security,
    ]),
  );
}
