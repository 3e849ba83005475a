// Cross-reference checks a schema cannot express: every id a policy names must exist, every rule
// must quote its notice, and no recipient may be promised data the notice says it never gets.
import { ancestorsOf, isWithin } from './model.js';
import type { PolicyDocument } from './schema.js';
import { checkForms } from './validate-forms.js';

export interface CrossProblem {
  readonly path: PropertyKey[];
  readonly message: string;
}

/** Lower-case, straight quotes, single spaces, no trailing full stop: how sentences are compared. */
export function normaliseSentence(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b`]/g, "'")
    .replace(/[\u201c\u201d\u201f]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.:;,]+$/, '');
}

export function validatePolicy(doc: PolicyDocument): CrossProblem[] {
  const problems: CrossProblem[] = [];
  const add = (path: PropertyKey[], message: string) => problems.push({ path, message });

  const has = (rec: Record<string, unknown>, id: string) => Object.hasOwn(rec, id);
  const checkAll = (
    ids: readonly string[],
    rec: Record<string, unknown>,
    base: PropertyKey[],
    what: string,
  ) => {
    ids.forEach((id, i) => {
      if (!has(rec, id)) add([...base, i], `unknown ${what} "${id}"`);
    });
  };

  // Notice sections: unique ids; the text every quoted source must be found in.
  const sectionIds = new Set<string>();
  doc.notice.sections.forEach((s, i) => {
    if (sectionIds.has(s.id)) add(['notice', 'sections', i, 'id'], `duplicate section id "${s.id}"`);
    sectionIds.add(s.id);
  });
  const noticeText = normaliseSentence(doc.notice.sections.flatMap((s) => s.paragraphs).join(' '));
  const sectionText = (id: string) =>
    normaliseSentence(doc.notice.sections.find((s) => s.id === id)?.paragraphs.join(' ') ?? '');
  const quoted = (source: string, base: PropertyKey[], inSection?: string) => {
    const needle = normaliseSentence(source);
    const hay = inSection ? sectionText(inSection) : noticeText;
    if (!hay.includes(needle)) {
      add(
        [...base, 'source'],
        inSection
          ? `the source sentence is not in notice section "${inSection}"`
          : 'the source sentence is not in the notice; quote the notice word for word',
      );
    }
  };

  // Categories: every dotted id needs its parent.
  for (const id of Object.keys(doc.categories)) {
    for (const parent of ancestorsOf(id)) {
      if (!has(doc.categories, parent))
        add(['categories', id], `parent category "${parent}" is not declared`);
    }
  }

  // Corrections: only what is a person's can be corrected, and never a password (a reset changes it).
  for (const [id, cat] of Object.entries(doc.categories)) {
    if (cat.correctable !== true) continue;
    if (cat.personal === false)
      add(
        ['categories', id, 'correctable'],
        `"${id}" is not personal data, so there is nothing of a person to correct: remove correctable or make it false`,
      );
    if (isWithin(id, 'account.credentials'))
      add(
        ['categories', id, 'correctable'],
        `"${id}" holds credentials, which a password reset changes and no correction request may: make correctable false`,
      );
  }

  // Promises.
  for (const [id, p] of Object.entries(doc.promises)) {
    if (!sectionIds.has(p.section)) add(['promises', id, 'section'], `unknown notice section "${p.section}"`);
    else quoted(p.source, ['promises', id], p.section);
  }
  const promiseExists = (id: string, path: PropertyKey[]) => {
    if (!has(doc.promises, id)) add(path, `unknown promise "${id}"`);
  };

  // Channels.
  for (const [id, ch] of Object.entries(doc.channels)) {
    checkAll(ch.purposes, doc.purposes, ['channels', id, 'purposes'], 'purpose');
    for (const key of ['enrolled_by', 'granted_by', 're_enrolled_by'] as const) {
      checkAll(ch[key], doc.collection_points, ['channels', id, key], 'collection point');
    }
    // A collection point that enrolls or grants a channel must collect someone the channel's rules
    // cover: otherwise the history would say "granted" while no rule lets the channel reach them,
    // and the audiences, decisions and history would disagree.
    const covered = new Set(
      doc.rules
        .filter((r) => r.channel === id && (r.basis === 'opt_in' || r.basis === 'opt_out'))
        .flatMap((r) => r.subject_kinds),
    );
    for (const key of ['enrolled_by', 'granted_by'] as const) {
      ch[key].forEach((cp, i) => {
        const point = has(doc.collection_points, cp) ? doc.collection_points[cp] : undefined;
        if (point && !point.subject_kinds.some((k) => covered.has(k)))
          add(
            ['channels', id, key, i],
            `"${cp}" collects ${point.subject_kinds.join(', ')}, but no opt_in or opt_out rule of this channel covers ${point.subject_kinds.length > 1 ? 'them' : 'that kind'}`,
          );
      });
    }
    ch.re_enrolled_by.forEach((cp, i) => {
      if (!ch.enrolled_by.includes(cp) && !ch.granted_by.includes(cp)) {
        add(
          ['channels', id, 're_enrolled_by', i],
          `"${cp}" re-enrolls but neither enrolls nor grants this channel`,
        );
      }
    });
  }
  (doc.cookies ?? []).forEach((c, i) => {
    if (!Object.hasOwn(doc.cookie_categories, c.category))
      add(['cookies', i, 'category'], `unknown cookie category "${c.category}"`);
    // The name is the id translations use: two alike would share one translation.
    if ((doc.cookies ?? []).findIndex((k) => k.name === c.name) < i)
      add(['cookies', i, 'name'], `a second cookie named "${c.name}"; each name once`);
  });
  for (const [id, cc] of Object.entries(doc.cookie_categories)) {
    checkAll(cc.channels, doc.channels, ['cookie_categories', id, 'channels'], 'channel');
    if (cc.required && cc.channels.length > 0) {
      add(
        ['cookie_categories', id, 'channels'],
        'a required (strictly necessary) category cannot carry consent channels',
      );
    }
  }

  // Collection points (P1: each links a notice section).
  for (const [id, cp] of Object.entries(doc.collection_points)) {
    if (!sectionIds.has(cp.notice))
      add(['collection_points', id, 'notice'], `unknown notice section "${cp.notice}"`);
    checkAll(cp.subject_kinds, doc.subject_kinds, ['collection_points', id, 'subject_kinds'], 'subject kind');
    for (const [name, f] of Object.entries(cp.fields)) {
      const base = ['collection_points', id, 'fields', name];
      if (!has(doc.categories, f.category)) add([...base, 'category'], `unknown category "${f.category}"`);
      if (!cp.subject_kinds.includes(f.subject_kind)) {
        add(
          [...base, 'subject_kind'],
          `"${f.subject_kind}" is not one of this collection point's subject kinds`,
        );
      }
      checkAll(f.purposes, doc.purposes, [...base, 'purposes'], 'purpose');
      // A field may only claim a purpose some rule can allow; otherwise the notice promises a use
      // the engine would deny (or, worse, one nobody reviewed).
      f.purposes.forEach((purpose, i) => {
        const matching = doc.rules.filter(
          (r) =>
            r.purposes.includes(purpose) &&
            r.subject_kinds.includes(f.subject_kind) &&
            r.categories.some((c) => isWithin(f.category, c)),
        );
        const allowed = matching.length > 0 && !matching.some((r) => r.basis === 'never');
        if (has(doc.purposes, purpose) && !allowed) {
          add([...base, 'purposes', i], `no rule allows "${purpose}" for ${f.subject_kind} ${f.category}`);
        }
      });
    }
  }

  // Declared forms: what the generic collection endpoint relies on.
  checkForms(doc, add);

  // Rules.
  const ruleIds = new Set<string>();
  doc.rules.forEach((r, i) => {
    const base: PropertyKey[] = ['rules', i];
    if (ruleIds.has(r.id)) add([...base, 'id'], `duplicate rule id "${r.id}"`);
    ruleIds.add(r.id);
    promiseExists(r.promise, [...base, 'promise']);
    quoted(r.source, base);
    checkAll(r.subject_kinds, doc.subject_kinds, [...base, 'subject_kinds'], 'subject kind');
    checkAll(r.purposes, doc.purposes, [...base, 'purposes'], 'purpose');
    checkAll(r.categories, doc.categories, [...base, 'categories'], 'category');
    const needsChannel = r.basis === 'opt_in' || r.basis === 'opt_out';
    if (needsChannel && !r.channel) {
      // P7: no use beyond what is necessary without a way to say no.
      add(
        [...base, 'channel'],
        `basis "${r.basis}" needs the consent channel through which the person can say no`,
      );
    }
    if (!needsChannel && r.channel) add([...base, 'channel'], `basis "${r.basis}" takes no channel`);
    if (r.channel) {
      const ch = doc.channels[r.channel];
      if (!ch) add([...base, 'channel'], `unknown channel "${r.channel}"`);
      else {
        r.purposes.forEach((p, j) => {
          if (!ch.purposes.includes(p))
            add([...base, 'purposes', j], `channel "${r.channel}" does not cover "${p}"`);
        });
      }
    }
    if (r.basis !== 'never') {
      r.purposes.forEach((p) => {
        if (!doc.purposes[p]?.aggregate_only) return;
        r.categories.forEach((c, j) => {
          if (!has(doc.categories, c)) return;
          const personal = Object.entries(doc.categories).some(
            ([id, cat]) => isWithin(id, c) && cat.personal !== false,
          );
          if (personal)
            add([...base, 'categories', j], `"${p}" is aggregate-only but "${c}" is personal data (P6)`);
        });
      });
    }
  });

  // Recipients.
  for (const [id, rc] of Object.entries(doc.recipients)) {
    const base = ['recipients', id];
    promiseExists(rc.promise, [...base, 'promise']);
    checkAll(rc.purposes, doc.purposes, [...base, 'purposes'], 'purpose');
    checkAll(rc.categories, doc.categories, [...base, 'categories'], 'category');
    rc.categories.forEach((c, i) => {
      const below = Object.entries(doc.categories).filter(([cid]) => isWithin(cid, c));
      if (rc.identifying_data === 'never' && below.some(([, cat]) => cat.identifying)) {
        add([...base, 'categories', i], `"${c}" is identifying and ${id} may never receive identifying data`);
      }
      if (rc.personal_data === 'never' && below.some(([, cat]) => cat.personal !== false)) {
        add([...base, 'categories', i], `"${c}" is personal data and ${id} may receive only aggregates`);
      }
    });
  }

  (doc.transfers ?? []).forEach((t, i) => {
    if (!has(doc.recipients, t.recipient))
      add(['transfers', i, 'recipient'], `unknown recipient "${t.recipient}"`);
  });

  // Retention and exemptions.
  doc.retention.forEach((r, i) => {
    if (!has(doc.categories, r.category))
      add(['retention', i, 'category'], `unknown category "${r.category}"`);
    checkAll(r.subject_kinds ?? [], doc.subject_kinds, ['retention', i, 'subject_kinds'], 'subject kind');
  });
  for (const [id, ex] of Object.entries(doc.exemptions)) {
    promiseExists(ex.promise, ['exemptions', id, 'promise']);
    quoted(ex.source, ['exemptions', id]);
    checkAll(ex.categories, doc.categories, ['exemptions', id, 'categories'], 'category');
  }

  // Translations name only what the policy has.
  for (const [locale, t] of Object.entries(doc.translations)) {
    if (!t) continue;
    const named: [keyof typeof t & string, Record<string, unknown>, string][] = [
      ['categories', doc.categories, 'category'],
      ['purposes', doc.purposes, 'purpose'],
      ['exemptions', doc.exemptions, 'exemption'],
      ['channels', doc.channels, 'channel'],
      ['cookie_categories', doc.cookie_categories, 'cookie category'],
      ['regulators', doc.regulators, 'regulator'],
      ['subject_kinds', doc.subject_kinds, 'subject kind'],
      ['collection_points', doc.collection_points, 'collection point'],
      ['promises', doc.promises, 'promise'],
      ['recipients', doc.recipients, 'recipient'],
      ['cookies', Object.fromEntries((doc.cookies ?? []).map((c) => [c.name, c])), 'cookie'],
    ];
    for (const [key, rec, what] of named)
      for (const id of Object.keys((t[key] ?? {}) as Record<string, unknown>))
        if (!has(rec, id)) add(['translations', locale, key, id], `unknown ${what} "${id}"`);
    // A translated source is quoted from the translated notice, as the policy's own is from its own.
    const translatedNotice = t.notice
      ? normaliseSentence(t.notice.sections.flatMap((s) => s.paragraphs).join(' '))
      : undefined;
    for (const [id, source] of Object.entries(t.exemption_sources)) {
      const path = ['translations', locale, 'exemption_sources', id];
      if (!has(doc.exemptions, id)) add(path, `unknown exemption "${id}"`);
      else if (translatedNotice === undefined)
        add(path, 'a translated source quotes the translated notice, and this translation has none');
      else if (!translatedNotice.includes(normaliseSentence(source)))
        add(path, 'the source sentence is not in the translated notice; quote it word for word');
    }
    const reasons = new Set(doc.retention.map((r) => r.reason));
    for (const reason of Object.keys(t.retention_reasons))
      if (!reasons.has(reason))
        add(['translations', locale, 'retention_reasons', reason], 'no retention rule gives this reason');
  }

  return problems;
}
