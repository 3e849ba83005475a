// The human-readable privacy notice, built from the same policy the decision engine enforces.
import type { Policy } from './model.js';

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
  readonly cookieCategories: readonly { id: string; title: string; description: string; required: boolean }[];
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

function describeDuration(keep: string): string {
  if (keep === 'until_deletion') return 'until you ask us to delete it or close your account';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(keep);
  if (!m) return keep;
  const parts: string[] = [];
  const unit = (n: string | undefined, one: string) => {
    if (n && Number(n) > 0) parts.push(`${n} ${one}${Number(n) === 1 ? '' : 's'}`);
  };
  unit(m[1], 'year');
  unit(m[2], 'month');
  unit(m[3], 'day');
  return parts.join(' ') || keep;
}

const FROM: Record<string, string> = {
  collected: 'after we collect it',
  order_date: 'after the order',
  last_activity: 'after your last activity',
};

function promiseSort(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

export function buildNotice(policy: Policy): Notice {
  const d = policy.doc;
  const purpose = (id: string) => d.purposes[id]?.description ?? id;
  const promises = Object.entries(d.promises)
    .sort(([a], [b]) => promiseSort(a, b))
    .map(([id, p]) => ({
      id,
      title: p.title,
      source: p.source,
      enforcement: p.enforcement,
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
      title: cp.title,
      section: cp.notice,
      groups: noticeGroups(d, Object.values(cp.fields), purpose),
    })),
    recipients: Object.entries(d.recipients).map(([id, r]) => ({
      id,
      name: r.name,
      role: r.role === 'processor' ? 'Service provider acting on our instructions' : 'Third party',
      purposes: r.purposes.map(purpose),
      categories: r.categories.map((c) => d.categories[c]?.description ?? c),
    })),
    retention: d.retention.map((r) => ({
      category: d.categories[r.category]?.description ?? r.category,
      who: r.subject_kinds
        ? r.subject_kinds.map((k) => d.subject_kinds[k]?.description ?? k).join('; ')
        : 'Everyone',
      keep:
        r.keep_for === 'until_deletion'
          ? describeDuration(r.keep_for)
          : `${describeDuration(r.keep_for)} ${FROM[r.from] ?? ''}`.trim(),
      reason: r.reason,
    })),
    choices: Object.entries(d.channels).map(([id, c]) => ({
      id,
      description: c.description,
      purposes: c.purposes.map(purpose),
    })),
    cookieCategories: Object.entries(d.cookie_categories).map(([id, c]) => ({
      id,
      title: c.title,
      description: c.description,
      required: c.required,
    })),
    promises,
    regulators: Object.entries(d.regulators).map(([id, r]) => ({ id, name: r.name, url: r.url })),
  };
}

/** A form's fields by person (in the order the form names them), each category once with all its uses. */
function noticeGroups(
  d: Policy['doc'],
  fields: readonly {
    category: string;
    subject_kind: string;
    required: boolean;
    purposes: readonly string[];
  }[],
  purpose: (id: string) => string,
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
    whose: d.subject_kinds[kind]?.description ?? kind,
    fields: [...categories].map(([category, row]) => ({
      category,
      categoryDescription: d.categories[category]?.description ?? category,
      required: row.required,
      purposes: [...row.purposes].map(purpose),
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
  for (const c of n.cookieCategories)
    out.push(`- **${c.title}**${c.required ? ' (always on)' : ''}: ${c.description}`);
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
