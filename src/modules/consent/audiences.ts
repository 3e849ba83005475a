// Audiences: the people a marketing send on one channel may go to now, with the contact value to
// send to. Read page by page (keyset on consent_state's index) and streamed, so a million-person
// audience never sits in memory. Who is in is decided by the policy through decide(), per contact
// value and the kind it was collected under (a gift recipient's email is never in the email
// audience, P3), with the person's consent states, open restrictions (P23) and under-13 marker
// (P14); identifiers on the suppression list are left out too.
import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { OpenItem } from '../../platform/crypto/index.js';
import { csvRow } from '../../platform/csv.js';
import { VowError } from '../../platform/errors.js';
import { type ChannelState, channelsThatDecide, decide, type SubjectState } from '../decisions/index.js';
import type { Policy, VowContext } from '../policy/index.js';
import { isWithin } from '../policy/index.js';
import { assertChannel } from './collection-rules.js';
import { type AudiencePageRange, audienceContacts, inAudiencePage, under13InPage } from './identifiers.js';
import { covers } from './list-coverage.js';

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

/** Who a member is for decide(): the parts of SubjectState an audience reads. */
type SubjectStateLike = Omit<SubjectState, 'kinds'>;

/**
 * decide() for many people who mostly look alike: the answer depends only on the kind, the state
 * (channels that can matter, under 13, restrictions), the purpose and the category, so it is
 * computed once per distinct combination and remembered for the rest of the export.
 */
class Decisions {
  readonly #policy: Policy;
  readonly #purpose: string;
  readonly #memo = new Map<string, boolean>();

  constructor(policy: Policy, purpose: string) {
    this.#policy = policy;
    this.#purpose = purpose;
  }

  /** Allowed, and (when `throughChannel` is given) allowed by a rule of that channel. */
  allows(
    kind: string,
    category: string,
    state: SubjectStateLike,
    stateKey: string,
    throughChannel?: string,
  ): boolean {
    const key = `${kind}\u0000${category}\u0000${throughChannel ?? ''}\u0000${stateKey}`;
    let allowed = this.#memo.get(key);
    if (allowed === undefined) {
      const d = decide(this.#policy, {
        subject: { kinds: [kind], ...state },
        purpose: this.#purpose,
        categories: [category],
      });
      allowed =
        d.decision === 'allow' &&
        (throughChannel === undefined || d.reasons.some((r) => r.channel === throughChannel));
      // Distinct states are few (kinds x channel states); restrictions name arbitrary purposes,
      // so the memo is bounded all the same.
      if (this.#memo.size >= 10_000) this.#memo.clear();
      this.#memo.set(key, allowed);
    }
    return allowed;
  }
}

/** A member of a page, with what namesFor() needs to decide for them again. */
interface PageMember extends AudienceMember {
  readonly state: SubjectStateLike;
  readonly stateKey: string;
  readonly wrappedKey: string | null;
}

/** A page read and decided: who is in, and their contact values being opened. */
interface DecidedPage {
  readonly members: readonly Omit<PageMember, 'value'>[];
  /** The members' values, in order (null where a key was destroyed meanwhile). */
  readonly values: Promise<(string | null)[]>;
}

/**
 * Reads an audience a page at a time, each page only when asked for (and one page ahead). A page
 * is read and decided inside one call (#read), so its rows and intermediate values are garbage as
 * soon as it returns: kept alive across the next page's reading (as locals of a generator were), a
 * page's data outlived young-generation collections, was promoted and piled up in the old
 * generation until a full collection (+70 MB RSS over a million-person export). What outlives the
 * call is only the page's members and their values being opened (see bulk-opener.ts's Pending for
 * where even that once piled up).
 */
class AudienceReader {
  readonly #ctx: VowContext;
  readonly #target: AudienceTarget;
  readonly #pageSize: number;
  readonly #only: readonly string[] | undefined;
  /** decide() reads no other channel's state than those of the rules that match: usually the
   * audience's own channel only, whose state the page query already gives. */
  readonly #otherChannels: string[];
  readonly #decisions: Decisions;
  /** Whether an entry for every channel ('*') of the target's kind covers its channel (list-coverage.ts). */
  readonly #everyChannel: boolean;
  #after = '';
  #done = false;
  #pages = 0;
  /** The state objects of the people read so far, by state key (few distinct ones). */
  readonly #states = new Map<string, SubjectStateLike>();
  /** The next page, read while the current one's values were being opened. */
  #ahead: Promise<DecidedPage | undefined> | undefined;

