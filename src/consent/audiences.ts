// Audiences: the people a marketing send on one channel may go to now, with the contact value to
// send to. Read page by page (keyset on consent_state's index) and streamed, so a million-person
// audience never sits in memory. Who is in is decided by the policy through decide(), per contact
// value and the kind it was collected under (a gift recipient's email is never in the email
// audience, P3), with the person's consent states, open restrictions (P23) and under-13 marker
// (P14); identifiers on the suppression list are left out too.
import { Readable } from 'node:stream';
import type { VowContext } from '../context.js';
import { decide, type SubjectState } from '../decisions/index.js';
import { VowError } from '../errors.js';
import type { Policy } from '../policy/model.js';
import { isWithin } from '../policy/model.js';
import { assertChannel } from './collection-rules.js';
import { sealedContacts, under13Among } from './identifiers.js';

/** The contact categories a send can go to, and the identifier kind that holds each. */
const CONTACT_KINDS: readonly (readonly [category: string, identifierKind: 'email' | 'phone' | 'address'])[] =
  [
    ['contact.email', 'email'],
    ['contact.phone', 'phone'],
    ['contact.postal_address', 'address'],
  ];

export interface AudienceTarget {
  readonly channel: string;
  readonly purpose: string;
  /** The data category sent to (contact.email, contact.phone or contact.postal_address). */
  readonly category: string;
  readonly identifierKind: 'email' | 'phone' | 'address';
}

/**
 * What an audience of a channel is made of, from the policy: the channel's purpose (the one given,
 * or its first) and the contact category its rules let that purpose use.
 */
export function audienceTarget(policy: Policy, channel: string, purpose?: string): AudienceTarget {
  assertChannel(policy, channel);
  const ch = policy.doc.channels[channel]!;
  const p = purpose ?? ch.purposes[0]!;
  if (!ch.purposes.includes(p)) {
    throw new VowError('VOW_VALIDATION', `Channel ${channel} does not serve purpose ${p}`, {
      channel,
      purposes: ch.purposes,
    });
  }
  const ruleCategories = policy.doc.rules
    .filter((r) => r.channel === channel && r.purposes.includes(p) && r.basis !== 'never')
    .flatMap((r) => r.categories);
  // The address the purpose sends to: a contact category the channel's rules cover AND that some
  // form collects for this purpose (postal mail goes to the postal address, not to the email).
  const collectedFor = new Set(
    Object.values(policy.doc.collection_points).flatMap((cp) =>
      Object.values(cp.fields)
        .filter((f) => f.purposes.includes(p))
        .map((f) => f.category),
    ),
  );
  const found = CONTACT_KINDS.find(
    ([category]) => ruleCategories.some((c) => isWithin(category, c)) && collectedFor.has(category),
  );
  if (!found) {
    throw new VowError('VOW_VALIDATION', `No rule of channel ${channel} lets ${p} use a contact address`, {
      channel,
      purpose: p,
    });
  }
  return { channel, purpose: p, category: found[0], identifierKind: found[1] };
}

export interface AudienceMember {
  readonly subjectId: string;
  /** The decrypted contact value (email, E.164 phone, or the stored address). */
  readonly value: string;
  /** For postal audiences: the name to address the mail to, when the policy lets the purpose use it. */
  readonly name?: string;
}

/** Where a postal mailing finds a person's name: the forms that collect one, and the role given there. */
const NAME_SOURCES = [
  {
    kind: 'catalog_requester',
    rows: (ctx: VowContext, ids: string[]) =>
      ctx.store.db
        .selectFrom('catalog_requests')
        .select(['subject_id', 'sealed', 'collected_at as at'])
        .where('subject_id', 'in', ids)
        .execute(),
  },
  {
    kind: 'account_holder',
    rows: (ctx: VowContext, ids: string[]) =>
      ctx.store.db
        .selectFrom('registrations')
        .select(['subject_id', 'sealed', 'registered_at as at'])
        .where('subject_id', 'in', ids)
        .execute(),
  },
] as const;

