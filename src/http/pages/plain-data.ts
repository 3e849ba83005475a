// A person's data in plain language, for "My data" and the access export: one record per stored
// row (one consent event is one record, not one row per field), the policy's words for every
// category and purpose, what is kept after a deletion request and why. Secrets (the password hash)
// and internals (keyed fingerprints used to find records, row ids, table and column names, purpose
// codes, JSON) are never shown. The same document is what the JSON and CSV downloads hold.
import { isWithin, type Policy } from '../../modules/policy/index.js';
import { csvFile } from '../../platform/csv.js';

/** One stored value as the walker or "my data" reports it. */
export interface StoredValue {
  readonly dataset?: string | undefined;
  readonly table?: string | undefined;
  readonly column?: string | undefined;
  readonly row?: string | undefined;
  readonly category: string;
  readonly purposes: readonly string[];
  readonly value: unknown;
}

export interface PlainField {
  readonly label: string;
  readonly value: string;
}

export interface PlainSection {
  readonly id: string;
  readonly title: string;
  /** Where it is held, in words. */
  readonly heldIn: string;
  /** The policy's description of each kind of information in the section. */
  readonly information: readonly string[];
  /** The policy's description of each purpose it serves. */
  readonly usedFor: readonly string[];
  /** How long it is kept and why (the policy's retention rule). */
  readonly keptFor?: string | undefined;
  /** Why a deletion request leaves it in place (the policy's exemption), if it does. */
  readonly keptOnDeletion?: string | undefined;
  readonly records: readonly { readonly fields: readonly PlainField[] }[];
}

export interface PlainData {
  readonly controller: string;
  readonly generatedAt: string;
  readonly sections: readonly PlainSection[];
  /** What a deletion request keeps and why (the policy's exemptions), for the confirmation step. */
  readonly exemptions: readonly { readonly title: string; readonly what: string; readonly why: string }[];
  /** Things held but deliberately not shown, said in words (e.g. the password). */
  readonly notShown: readonly string[];
}

/** Plain names of the tables Vow and the example shop keep; any other table's name is worded. */
const TABLE_TITLES: Record<string, string> = {
  subject_identifiers: 'Your contact details',
  orders: 'Your orders',
  order_lines: 'Items in your orders',
  registrations: 'Your registration',
  contest_entries: 'Your contest entries',
  catalog_requests: 'Your catalog requests',
  sms_signups: 'Your text message sign-ups',
  inbound_messages: 'Emails you sent us',
  form_submissions: 'Forms you sent us',
  form_values: 'Answers you gave on our forms',
  consent_events: 'Your consent history',
  consent_state: 'Your current marketing choices',
  subject_records: 'Where your information came from',
  shopper_accounts: 'Your account',
  customers: 'Your customer record',
  addresses: 'Your addresses',
  reviews: 'Your reviews',
  wishlists: 'Your wishlists',
};

/** Plain names of columns whose worded name would mislead or say nothing. */
const COLUMN_LABELS: Record<string, string> = {
  at: 'When',
  cause_type: 'Why',
  event: 'What happened',
  channel: 'Which messages',
  sealed_value: 'Value',
  email_sealed: 'Email address',
  buyer_sealed: 'Buyer',
  gift_sealed: 'Gift recipient',
  shop_order_id: 'Order number',
  total_cents: 'Total',
  created_at: 'Created',
  placed_at: 'Placed',
  line1: 'Address',
  ship_line1: 'Shipping address',
};

/** Words for the codes Vow's own records use (why a consent event happened, and how). */
const VALUE_WORDS: Record<string, string> = {
  collection_point: 'A form you sent us',
  cookie_banner: 'Your cookie choice',
  gpc: 'Your browser’s Global Privacy Control signal',
  unsubscribe_link: 'The unsubscribe link in an email',
  rights_request: 'Your privacy request',
  staff: 'Our customer service, at your request',
  accept_all: 'Accept all',
  reject_all: 'Reject all',
  choose: 'Your own choice per category',
  gpc_signal: 'Your browser’s Global Privacy Control signal',
};