  constructor(
    ctx: VowContext,
    target: AudienceTarget,
    options: { pageSize?: number; onlySubjects?: readonly string[] },
  ) {
    this.#ctx = ctx;
    this.#target = target;
    this.#pageSize = options.pageSize ?? 500;
    this.#only = options.onlySubjects;
    this.#otherChannels = [
      ...channelsThatDecide(ctx.policy, target.purpose, [
        target.category,
        ...(target.identifierKind === 'address' ? ['identity.name'] : []),
      ]),
    ]
      .filter((c) => c !== target.channel)
      .sort();
    this.#decisions = new Decisions(ctx.policy, target.purpose);
    this.#everyChannel = covers(
      ctx.policy,
      { indexKind: target.identifierKind, channel: '*' },
      target.channel,
    );
  }

  /**
   * The next page's members (possibly none), or undefined once the audience is exhausted. While a
   * page's values are opened (in the vault's worker thread for a full page), the page after it is
   * read and decided: the export's two halves, reading and decrypting, run on two cores.
   */
  async next(): Promise<AudienceMember[] | undefined> {
    const current = this.#ahead ?? this.#read();
    this.#ahead = undefined;
    const page = await current;
    if (!page) return undefined;
    if (!this.#done) {
      this.#ahead = this.#read();
      // Awaited by the next call; if the reader is dropped first, its failure has nowhere to go.
      this.#ahead.then((p) => p?.values.catch(() => undefined)).catch(() => undefined);
    }
    const values = await page.values;
    if (this.#target.identifierKind !== 'address') {
      const out: AudienceMember[] = [];
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value !== null && value !== undefined) out.push({ subjectId: page.members[i]!.subjectId, value });
      }
      return out;
    }
    const members: PageMember[] = [];
    page.members.forEach((m, i) => {
      const value = values[i];
      if (value !== null && value !== undefined) members.push({ ...m, value });
    });
    const names = await namesFor(this.#ctx, members, this.#decisions, this.#ctx.vault.batchOpener());
    return members.map((m) => {
      const name = names.get(m.subjectId);
      return { subjectId: m.subjectId, value: m.value, ...(name ? { name } : {}) };
    });
  }

  /** Reads the next page and decides who of it is in; their values are being opened on return. */
  async #read(): Promise<DecidedPage | undefined> {
    if (this.#done) return undefined;
    // Let the event loop turn between pages. The database calls are synchronous on SQLite and a
    // socket that keeps up takes each write at once, so without this an export ran as one chain of
    // promise callbacks: no timer, no other request (not even /healthz) and no deferred freeing of
    // memory for the whole export (38 s at a million people).
    if (this.#pages++ > 0) await yieldToEventLoop();
    const ctx = this.#ctx;
    const target = this.#target;
    const db = ctx.store.db;
    const pageSize = this.#pageSize;
    const only = this.#only;
    const after = this.#after;
    const otherChannels = this.#otherChannels;
    const decisions = this.#decisions;
    const states = ['enrolled', 'granted'] as const;
    const page = await db
      .selectFrom('consent_state')
      .select(['subject_ref', 'state'])
      .where('channel', '=', target.channel)
      .where('state', 'in', states)
      .where('subject_ref', '>', after)
      .where('subject_ref', 'not like', 'visitor:%')
      .$if(only !== undefined, (q) => q.where('subject_ref', 'in', [...(only ?? []), '']))
      .orderBy('subject_ref')
      .limit(pageSize)
      .execute();
    if (page.length === 0) {
      this.#done = true;
      return undefined;
    }
    const ids = page.map((r) => r.subject_ref);
    const last = ids[ids.length - 1]!;
    const inPage = new Map(page.map((r) => [r.subject_ref, r.state as ChannelState]));
    // The page's people: every member after the previous page up to this one's last, read as a key
    // range (index range scans, no list of 500 parameters), or the listed people when only some
    // were asked for (a range would then span people who were not).
    const range: AudiencePageRange = only ? { ids } : { after, last };

    const [contacts, under13, stateRows, restrictionRows] = await Promise.all([
      audienceContacts(db, target.channel, target.identifierKind, states, range, this.#everyChannel),
      under13InPage(db, range),
      otherChannels.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('consent_state')
            .select(['subject_ref', 'channel', 'state'])
            .where('channel', 'in', otherChannels)
            .where(inAudiencePage(range, 'subject_ref'))
            .execute(),
      db
        .selectFrom('restrictions')
        .select(['subject_id', 'scope', 'purposes'])
        .where('lifted_at', 'is', null)
        .where(inAudiencePage(range, 'subject_id'))
        .execute(),
    ]);
    this.#after = last;
    if (page.length < pageSize) this.#done = true;

    const channels = new Map<string, Record<string, ChannelState>>();
    for (const r of stateRows) {
      if (!inPage.has(r.subject_ref)) continue;
      const m = channels.get(r.subject_ref) ?? {};
      m[r.channel] = r.state as ChannelState;
      channels.set(r.subject_ref, m);
    }
    const restrictions = new Map<string, { all: boolean; purposes: string[] }>();
    for (const r of restrictionRows) {
      if (!inPage.has(r.subject_id)) continue;
      const cur = restrictions.get(r.subject_id) ?? { all: false, purposes: [] };
      if (r.scope === 'all') cur.all = true;
      else cur.purposes.push(...(JSON.parse(r.purposes) as string[]));
      restrictions.set(r.subject_id, cur);
    }

    const members: Omit<PageMember, 'value'>[] = [];
    const sealed: OpenItem[] = [];
    let person = '';
    let state: SubjectStateLike = {};
    let stateKey = '';
    /** The current person's identifiers already taken (the same address collected twice is sent once). */
    let taken: string[] = [];
    for (const c of contacts) {
      const ownState = inPage.get(c.subject_id);
      if (ownState === undefined) continue;
      if (c.subject_id !== person) {
        person = c.subject_id;
        taken = [];
        const restriction = restrictions.get(person);
        const own = channels.get(person);
        const isUnder13 = under13.has(person);
        stateKey = `${isUnder13 ? 1 : 0}\u0000${
          restriction ? (restriction.all ? '*' : [...new Set(restriction.purposes)].sort().join(' ')) : '-'
        }\u0000${ownState}`;
        for (const ch of otherChannels) stateKey += `\u0000${own?.[ch] ?? 'unknown'}`;
        // People in the same state share one state object (decide() reads nothing else of them).
        const known = this.#states.get(stateKey);
        if (known) state = known;
        else {
          state = {
            channels: { ...own, [target.channel]: ownState },
            under13: isUnder13,
            ...(restriction ? { restriction } : {}),
          };
          if (this.#states.size >= 10_000) this.#states.clear();
          this.#states.set(stateKey, state);
        }
      }
      if (c.suppressed || c.wrapped_key === null || taken.includes(c.blind_index)) continue;
      // In this channel's audience only through this channel's own rule (an unsubscribed customer
      // who asked for account updates is in that audience, not in email_marketing's).
      if (!decisions.allows(c.subject_kind, target.category, state, stateKey, target.channel)) continue;
      taken.push(c.blind_index);
      members.push({ subjectId: c.subject_id, state, stateKey, wrappedKey: c.wrapped_key });
      sealed.push([c.subject_id, c.wrapped_key, c.sealed_value]);
    }
    return { members, values: ctx.vault.openMany(sealed) };
  }
}

/** Every member of an audience, a page at a time. */
export async function* audienceMembers(
  ctx: VowContext,
  target: AudienceTarget,
  options: { pageSize?: number; onlySubjects?: readonly string[] } = {},
): AsyncGenerator<AudienceMember> {
  const reader = new AudienceReader(ctx, target, options);
  for (let page = await reader.next(); page; page = await reader.next()) yield* page;
}

/**
 * The latest name each member gave on a form that collects one, kept only where the policy lets the
 * audience's purpose use that name under the role it was given in (a catalog requester's name for
 * the catalog mailing; an account holder's only with the catalog opt-in).
 */
async function namesFor(
  ctx: VowContext,
  members: readonly PageMember[],
  decisions: Decisions,
  open: (subjectId: string, wrappedKey: string | null, sealed: string) => string | null,
): Promise<Map<string, string>> {
  const out = new Map<string, { name: string; at: string }>();
  if (members.length === 0) return new Map();
  const byId = new Map(members.map((m) => [m.subjectId, m]));
  for (const source of NAME_SOURCES) {
    for (const r of await source.rows(ctx, [...byId.keys()])) {
      const m = byId.get(r.subject_id);
      if (!m || !r.sealed) continue;
      if (!decisions.allows(source.kind, 'identity.name', m.state, m.stateKey)) continue;
      const name = nameOf(open(r.subject_id, m.wrappedKey, r.sealed));
      const prev = out.get(r.subject_id);
      if (name && (!prev || prev.at < r.at)) out.set(r.subject_id, { name, at: r.at });
    }
  }
  return new Map([...out].map(([id, v]) => [id, v.name]));
}

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
 * Each page is one chunk of bytes (tens of kilobytes, above the stream's high-water mark): the next
 * page is read from the database only once the reader has taken this one, so a slow reader makes
 * the export wait instead of piling pages up in memory, and the socket gets one write per page.
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
  const ndjsonField = `,${JSON.stringify(field)}:`;
  const line = (m: AudienceMember): string => {
    if (format === 'csv') {
      const address = isAddress ? addressOf(m.value) : undefined;
      const cells = address ? [m.name ?? '', ...ADDRESS_PARTS.map((k) => address[k] ?? '')] : [m.value];
      return csvRow([m.subjectId, ...cells]);
    }
    if (isAddress)
      return `${JSON.stringify({ subjectId: m.subjectId, name: m.name ?? null, [field]: addressOf(m.value) })}\n`;
    // The same text as JSON.stringify({ subjectId, [field]: value }), without the object.
    return `{"subjectId":${JSON.stringify(m.subjectId)}${ndjsonField}${JSON.stringify(m.value)}}\n`;
  };
  async function* chunks(): AsyncGenerator<string> {
    let count = 0;
    if (format === 'csv') yield csvRow(['subject_id', ...(isAddress ? ['name', ...ADDRESS_PARTS] : [field])]);
    const reader = new AudienceReader(ctx, target, pageSize ? { pageSize } : {});
    // The page's members are dropped inside nextText(); only the page's text waits for the reader.
    const nextText = async (): Promise<string | undefined> => {
      const page = await reader.next();
      if (!page) return undefined;
      count += page.length;
      let text = '';
      for (const m of page) text += line(m);
      return text;
    };
    for (let text = await nextText(); text !== undefined; text = await nextText()) if (text) yield text;
    await onEnd?.(count);
  }
  return Readable.from(chunks(), { objectMode: false });
}