function nameOf(plain: string | null): string | undefined {
  if (!plain) return undefined;
  try {
    const v = JSON.parse(plain) as Record<string, unknown>;
    const parts = typeof v.name === 'string' ? [v.name] : [v.first_name, v.last_name];
    const name = parts.filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' ');
    return name || undefined;
  } catch {
    return undefined;
  }
}

/** Every member of an audience, a page at a time. */
export async function* audienceMembers(
  ctx: VowContext,
  target: AudienceTarget,
  options: { pageSize?: number; onlySubjects?: readonly string[] } = {},
): AsyncGenerator<AudienceMember> {
  const db = ctx.store.db;
  const pageSize = options.pageSize ?? 500;
  let after = '';
  for (;;) {
    let q = db
      .selectFrom('consent_state')
      .select('subject_ref')
      .where('channel', '=', target.channel)
      .where('state', 'in', ['enrolled', 'granted'])
      .where('subject_ref', '>', after)
      .where('subject_ref', 'not like', 'visitor:%');
    if (options.onlySubjects) q = q.where('subject_ref', 'in', [...options.onlySubjects, '']);
    const page = await q.orderBy('subject_ref').limit(pageSize).execute();
    if (page.length === 0) return;
    after = page[page.length - 1]!.subject_ref;
    const ids = page.map((r) => r.subject_ref);

    const [stateRows, contacts, restrictionRows, under13, keyRows] = await Promise.all([
      db
        .selectFrom('consent_state')
        .select(['subject_ref', 'channel', 'state'])
        .where('subject_ref', 'in', ids)
        .execute(),
      sealedContacts(db, ids, target.identifierKind),
      db
        .selectFrom('restrictions')
        .select(['subject_id', 'scope', 'purposes'])
        .where('subject_id', 'in', ids)
        .where('lifted_at', 'is', null)
        .execute(),
      under13Among(db, ids),
      db
        .selectFrom('data_keys')
        .select(['subject_id', 'wrapped_key'])
        .where('subject_id', 'in', ids)
        .execute(),
    ]);
    const suppressedRows =
      contacts.length === 0
        ? []
        : await db
            .selectFrom('suppression_list')
            .select('blind_index')
            .where('index_kind', '=', target.identifierKind)
            .where('channel', 'in', [target.channel, '*'])
            .where(
              'blind_index',
              'in',
              contacts.map((c) => c.blindIndex),
            )
            .execute();
    const suppressed = new Set(suppressedRows.map((r) => r.blind_index));
    const channels = new Map<string, Record<string, 'enrolled' | 'granted' | 'withdrawn'>>();
    for (const r of stateRows) {
      const m = channels.get(r.subject_ref) ?? {};
      m[r.channel] = r.state as 'enrolled' | 'granted' | 'withdrawn';
      channels.set(r.subject_ref, m);
    }
    const restrictions = new Map<string, { all: boolean; purposes: string[] }>();
    for (const r of restrictionRows) {
      const cur = restrictions.get(r.subject_id) ?? { all: false, purposes: [] };
      if (r.scope === 'all') cur.all = true;
      else cur.purposes.push(...(JSON.parse(r.purposes) as string[]));
      restrictions.set(r.subject_id, cur);
    }
    const keys = new Map(keyRows.map((r) => [r.subject_id, r.wrapped_key]));

    const seen = new Set<string>();
    const members: (AudienceMember & { subjectState: SubjectStateLike })[] = [];
    for (const c of contacts) {
      const key = `${c.subjectId}\n${c.blindIndex}`;
      if (seen.has(key) || suppressed.has(c.blindIndex)) continue;
      const restriction = restrictions.get(c.subjectId);
      const subjectState: SubjectStateLike = {
        channels: channels.get(c.subjectId) ?? {},
        under13: under13.has(c.subjectId),
        ...(restriction ? { restriction } : {}),
      };
      const d = decide(ctx.policy, {
        subject: { kinds: [c.subjectKind], ...subjectState },
        purpose: target.purpose,
        categories: [target.category],
      });
      // In this channel's audience only through this channel's own rule (an unsubscribed customer
      // who asked for account updates is in that audience, not in email_marketing's).
      if (d.decision !== 'allow' || !d.reasons.some((r) => r.channel === target.channel)) continue;
      const value = ctx.vault.decryptWithWrappedKey(
        c.subjectId,
        keys.get(c.subjectId) ?? null,
        c.sealedValue,
      );
      if (value === null) continue;
      seen.add(key);
      members.push({ subjectId: c.subjectId, value, subjectState });
    }
    const names =
      target.identifierKind === 'address'
        ? await namesFor(ctx, target, members, keys)
        : new Map<string, string>();
    for (const m of members) {
      const name = names.get(m.subjectId);
      yield { subjectId: m.subjectId, value: m.value, ...(name ? { name } : {}) };
    }
    if (page.length < pageSize) return;
  }
}

