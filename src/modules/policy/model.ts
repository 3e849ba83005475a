// The policy in force, compiled for fast questions: category hierarchy, rule index, versions.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { PolicyDocument, Recipient, Rule } from './schema.js';
import type { StateLaw } from './state-laws.js';

function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** The ancestors of a dotted id, nearest last: `a.b.c` -> [`a`, `a.b`]. */
export function ancestorsOf(id: string): string[] {
  const parts = id.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

/** True when `id` is `ancestor` or sits below it in the hierarchy. */
export function isWithin(id: string, ancestor: string): boolean {
  return id === ancestor || id.startsWith(`${ancestor}.`);
}

export class Policy {
  readonly doc: PolicyDocument;
  /** The YAML text the policy was loaded from. */
  readonly source: string;
  /** Content hash of the whole policy: changes whenever anything in it changes. */
  readonly version: string;
  /**
   * Hash of only what a person consented to (channels, cookie categories, the rules that use
   * consent, the recipients): when it changes, consent must be asked again.
   */
  readonly consentVersion: string;
  readonly effectiveDate: string;

  readonly #rulesByPurpose = new Map<string, Rule[]>();

  constructor(doc: PolicyDocument, source: string) {
    this.doc = doc;
    this.source = source;
    this.version = shortHash(doc);
    this.consentVersion = shortHash({
      channels: doc.channels,
      cookie_categories: doc.cookie_categories,
      rules: doc.rules.filter((r) => r.basis === 'opt_in' || r.basis === 'opt_out'),
      recipients: doc.recipients,
    });
    this.effectiveDate = doc.effective_date;
    for (const rule of doc.rules) {
      for (const purpose of rule.purposes) {
        const list = this.#rulesByPurpose.get(purpose) ?? [];
        list.push(rule);
        this.#rulesByPurpose.set(purpose, list);
      }
    }
  }

  hasCategory(id: string): boolean {
    return Object.hasOwn(this.doc.categories, id);
  }
  hasPurpose(id: string): boolean {
    return Object.hasOwn(this.doc.purposes, id);
  }
  hasSubjectKind(id: string): boolean {
    return Object.hasOwn(this.doc.subject_kinds, id);
  }
  recipient(id: string): Recipient | undefined {
    return Object.hasOwn(this.doc.recipients, id) ? this.doc.recipients[id] : undefined;
  }

  /** Every category id at or below `id` (itself first). */
  descendantsOf(id: string): string[] {
    return Object.keys(this.doc.categories).filter((c) => isWithin(c, id));
  }

  /** A category is identifying if it, or anything below it, names a person directly. */
  isIdentifying(id: string): boolean {
    return this.descendantsOf(id).some((c) => this.doc.categories[c]?.identifying === true);
  }

  /** A category is personal if it, or anything below it, relates to a person at all. */
  isPersonal(id: string): boolean {
    return this.descendantsOf(id).some((c) => this.doc.categories[c]?.personal !== false);
  }

  /**
   * A person may ask to correct this category: its `correctable` flag, else (a policy written
   * before the flag) whether it is identifying personal data (a name, an address, an email, a
   * phone); never a category unknown to the policy.
   */
  isCorrectable(id: string): boolean {
    const c = Object.hasOwn(this.doc.categories, id) ? this.doc.categories[id] : undefined;
    if (!c) return false;
    return c.correctable ?? (c.identifying && c.personal !== false);
  }

  /** The rules that name this purpose, in file order. */
  rulesForPurpose(purpose: string): readonly Rule[] {
    return this.#rulesByPurpose.get(purpose) ?? [];
  }

  /** The rules that govern one (purpose, category, subject kind) triple. */
  matchingRules(purpose: string, category: string, kind: string): Rule[] {
    return this.rulesForPurpose(purpose).filter(
      (r) => r.subject_kinds.includes(kind) && r.categories.some((c) => isWithin(category, c)),
    );
  }

  /** Channels through which a purpose is consented to or objected to. */
  channelsForPurpose(purpose: string): string[] {
    return Object.entries(this.doc.channels)
      .filter(([, ch]) => ch.purposes.includes(purpose))
      .map(([id]) => id);
  }

  /** The privacy law of a US jurisdiction (`us-va`), or undefined when the state has none here. */
  stateLaw(jurisdiction: string): StateLaw | undefined {
    const laws = this.doc.us_state_laws ?? {};
    return Object.hasOwn(laws, jurisdiction) ? laws[jurisdiction] : undefined;
  }

  /**
   * The authority a person of this jurisdiction may complain to: the policy's `regulators` entry,
   * else the attorney general of the state's law; none for `other`.
   */
  regulator(jurisdiction: string): { id: string; name: string; url: string } | undefined {
    if (jurisdiction === 'other') return undefined;
    const regs = this.doc.regulators;
    const reg = Object.hasOwn(regs, jurisdiction)
      ? regs[jurisdiction]
      : this.stateLaw(jurisdiction)?.attorney_general;
    return reg ? { id: jurisdiction, name: reg.name, url: reg.url } : undefined;
  }

  /** Plain text of one notice section (paragraphs joined), or undefined. */
  sectionText(id: string): string | undefined {
    const s = this.doc.notice.sections.find((x) => x.id === id);
    return s?.paragraphs.join(' ');
  }
}
