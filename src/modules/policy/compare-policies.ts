// What putting another policy in force would change, against the one in force: the versions, and
// per part (purposes, recipients, retention periods, channels, cookie categories, promises, rules,
// categories, collection points) what is added, removed or changed. Read by the console's policy
// check; nothing here is stored.
import { canonicalJson } from '../../platform/canonical-json.js';
import type { Policy } from './model.js';
import { retentionInWords } from './render-notice.js';
import type { PolicyDocument, Retention } from './schema.js';

/** One entry of a part that differs: its id, and what of it changed (`key: before → after`). */
export interface ChangedEntry {
  readonly id: string;
  readonly changes: readonly string[];
}

export interface PartChanges {
  /** The policy key (`purposes`, `retention`, …). */
  readonly part: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedEntry[];
}

export interface PolicyComparison {
  /** Nothing at all differs (the same `version`). */
  readonly same: boolean;
  readonly version: { readonly from: string; readonly to: string };
  readonly effectiveDate: { readonly from: string; readonly to: string };
  /**
   * What people consented to changed (`consentVersion`): the banner asks every visitor again, and a
   * choice made on the older banner is refused (VOW_CONSENT_VERSION_STALE).
   */
  readonly consentVersion: { readonly from: string; readonly to: string; readonly changed: boolean };
  /** The parts that differ (MAIN_PARTS first); parts with no difference are left out. */
  readonly parts: readonly PartChanges[];
}

const SHOWN_MAX = 60;

/** A value as one short line: text as is, a list joined, anything else as canonical JSON. */
function shown(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length ? v.join(', ') : '(none)';
  return canonicalJson(v);
}

/** A value of `key` as one short line; a retention period in words with its value: "7 years (P7Y)". */
function shownAs(key: string, v: unknown): string {
  if (key === 'keep_for' && typeof v === 'string' && v.startsWith('P')) {
    const words = retentionInWords(v);
    return words === v ? v : `${words} (${v})`;
  }
  return shown(v);
}

/**
 * The keys of two entries whose values differ: `key: before → after`, or `key reworded` when either
 * side is longer than a line (a promise's sentence), which the file itself shows better.
 */
function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null))
    .map((k) => {
      const [a, b] = [shownAs(k, before[k]), shownAs(k, after[k])];
      return a.length > SHOWN_MAX || b.length > SHOWN_MAX ? `${k} reworded` : `${k}: ${a} → ${b}`;
    });
}

function compareEntries(
  part: string,
  before: Readonly<Record<string, object>>,
  after: Readonly<Record<string, object>>,
): PartChanges {
  const added = Object.keys(after).filter((id) => !Object.hasOwn(before, id));
  const removed = Object.keys(before).filter((id) => !Object.hasOwn(after, id));
  const changed: ChangedEntry[] = [];
  for (const id of Object.keys(after)) {
    if (!Object.hasOwn(before, id)) continue;
    const changes = fieldChanges(before[id] as Record<string, unknown>, after[id] as Record<string, unknown>);
    if (changes.length > 0) changed.push({ id, changes });
  }
  return { part, added, removed, changed };
}

/** A retention rule's identity: its category and whose (`contact (gift_recipient)`). */
function retentionKey(r: Retention): string {
  return r.subject_kinds?.length ? `${r.category} (${r.subject_kinds.join(', ')})` : r.category;
}

function byKey<T extends object>(list: readonly T[], key: (t: T) => string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const t of list) out[key(t)] = t;
  return out;
}

/**
 * The parts compared: first what people are told and consented to (purposes, recipients, retention
 * periods, channels, cookie categories), then the rest in the order of the file.
 */
const PARTS: readonly [string, (d: PolicyDocument) => Readonly<Record<string, object>>][] = [
  ['purposes', (d) => d.purposes],
  ['recipients', (d) => d.recipients],
  ['retention', (d) => byKey(d.retention, retentionKey)],
  ['channels', (d) => d.channels],
  ['cookie_categories', (d) => d.cookie_categories],
  ['promises', (d) => d.promises],
  ['categories', (d) => d.categories],
  ['subject_kinds', (d) => d.subject_kinds],
  ['collection_points', (d) => d.collection_points],
  ['rules', (d) => byKey(d.rules, (r) => r.id)],
  ['exemptions', (d) => d.exemptions],
];

/** The parts listed first (the rest are details). */
export const MAIN_PARTS: readonly string[] = [
  'purposes',
  'recipients',
  'retention',
  'channels',
  'cookie_categories',
];

/** What putting `candidate` in force in place of `current` would change. */
export function comparePolicies(current: Policy, candidate: Policy): PolicyComparison {
  const parts = PARTS.map(([part, of]) => compareEntries(part, of(current.doc), of(candidate.doc))).filter(
    (p) => p.added.length + p.removed.length + p.changed.length > 0,
  );
  return {
    same: current.version === candidate.version,
    version: { from: current.version, to: candidate.version },
    effectiveDate: { from: current.effectiveDate, to: candidate.effectiveDate },
    consentVersion: {
      from: current.consentVersion,
      to: candidate.consentVersion,
      changed: current.consentVersion !== candidate.consentVersion,
    },
    parts,
  };
}