type SubjectStateLike = Omit<SubjectState, 'kinds'>;

/**
 * The latest name each member gave on a form that collects one, kept only where the policy lets the
 * audience's purpose use that name under the role it was given in (a catalog requester's name for
 * the catalog mailing; an account holder's only with the catalog opt-in).
 */
async function namesFor(
  ctx: VowContext,
  target: AudienceTarget,
  members: readonly (AudienceMember & { subjectState: SubjectStateLike })[],
  keys: ReadonlyMap<string, string | null>,
): Promise<Map<string, string>> {
  const out = new Map<string, { name: string; at: string }>();
  if (members.length === 0) return new Map();
  const byId = new Map(members.map((m) => [m.subjectId, m]));
  for (const source of NAME_SOURCES) {
    for (const r of await source.rows(ctx, [...byId.keys()])) {
      const m = byId.get(r.subject_id);
      if (!m || !r.sealed) continue;
      const allowed = decide(ctx.policy, {
        subject: { kinds: [source.kind], ...m.subjectState },
        purpose: target.purpose,
        categories: ['identity.name'],
      });
      if (allowed.decision !== 'allow') continue;
      const name = nameOf(
        ctx.vault.decryptWithWrappedKey(r.subject_id, keys.get(r.subject_id) ?? null, r.sealed),
      );
      const prev = out.get(r.subject_id);
      if (name && (!prev || prev.at < r.at)) out.set(r.subject_id, { name, at: r.at });
    }
  }
  return new Map([...out].map(([id, v]) => [id, v.name]));
}

function csvCell(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet: neutralise it.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audience as NDJSON lines or CSV rows, a stream; `onEnd` gets the count once all is sent. */
/** The parts of a postal address, as the subjects module stores them (JSON). */
const ADDRESS_PARTS = ['line1', 'line2', 'city', 'region', 'postal_code', 'country'] as const;

function addressOf(value: string): Record<string, string> {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const out: Record<string, string> = {};
      for (const k of ADDRESS_PARTS) {
        const v = (parsed as Record<string, unknown>)[k];
        if (typeof v === 'string') out[k] = v;
      }
      return out;
    }
  } catch {
    // not JSON: a single line
  }
  return { line1: value };
}

/**
 * The audience as NDJSON lines or CSV rows, a stream; `onEnd` gets the count once all is sent.
 * Emails and phones are one field; a postal address is an object (NDJSON) or one column per part (CSV).
 */
export function audienceStream(
  ctx: VowContext,
  target: AudienceTarget,
  format: 'ndjson' | 'csv',
  onEnd?: (count: number) => Promise<void>,
  pageSize?: number,
): Readable {
  const field = target.identifierKind;
  const isAddress = field === 'address';
  async function* lines(): AsyncGenerator<string> {
    let count = 0;
    if (format === 'csv') yield `subject_id,${isAddress ? ['name', ...ADDRESS_PARTS].join(',') : field}\r\n`;
    for await (const m of audienceMembers(ctx, target, pageSize ? { pageSize } : {})) {
      count++;
      if (format === 'csv') {
        const cells = isAddress
          ? [m.name ?? '', ...ADDRESS_PARTS.map((k) => addressOf(m.value)[k] ?? '')]
          : [m.value];
        yield `${[m.subjectId, ...cells].map(csvCell).join(',')}\r\n`;
      } else {
        yield `${JSON.stringify({ subjectId: m.subjectId, ...(isAddress ? { name: m.name ?? null } : {}), [field]: isAddress ? addressOf(m.value) : m.value })}\n`;
      }
    }
    await onEnd?.(count);
  }
  return Readable.from(lines());
}
