// A person's data in plain language, for "My data" and the access export: one record per stored
// row (one consent event is one record, not one row per field), the policy's words for every
// category and purpose, what is kept after a deletion request and why. Secrets (the password hash)
// and internals (keyed fingerprints used to find records, row ids, table and column names, purpose
// codes, JSON) are never shown. The same document is what the JSON and CSV downloads hold.
import {
  categoryName,
  channelName,
  collectionPointTitle,
  cookieCategoryText,
  exemptionName,
  exemptionSource,
  isWithin,
  type Policy,
  purposeName,
  recipientName,
  retentionReason,
  subjectKindName,
} from '../../modules/policy/index.js';
import { csvFile } from '../../platform/csv.js';
import { DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import { offeredAnswers, storedAnswer } from './answer-words.js';
import { PLAIN_WORDS, type PlainWords } from './i18n/plain-data.js';

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
  /**
   * The value's parts, when it has several (a form's fields, an order's items): the page shows them
   * one a line; `value` joins them with ";" for the CSV.
   */
  readonly parts?: readonly string[];
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
  /**
   * Who it is shared with (GDPR art. 15(1)(c)): each of the policy's recipients given a kind of
   * information in the section, its role and why it gets it, in words; empty: no one.
   */
  readonly sharedWith?: readonly string[] | undefined;
  /** Why a deletion request leaves it in place (the policy's exemption: its name and words), if it does. */
  readonly keptOnDeletion?: { readonly title: string; readonly source: string } | undefined;
  readonly records: readonly { readonly fields: readonly PlainField[] }[];
}

