// The human-readable privacy notice, built from the same policy the decision engine enforces, in
// the reader's language: the policy's names from its `translations` (words.ts), Vow's own words
// (durations, "everyone", a recipient's role) from the catalog below.
import { type Catalog, DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import type { Policy } from './model.js';
import {
  categoryName,
  channelName,
  collectionPointTitle,
  cookieCategoryText,
  cookieWords,
  promiseText,
  purposeName,
  recipientName,
  regulatorName,
  retentionReason,
  subjectKindName,
} from './words.js';

export interface NoticeSection {
  readonly id: string;
  readonly heading: string;
  readonly paragraphs: readonly string[];
  /** The promises made in this section. */
  readonly promises: readonly { id: string; title: string }[];
}

/** One kind of information a form collects, with every use the form makes of it. */
export interface NoticeField {
  readonly category: string;
  readonly categoryDescription: string;
  /** Whether the form requires it (any of its fields of this category is required). */
  readonly required: boolean;
  readonly purposes: readonly string[];
}

export interface NoticeCollectionPoint {
  readonly id: string;
  /** Anchor of this collection point's part of the notice (what the form links to, P1). */
  readonly anchor: string;
  readonly title: string;
  readonly section: string;
  /**
   * What the form collects, by whose it is (a checkout asks about the buyer and a gift's
   * recipient), each category once a person: a billing and a shipping address are one "postal
   * address" with both uses, where two alike rows read as a mistake.
   */
  readonly groups: readonly { readonly whose: string; readonly fields: readonly NoticeField[] }[];
}

export interface Notice {
  readonly title: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly controller: Policy['doc']['controller'];
  readonly sections: readonly NoticeSection[];
  readonly collectionPoints: readonly NoticeCollectionPoint[];
  readonly recipients: readonly {
    id: string;
    name: string;
    role: string;
    purposes: string[];
    categories: string[];
  }[];
  readonly retention: readonly { category: string; who: string; keep: string; reason: string }[];
  readonly choices: readonly { id: string; description: string; purposes: string[] }[];
  readonly cookieCategories: readonly {
    id: string;
    title: string;
    description: string;
    required: boolean;
    /** The cookies and tools behind the category, in the reader's language. */
    cookies: readonly CookieText[];
  }[];
  readonly promises: readonly {
    id: string;
    title: string;
    source: string;
    enforcement: string;
    section: string;
  }[];
  readonly regulators: readonly { id: string; name: string; url: string }[];
}

/** Anchor a collection point links to; stable so forms can deep-link it. */
export function collectionAnchor(id: string): string {
  return `collect-${id}`;
}

interface NoticeWords {
  readonly untilDeletion: string;
  readonly units: {
    readonly year: [string, string];
    readonly month: [string, string];
    readonly day: [string, string];
  };
  readonly from: Readonly<Record<string, string>>;
  readonly everyone: string;
  readonly processor: string;
  readonly thirdParty: string;
}

const WORDS: Catalog<NoticeWords> = {
  'en-US': {
    untilDeletion: 'until you ask us to delete it or close your account',
    units: { year: ['year', 'years'], month: ['month', 'months'], day: ['day', 'days'] },
    from: {
      collected: 'after we collect it',
      order_date: 'after the order',
      last_activity: 'after your last activity',
    },
    everyone: 'Everyone',
    processor: 'Service provider acting on our instructions',
    thirdParty: 'Third party',
  },
  'es-US': {
    untilDeletion: 'hasta que nos pida eliminarla o cierre su cuenta',
    units: { year: ['año', 'años'], month: ['mes', 'meses'], day: ['día', 'días'] },
    from: {
      collected: 'después de recopilarla',
      order_date: 'después del pedido',
      last_activity: 'después de su última actividad',
    },
    everyone: 'Todas las personas',
    processor: 'Proveedor de servicios que actúa según nuestras instrucciones',
    thirdParty: 'Tercero',
  },
};

function describeDuration(keep: string, w: NoticeWords): string {
  if (keep === 'until_deletion') return w.untilDeletion;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(keep);
  if (!m) return keep;
  const parts: string[] = [];
  const unit = (n: string | undefined, [one, many]: [string, string]) => {
    if (n && Number(n) > 0) parts.push(`${n} ${Number(n) === 1 ? one : many}`);
  };
  unit(m[1], w.units.year);
  unit(m[2], w.units.month);
  unit(m[3], w.units.day);
  return parts.join(' ') || keep;
}

/** A retention period (`keep_for`) in the notice's words: "7 years"; anything else as it is written. */
export function retentionInWords(keep: string, locale: Locale = DEFAULT_LOCALE): string {
  return describeDuration(keep, WORDS[locale]);
}

/** A cookie or tool as a shopper reads it: what it is called, does, lasts and who provides it. */
export interface CookieText {
  readonly name: string;
  readonly purpose: string;
  readonly duration: string;
  readonly provider: string;
}

/**
 * A policy's cookie in the reader's language: the translation's words (keyed by the cookie's
 * name), else the policy's own; a duration that is an ISO 8601 period ("P13M") is worded in the
 * reader's language ("13 meses"), other text is the translation's or as written.
 */
export function cookieText(
  policy: Policy,
  cookie: NonNullable<Policy['doc']['cookies']>[number],
  locale: Locale = DEFAULT_LOCALE,
): CookieText {
  const t = cookieWords(policy, cookie.name, locale);
  return {
    name: t?.name ?? cookie.name,
    purpose: t?.purpose ?? cookie.purpose,
    duration: t?.duration ?? retentionInWords(cookie.duration, locale),
    provider: t?.provider ?? cookie.provider,
  };
}

/** The cookies and tools behind a cookie category, in the reader's language. */
export function categoryCookies(
  policy: Policy,
  category: string,
  locale: Locale = DEFAULT_LOCALE,
): CookieText[] {
  return (policy.doc.cookies ?? [])
    .filter((k) => k.category === category)
    .map((k) => cookieText(policy, k, locale));
}

function promiseSort(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

/** The notice in `locale` (default: the policy's own language). */
export function buildNotice(policy: Policy, locale: Locale = DEFAULT_LOCALE): Notice {
  const d = policy.doc;
  const w = WORDS[locale];
  const purpose = (id: string) => purposeName(policy, id, locale);
  const category = (id: string) => categoryName(policy, id, locale);
  const promises = Object.entries(d.promises)
    .sort(([a], [b]) => promiseSort(a, b))
    .map(([id, p]) => ({
      id,
      ...promiseText(policy, id, locale),
      source: p.source,
      section: p.section,
    }));
  return {
    title: d.notice.title,
    version: policy.version,
    effectiveDate: policy.effectiveDate,
    controller: d.controller,
    sections: d.notice.sections.map((s) => ({
      id: s.id,
      heading: s.heading,
      paragraphs: s.paragraphs,
      promises: promises.filter((p) => p.section === s.id).map((p) => ({ id: p.id, title: p.title })),
    })),
    collectionPoints: Object.entries(d.collection_points).map(([id, cp]) => ({
      id,
      anchor: collectionAnchor(id),
      title: collectionPointTitle(policy, id, locale),
      section: cp.notice,
      groups: noticeGroups(Object.values(cp.fields), {
        whose: (kind) => subjectKindName(policy, kind, locale),
        category,
        purpose,
      }),
    })),
    recipients: Object.entries(d.recipients).map(([id, r]) => ({
      id,
      name: recipientName(policy, id, locale),
      role: r.role === 'processor' ? w.processor : w.thirdParty,
      purposes: r.purposes.map(purpose),
      categories: r.categories.map(category),
    })),
    retention: d.retention.map((r) => ({
      category: category(r.category),
      who: r.subject_kinds
        ? r.subject_kinds.map((k) => subjectKindName(policy, k, locale)).join('; ')
        : w.everyone,
      keep:
        r.keep_for === 'until_deletion'
          ? describeDuration(r.keep_for, w)
          : `${describeDuration(r.keep_for, w)} ${w.from[r.from] ?? ''}`.trim(),
      reason: retentionReason(policy, r.reason, locale),
    })),
    choices: Object.entries(d.channels).map(([id, c]) => ({
      id,
      description: channelName(policy, id, locale),
      purposes: c.purposes.map(purpose),
    })),
    cookieCategories: Object.entries(d.cookie_categories).map(([id, c]) => ({
      id,
      ...cookieCategoryText(policy, id, locale),
      required: c.required,
      cookies: categoryCookies(policy, id, locale),
    })),
    promises,
    regulators: Object.entries(d.regulators).map(([id, r]) => ({
      id,
      name: regulatorName(policy, id, locale),
      url: r.url,
    })),
  };
}

/** A form's fields by person (in the order the form names them), each category once with all its uses. */
function noticeGroups(
  fields: readonly {
    category: string;
    subject_kind: string;
    required: boolean;
    purposes: readonly string[];
  }[],
  names: {
    readonly whose: (kind: string) => string;
    readonly category: (id: string) => string;
    readonly purpose: (id: string) => string;
  },
): NoticeCollectionPoint['groups'] {
  const byKind = new Map<string, Map<string, { required: boolean; purposes: Set<string> }>>();
  for (const f of fields) {
    const kind = byKind.get(f.subject_kind) ?? new Map();
    byKind.set(f.subject_kind, kind);
    const row = kind.get(f.category) ?? { required: false, purposes: new Set<string>() };
    kind.set(f.category, row);
    row.required ||= f.required;
    for (const p of f.purposes) row.purposes.add(p);
  }
  return [...byKind].map(([kind, categories]) => ({
    whose: names.whose(kind),
    fields: [...categories].map(([category, row]) => ({
      category,
      categoryDescription: names.category(category),
      required: row.required,
      purposes: [...row.purposes].map(names.purpose),
    })),
  }));
}

/** The notice as Markdown, for `vow policy notice` and for retailers who publish it elsewhere. */
export function renderNoticeMarkdown(policy: Policy): string {
  const n = buildNotice(policy);
  const out: string[] = [];
  out.push(
    `# ${n.title}`,
    '',
    `${n.controller.name} — effective ${n.effectiveDate} — version ${n.version}`,
    '',
  );
  for (const s of n.sections) {
    out.push(`## ${s.heading}`, '');
    for (const p of s.paragraphs) out.push(p, '');
  }
  out.push('## What we collect, where, and why', '');
  for (const cp of n.collectionPoints) {
    out.push(`### ${cp.title}`, '');
    for (const g of cp.groups) {
      if (cp.groups.length > 1) out.push(`${g.whose}:`, '');
      for (const f of g.fields)
        out.push(`- ${f.categoryDescription}${f.required ? '' : ' (optional)'}: ${f.purposes.join('; ')}`);
      out.push('');
    }
  }
  out.push('## Who receives your information', '');
  for (const r of n.recipients)
    out.push(`- **${r.name}** (${r.role}): ${r.categories.join(', ')} — for ${r.purposes.join('; ')}`);
  out.push('', '## How long we keep it', '');
  for (const r of n.retention) out.push(`- ${r.category} (${r.who}): ${r.keep}. ${r.reason}`);
  out.push('', '## Your choices', '');
  for (const c of n.choices) out.push(`- ${c.description}`);
  out.push('', '## Cookies we set', '');
  for (const c of n.cookieCategories) {
    out.push(`- **${c.title}**${c.required ? ' (always on)' : ''}: ${c.description}`);
    for (const k of c.cookies) out.push(`  - ${k.name}: ${k.purpose} (${k.duration}; ${k.provider})`);
  }
  out.push('', '## Our promises and how we keep them', '');
  for (const p of n.promises) out.push(`- **${p.id}. ${p.title}.** ${p.enforcement}`);
  out.push(
    '',
    '## Contact',
    '',
    `${n.controller.name}, ${n.controller.postal_address}. Phone ${n.controller.phone}. Email ${n.controller.email}.`,
    '',
  );
  return out.join('\n');
}