/** Columns that only help find a person's records (keyed fingerprints) or are secrets. */
function hidden(v: StoredValue): 'secret' | 'internal' | undefined {
  if (isWithin(v.category, 'account.credentials')) return 'secret';
  const c = v.column ?? '';
  if (c === 'blind_index' || c.endsWith('_index') || c.endsWith('_hash')) return 'internal';
  return undefined;
}

/** "ship_postcode" -> "Ship postcode"; a code like "email_marketing" -> "Email marketing". */
export function worded(name: string): string {
  const w = name
    .replace(/_sealed\b/g, '')
    .replace(/_(cents|ref)$/, '')
    .replace(/[_.-]+/g, ' ')
    .trim();
  return w ? w[0]!.toUpperCase() + w.slice(1) : name;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date or time as people write it: "2 Dec 2026" or "2 Dec 2026, 06:15 UTC". */
export function wordedDate(text: string): string | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const day = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
  return m[4] ? `${day}, ${m[4]}:${m[5]}${m[6] === 'Z' ? ' UTC' : ''}` : day;
}

/** A value in words: a policy code becomes the policy's description, a date a date, JSON fields. */
function wordValue(policy: Policy, column: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(erased)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number' && column.endsWith('_cents')) return (value / 100).toFixed(2);
  if (Array.isArray(value)) return value.map((x) => wordValue(policy, column, x)).join('; ');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined && x !== '')
      .map(([k, x]) =>
        x !== null && typeof x === 'object'
          ? wordValue(policy, k, x)
          : `${worded(k)}: ${wordValue(policy, k, x)}`,
      )
      .join(', ');
  const text = String(value);
  // A value stored as JSON text (the items of an order) is worded like any object.
  if (/^\s*[[{]/.test(text)) {
    try {
      return wordValue(policy, column, JSON.parse(text) as unknown);
    } catch {
      /* not JSON after all: shown as written */
    }
  }
  if (Object.hasOwn(VALUE_WORDS, text)) return VALUE_WORDS[text]!;
  const d = policy.doc;
  const described =
    d.channels[text]?.description ??
    d.purposes[text]?.description ??
    d.categories[text]?.description ??
    d.collection_points[text]?.title ??
    d.cookie_categories[text]?.title;
  if (described) return described;
  const date = wordedDate(text);
  if (date) return date;
  // A lone code ("unsubscribed", "accept_all") reads as words; free text stays as it was typed.
  return /^[a-z]+(?:_[a-z]+)+$/.test(text) ? worded(text).toLowerCase() : text;
}

/** The fields of one stored value: a JSON object's keys become fields of their own. */
function fieldsOf(policy: Policy, v: StoredValue): PlainField[] {
  const column = v.column ?? '';
  const label =
    COLUMN_LABELS[column] ??
    (column ? worded(column) : (policy.doc.categories[v.category]?.description ?? worded(v.category)));
  const value = v.value;
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined && x !== '')
      .map(([k, x]) => ({ label: `${label}: ${worded(k).toLowerCase()}`, value: wordValue(policy, k, x) }));
  return [{ label, value: wordValue(policy, column, value) }];
}

const UNITS: Record<string, [string, string]> = {
  Y: ['year', 'years'],
  M: ['month', 'months'],
  D: ['day', 'days'],
};
const FROM: Record<string, string> = {
  order_date: 'from the order date',
  last_activity: 'after your last activity',
  collected: 'from when we received it',
};

/** "P7Y" -> "7 years"; until_deletion in words. */
function duration(iso: string): string {
  if (iso === 'until_deletion') return 'until you ask us to delete it or close your account';
  const m = /^P(\d+)([YMD])$/.exec(iso);
  if (!m) return iso;
  const n = Number(m[1]);
  const u = UNITS[m[2]!]!;
  return `${n} ${n === 1 ? u[0] : u[1]}`;
}

/** How long the policy keeps a category, and why, in one sentence. */
function keptFor(policy: Policy, category: string): string | undefined {
  const rule = policy.doc.retention.find(
    (r) => !r.subject_kinds && (isWithin(category, r.category) || isWithin(r.category, category)),
  );
  if (!rule) return undefined;
  const from = rule.keep_for === 'until_deletion' ? '' : ` ${FROM[rule.from] ?? ''}`;
  return `Kept ${duration(rule.keep_for)}${from.trimEnd()}: ${rule.reason}`;
}