export interface PlainData {
  readonly controller: string;
  readonly generatedAt: string;
  readonly sections: readonly PlainSection[];
  /** What a deletion request keeps and why (the policy's exemptions), for the confirmation step. */
  readonly exemptions: readonly {
    readonly title: string;
    /** The kinds of information it keeps. */
    readonly what: readonly string[];
    readonly why: string;
    /** `why` is the policy's own words (quoted), not Vow's. */
    readonly quoted: boolean;
  }[];
  /** Things held but deliberately not shown, said in words (e.g. the password). */
  readonly notShown: readonly string[];
}

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

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date or time as people write it: "2 Dec 2026" or "2 Dec 2026, 06:15 UTC". */
export function wordedDate(text: string, locale: Locale = DEFAULT_LOCALE): string | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const day = `${Number(m[3])} ${PLAIN_WORDS[locale].months[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
  return m[4] ? `${day}, ${m[4]}:${m[5]}${m[6] === 'Z' ? ' UTC' : ''}` : day;
}

/**
 * An amount stored in cents as the shopper's language writes it: "$499.50" with the record's
 * currency (a three-letter code), else the number alone ("1,234.50"), never "499.5" or "49950".
 */
export function wordedAmount(cents: number, locale: Locale, currency?: string): string {
  const amount = cents / 100;
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
    } catch {
      /* a code Intl does not know: the number alone */
    }
  }
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
}

/** What a value's words depend on besides itself: the language, and the record's currency. */
interface Wording {
  readonly locale: Locale;
  readonly currency?: string | undefined;
  /** The value answers a form's question: its field and the answers the form offers today. */
  readonly answers?: { readonly field: string; readonly offered: readonly string[] } | undefined;
}

/** A value in words: a policy code becomes the policy's description, a date a date, JSON fields. */
function wordValue(policy: Policy, column: string, value: unknown, wording: Wording): string {
  const { locale } = wording;
  const w = PLAIN_WORDS[locale];
  if (value === null || value === undefined || value === '') return w.erased;
  if (typeof value === 'boolean') return value ? w.yes : w.no;
  if (typeof value === 'number' && column.endsWith('_cents'))
    return wordedAmount(value, locale, wording.currency);
  if (Array.isArray(value)) return value.map((x) => wordValue(policy, column, x, wording)).join('; ');
  const d = policy.doc;
  const o = value as { category?: unknown; purposes?: unknown };
  // A field of a form (where the data came from): its category's name, and what it was for.
  if (typeof value === 'object' && typeof o.category === 'string' && d.categories[o.category])
    return formFields(policy, [value], locale)?.[0] ?? categoryName(policy, o.category, locale);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, x]) => x !== null && x !== undefined && x !== '',
    );
    const fields = formFields(
      policy,
      entries.map(([, x]) => x),
      locale,
    );
    if (fields) return fields.join('; ');
    // Parts that hold commas of their own (a nested address, a form's fields) are told apart by ";".
    const nested = entries.some(([, x]) => typeof x === 'object');
    return entries
      .map(([k, x]) =>
        x !== null && typeof x === 'object'
          ? wordValue(policy, k, x, wording)
          : `${w.columns[k] ?? worded(k)}: ${wordValue(policy, k, x, wording)}`,
      )
      .join(nested ? '; ' : ', ');
  }
  const text = String(value);
  // A value stored as JSON text (the items of an order) is worded like any object.
  if (/^\s*[[{]/.test(text)) {
    try {
      return wordValue(policy, column, JSON.parse(text) as unknown, wording);
    } catch {
      /* not JSON after all: shown as written */
    }
  }
  // A form's coded answer ("500_1000") reads as the words the form offered ("$500 to $1,000").
  if (wording.answers) return storedAnswer(wording.answers.field, text, wording.answers.offered, locale);
  if (Object.hasOwn(w.values, text)) return w.values[text]!;
  const described = d.channels[text]
    ? channelName(policy, text, locale)
    : d.purposes[text]
      ? purposeName(policy, text, locale)
      : d.categories[text]
        ? categoryName(policy, text, locale)
        : d.collection_points[text]
          ? collectionPointTitle(policy, text, locale)
          : d.cookie_categories[text]
            ? cookieCategoryText(policy, text, locale).title
            : d.subject_kinds[text]
              ? subjectKindName(policy, text, locale)
              : undefined;
  if (described) return described;
  const date = wordedDate(text, locale);
  if (date) return date;
  // A country stored as its two-letter code reads as its name in the shopper's language.
  if (column === 'country' && /^[A-Z]{2}$/.test(text))
    return new Intl.DisplayNames(locale, { type: 'region', fallback: 'code' }).of(text) ?? text;
  // A lone code ("unsubscribed", "accept_all") reads as words; free text stays as it was typed.
  return /^[a-z]+(?:_[a-z]+)+$/.test(text) ? worded(text).toLowerCase() : text;
}

/**
 * A form's fields as the shopper reads them: each kind of information once, with everything it was
 * asked for (a checkout's billing and shipping addresses are one "Postal address", not two lines);
 * undefined when these are not all fields of a form.
 */
function formFields(policy: Policy, values: readonly unknown[], locale: Locale): string[] | undefined {
  const fields = values.map((x) => x as { category?: unknown; purposes?: unknown });
  if (
    fields.length === 0 ||
    !fields.every(
      (f) =>
        f && typeof f === 'object' && typeof f.category === 'string' && policy.doc.categories[f.category],
    )
  )
    return undefined;
  const merged = new Map<string, string[]>();
  for (const f of fields) {
    const name = categoryName(policy, f.category as string, locale);
    const purposes = merged.get(name) ?? [];
    for (const p of Array.isArray(f.purposes) ? f.purposes : [])
      if (typeof p === 'string' && !purposes.includes(purposeName(policy, p, locale)))
        purposes.push(purposeName(policy, p, locale));
    merged.set(name, purposes);
  }
  return [...merged].map(([name, purposes]) =>
    purposes.length > 0 ? `${name} (${purposes.join(', ')})` : name,
  );
}

/**
 * The parts of a value that holds several (a list, or an object of objects, as stored or as JSON
 * text), each in words; undefined for a value of one part.
 */
function wordParts(policy: Policy, column: string, value: unknown, wording: Wording): string[] | undefined {
  let v = value;
  if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(v)) return v.length > 1 ? v.map((x) => wordValue(policy, column, x, wording)) : undefined;
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { category?: unknown };
  if (typeof o.category === 'string' && policy.doc.categories[o.category]) return undefined;
  const w = PLAIN_WORDS[wording.locale];
  const entries = Object.entries(v as Record<string, unknown>).filter(
    ([, x]) => x !== null && x !== undefined && x !== '',
  );
  if (entries.length < 2 || !entries.some(([, x]) => typeof x === 'object')) return undefined;
  const fields = formFields(
    policy,
    entries.map(([, x]) => x),
    wording.locale,
  );
  if (fields) return fields.length > 1 ? fields : undefined;
  return entries.map(([k, x]) =>
    x !== null && typeof x === 'object'
      ? wordValue(policy, k, x, wording)
      : `${w.columns[k] ?? worded(k)}: ${wordValue(policy, k, x, wording)}`,
  );
}

/** A field: its words, and its parts when it has several. */
function plainField(
  policy: Policy,
  label: string,
  column: string,
  value: unknown,
  wording: Wording,
): PlainField {
  const parts = wordParts(policy, column, value, wording);
  return { label, value: wordValue(policy, column, value, wording), ...(parts ? { parts } : {}) };
}

/**
 * A column's name in words: the catalog's, else worded from its key. A key of a sealed JSON object
 * as the walker names it ("buyer_sealed.name") is its column's words and its key's: "Buyer: name".
 */
function columnLabel(column: string, w: PlainWords): string {
  const named = w.columns[column];
  if (named) return named;
  const dot = column.indexOf('.');
  // A column that only seals a person's details ("sealed.first_name") is named by its key alone.
  if (dot > 0 && column.slice(0, dot) === 'sealed') return columnLabel(column.slice(dot + 1), w);
  if (dot > 0)
    return `${columnLabel(column.slice(0, dot), w)}: ${columnLabel(column.slice(dot + 1), w).toLowerCase()}`;
  return worded(column);
}

/** The fields of one stored value: a JSON object's keys become fields of their own. */
function fieldsOf(policy: Policy, v: StoredValue, wording: Wording): PlainField[] {
  const w = PLAIN_WORDS[wording.locale];
  const column = v.column ?? '';
  // A contact detail's one column holds an email, a phone or an address by its row's kind: its
  // kind's name says what it is ("Email address"), where the column's word said only "Value".
  const label =
    column && column !== 'sealed_value'
      ? columnLabel(column, w)
      : categoryName(policy, v.category, wording.locale);
  const value = v.value;
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined && x !== '')
      .map(([k, x]) => plainField(policy, `${label}: ${columnLabel(k, w).toLowerCase()}`, k, x, wording));
  const offered = offeredAnswers(policy, v.category, column);
  return [
    plainField(
      policy,
      label,
      column,
      value,
      offered ? { ...wording, answers: { field: column, offered } } : wording,
    ),
  ];
}

/** The currency a record's amounts are in (its `currency` column), if it has one. */
function currencyOf(values: readonly StoredValue[]): string | undefined {
  const c = values.find((v) => v.column === 'currency')?.value;
  return typeof c === 'string' ? c : undefined;
}

/** "P7Y" -> "7 years"; until_deletion in words. */
function duration(iso: string, w: PlainWords): string {
  if (iso === 'until_deletion') return w.untilDeletion;
  const m = /^P(\d+)([YMD])$/.exec(iso);
  if (!m) return iso;
  const n = Number(m[1]);
  const u = w.units[m[2] as 'Y' | 'M' | 'D'];
  return `${n} ${n === 1 ? u[0] : u[1]}`;
}

/** How long the policy keeps a category, and why, in one sentence. */
function keptFor(policy: Policy, category: string, locale: Locale): string | undefined {
  const w = PLAIN_WORDS[locale];
  const rule = policy.doc.retention.find(
    (r) => !r.subject_kinds && (isWithin(category, r.category) || isWithin(r.category, category)),
  );
  if (!rule) return undefined;
  const from = rule.keep_for === 'until_deletion' ? '' : (w.from[rule.from] ?? '');
  // The reason in the shopper's language (the policy's translation), as the notice gives it.
  return w.kept(duration(rule.keep_for, w), from, retentionReason(policy, rule.reason, locale));
}

/** The policy's recipients given any of these kinds of information: who, their role, and why. */
function sharedWith(policy: Policy, categories: readonly string[], locale: Locale): string[] {
  const w = PLAIN_WORDS[locale];
  return Object.entries(policy.doc.recipients)
    .filter(([, r]) => r.categories.some((c) => categories.some((k) => isWithin(k, c) || isWithin(c, k))))
    .map(([id, r]) =>
      w.recipient(
        recipientName(policy, id, locale),
        r.role === 'processor' ? w.processor : w.thirdParty,
        r.purposes.map((p) => purposeName(policy, p, locale)),
      ),
    );
}

/** The id of the exemption a deletion keeps a category under, if any. */
function exemptionOf(policy: Policy, category: string): string | undefined {
  return Object.entries(policy.doc.exemptions).find(([, e]) =>
    e.categories.some((c) => isWithin(category, c)),
  )?.[0];
}

/** What a deletion request keeps and why, from the policy's exemptions. */
export function deletionExemptions(policy: Policy, locale: Locale = DEFAULT_LOCALE): PlainData['exemptions'] {
  const w = PLAIN_WORDS[locale];
  // Every record the law makes us keep is one entry (it was one per purpose, each "Legal retention").
  const legal = Object.keys(policy.doc.purposes)
    .filter((id) => isWithin(id, 'legal') || id === 'rights.request_handling')
    .map((id) => purposeName(policy, id, locale));
  return [
    ...Object.entries(policy.doc.exemptions).map(([id, e]) => ({
      title: exemptionName(policy, id, locale),
      what: e.categories.map((c) => categoryName(policy, c, locale)),
      why: exemptionSource(policy, id, locale),
      quoted: true,
    })),
    ...(legal.length > 0 ? [{ title: w.legalTitle, what: legal, why: w.legalWhy, quoted: false }] : []),
  ];
}

function heldIn(policy: Policy, dataset: string | undefined, w: PlainWords): string {
  if (!dataset) return w.heldBy(policy.doc.controller.name);
  if (dataset === 'vow') return w.heldInVow;
  return w.heldInDataset(worded(dataset).toLowerCase());
}

/** Puts stored values into worded sections: one per table (or per category), one record per row. */
export function plainData(
  policy: Policy,
  values: readonly StoredValue[],
  generatedAt: string,
  extra: { readonly account?: PlainSection | undefined } = {},
  locale: Locale = DEFAULT_LOCALE,
): PlainData {
  const w = PLAIN_WORDS[locale];
  const sections = new Map<
    string,
    { v: StoredValue; categories: Set<string>; purposes: Set<string>; rows: Map<string, StoredValue[]> }
  >();
  const notShown = new Set<string>();
  let n = 0;
  for (const v of values) {
    const why = hidden(v);
    if (why === 'secret') {
      notShown.add(w.password);
      continue;
    }
    if (why === 'internal') {
      notShown.add(w.fingerprints);
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
    const exemptionId = cats.map((c) => exemptionOf(policy, c)).find(Boolean);
    out.push({
      id: key.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, ''),
      title: s.v.table
        ? (w.tables[s.v.table] ?? worded(s.v.table))
        : categoryName(policy, s.v.category, locale),
      heldIn: heldIn(policy, s.v.dataset, w),
      information: cats.map((c) => categoryName(policy, c, locale)),
      usedFor: [...s.purposes].sort().map((p) => purposeName(policy, p, locale)),
      keptFor: cats.map((c) => keptFor(policy, c, locale)).find(Boolean),
      sharedWith: sharedWith(policy, cats, locale),
      keptOnDeletion:
        exemptionId === undefined
          ? undefined
          : {
              title: exemptionName(policy, exemptionId, locale),
              source: exemptionSource(policy, exemptionId, locale),
            },
      records: [...s.rows.values()].map((vs) => {
        const wording = { locale, currency: currencyOf(vs) };
        return { fields: vs.flatMap((v) => fieldsOf(policy, v, wording)) };
      }),
    });
  }
  return {
    controller: policy.doc.controller.name,
    generatedAt,
    sections: out,
    exemptions: deletionExemptions(policy, locale),
    notShown: [...notShown],
  };
}

/** The same document as one CSV file: a line per field, with its section and what it is used for. */
export function plainDataCsv(data: PlainData, locale: Locale = DEFAULT_LOCALE): string {
  const rows: unknown[][] = [];
  for (const s of data.sections)
    s.records.forEach((r, i) => {
      for (const f of r.fields)
        rows.push([
          s.title,
          i + 1,
          f.label,
          f.value,
          s.usedFor.join('; '),
          s.keptFor ?? '',
          !s.sharedWith
            ? ''
            : s.sharedWith.length > 0
              ? s.sharedWith.join('; ')
              : PLAIN_WORDS[locale].sharedWithNoOne,
        ]);
    });
  return csvFile([...PLAIN_WORDS[locale].csvHeader], rows);
}