function exemptionOf(policy: Policy, category: string) {
  return Object.values(policy.doc.exemptions).find((e) => e.categories.some((c) => isWithin(category, c)));
}

/** What a deletion request keeps and why, from the policy's exemptions. */
export function deletionExemptions(policy: Policy): PlainData['exemptions'] {
  const legal = Object.entries(policy.doc.purposes)
    .filter(([id]) => isWithin(id, 'legal') || id === 'rights.request_handling')
    .map(([, p]) => ({
      title: 'Legal retention',
      what: p.description,
      why: 'The law requires us to keep these records, for the time it sets.',
    }));
  return [
    ...Object.values(policy.doc.exemptions).map((e) => ({
      title: e.title,
      what: e.categories.map((c) => policy.doc.categories[c]?.description ?? worded(c)).join('; '),
      why: e.source,
    })),
    ...legal,
  ];
}

function heldIn(policy: Policy, dataset: string | undefined): string {
  if (!dataset) return `Held by ${policy.doc.controller.name}`;
  if (dataset === 'vow') return 'Held in our privacy records';
  return `Held in our ${worded(dataset).toLowerCase()} records`;
}

/** Puts stored values into worded sections: one per table (or per category), one record per row. */
export function plainData(
  policy: Policy,
  values: readonly StoredValue[],
  generatedAt: string,
  extra: { readonly account?: PlainSection | undefined } = {},
): PlainData {
  const sections = new Map<
    string,
    { v: StoredValue; categories: Set<string>; purposes: Set<string>; rows: Map<string, StoredValue[]> }
  >();
  const notShown = new Set<string>();
  let n = 0;
  for (const v of values) {
    const why = hidden(v);
    if (why === 'secret') {
      notShown.add(
        'Your password: we keep it only in a scrambled form that cannot be turned back into the password, so it is not shown.',
      );
      continue;
    }
    if (why === 'internal') {
      notShown.add(
        'Fingerprints of your email address that let us find your records without reading them: they mean nothing on their own.',
      );
      continue;
    }
    const key = v.table ? `${v.dataset ?? ''}/${v.table}` : `category/${v.category}`;
    const s = sections.get(key) ?? { v, categories: new Set(), purposes: new Set(), rows: new Map() };
    s.categories.add(v.category);
    for (const p of v.purposes) s.purposes.add(p);
    const row = v.row ? v.row : `value-${n++}`;
    s.rows.set(row, [...(s.rows.get(row) ?? []), v]);
    sections.set(key, s);
  }
  const out: PlainSection[] = extra.account ? [extra.account] : [];
  for (const [key, s] of sections) {
    const cats = [...s.categories];
    const exemption = cats.map((c) => exemptionOf(policy, c)).find(Boolean);
    out.push({
      id: key.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, ''),
      title: s.v.table
        ? (TABLE_TITLES[s.v.table] ?? worded(s.v.table))
        : (policy.doc.categories[s.v.category]?.description ?? worded(s.v.category)),
      heldIn: heldIn(policy, s.v.dataset),
      information: cats.map((c) => policy.doc.categories[c]?.description ?? worded(c)),
      usedFor: [...s.purposes].sort().map((p) => policy.doc.purposes[p]?.description ?? worded(p)),
      keptFor: cats.map((c) => keptFor(policy, c)).find(Boolean),
      keptOnDeletion: exemption ? `${exemption.title}: ${exemption.source}` : undefined,
      records: [...s.rows.values()].map((vs) => ({ fields: vs.flatMap((v) => fieldsOf(policy, v)) })),
    });
  }
  return {
    controller: policy.doc.controller.name,
    generatedAt,
    sections: out,
    exemptions: deletionExemptions(policy),
    notShown: [...notShown],
  };
}

/** The same document as one CSV file: a line per field, with its section and what it is used for. */
export function plainDataCsv(data: PlainData): string {
  const rows: unknown[][] = [];
  for (const s of data.sections)
    s.records.forEach((r, i) => {
      for (const f of r.fields)
        rows.push([s.title, i + 1, f.label, f.value, s.usedFor.join('; '), s.keptFor ?? '']);
    });
  return csvFile(['Section', 'Record', 'Information', 'Value', 'Used for', 'How long we keep it'], rows);
}
