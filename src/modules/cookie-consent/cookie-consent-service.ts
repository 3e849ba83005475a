// Cookie consent of site visitors: records a banner choice (or a GPC signal) in the consent ledger
// under `visitor:<blind index of the cookie id>`, and answers where a visitor stands. The cookie
// holds only a random id and the choice (P17); the ledger is what the server trusts.
import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import { VowError } from '../../platform/errors.js';
import { RecentValues } from '../../platform/recent-values.js';
import type { Database } from '../../platform/store/index.js';
import { QueryShapes } from '../../platform/store/index.js';
import {
  type ConsentEventRow,
  type ConsentService,
  consentHistory,
  type PlannedChoice,
} from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import {
  advertisingChannels,
  type ConsentMode,
  consentMode,
  cookieChannels,
  desiredChannels,
  GA_CHANNEL,
  visitorGpp,
} from './banner-model.js';

/** How a choice was made; `gpc_signal` records only a Global Privacy Control signal (no banner click). */
export const CHOICE_SOURCES = ['accept_all', 'reject_all', 'choose', 'gpc_signal'] as const;
export type ChoiceSource = (typeof CHOICE_SOURCES)[number];

/** A visitor id: 16 random bytes in base64url (what the consent cookie holds, with the choice). */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface RecordChoiceInput {
  /** The cookie's random id; absent on a first choice (Vow then makes one). */
  readonly visitor?: string | undefined;
  readonly categories: Readonly<Record<string, boolean>>;
  /** The separate Google Analytics switch (defaults to the analytics category). */
  readonly googleAnalytics?: boolean | undefined;
  /** navigator.globalPrivacyControl or a `Sec-GPC: 1` header was present. */
  readonly gpc: boolean;
  readonly source: ChoiceSource;
  /** The policy's consentVersion the banner showed. */
  readonly consentVersion: string;
}

export interface VisitorConsent {
  readonly visitor: string;
  /** Channel -> granted under the current consentVersion. */
  readonly channels: Readonly<Record<string, boolean>>;
  /** Category -> on (every channel of it granted; the GA switch does not count). */
  readonly categories: Readonly<Record<string, boolean>>;
  readonly googleAnalytics: boolean;
  /** A GPC opt-out is on record for this visitor. */
  readonly gpc: boolean;
  /** Whether the visitor has answered the banner of the current consentVersion. */
  readonly answered: boolean;
  readonly consentVersion: string;
  readonly policyVersion: string;
  readonly consentMode: ConsentMode;
  readonly gpp: string;
}

/** An entry of grantedMany's answer. */
export const grantKey = (ref: string, channel: string): string => `${ref}\n${channel}`;

type Executor = Kysely<Database> | Transaction<Database>;

interface Latest {
  readonly row: ConsentEventRow;
  readonly consentVersion: string | undefined;
}

function latestByChannel(rows: readonly ConsentEventRow[]): Map<string, Latest> {
  const out = new Map<string, Latest>();
  for (const row of rows) {
    let cv: string | undefined;
    try {
      const d = JSON.parse(row.details) as { consentVersion?: unknown };
      cv = typeof d.consentVersion === 'string' ? d.consentVersion : undefined;
    } catch {
      cv = undefined;
    }
    out.set(row.channel, { row, consentVersion: cv });
  }
  return out;
}

/** How many visitors' blind indexes a process remembers (about 150 bytes each). */
export const RECENT_VISITOR_INDEXES = 10_000;

/** The part of the consent module's service that writes a visitor's choices. */
export type ConsentLedger = Pick<ConsentService, 'recordChoice'>;

export class CookieConsentService {
  readonly #ctx: VowContext;
  readonly #ledger: ConsentLedger;
  readonly #recentIndexes = new RecentValues<string>(RECENT_VISITOR_INDEXES);
  /** grantedMany's query, compiled once per number of refs and channels. */
  readonly #shapes = new QueryShapes();

  /** `ledger` is the marketing-consent module's service: the one writer of the consent ledger. */
  constructor(ctx: VowContext, ledger: ConsentLedger) {
    this.#ctx = ctx;
    this.#ledger = ledger;
  }

  /** A fresh random visitor id for the consent cookie. */
  newVisitorId(): string {
    return this.#ctx.random.bytes(16).toString('base64url');
  }

  /**
   * The blind index stored for a visitor (analytics_events.visitor_id). The indexes of the visitors
   * seen last are remembered: a page sends several measurements, and the keyed hash was the largest
   * part of a measurement's own CPU. Visitor ids are random cookie values, not personal details, and
   * the index of one never changes (the index key is fixed for the store's life).
   */
  visitorIndex(visitor: string): string {
    const recent = this.#recentIndexes;
    let index = recent.get(visitor);
    if (index === undefined) {
      index = this.#ctx.vault.blindIndex('cookie', visitor);
      recent.set(visitor, index);
    }
    return index;
  }

  /** The consent ledger's subject_ref of a visitor. */
  subjectRef(visitor: string): string {
    return `visitor:${this.visitorIndex(visitor)}`;
  }

  /** Where a visitor stands now, from the ledger (grants under an older consentVersion lapse). */
  async state(visitor: string, jurisdiction?: string): Promise<VisitorConsent> {
    const rows = await consentHistory(this.#ctx.store.db, this.subjectRef(visitor));
    return this.#view(visitor, latestByChannel(rows), jurisdiction);
  }

  /** Whether one channel is granted for a visitor under the current consentVersion. */
  async granted(visitor: string, channel: string): Promise<boolean> {
    const ref = this.subjectRef(visitor);
    return (await this.grantedMany(this.#ctx.store.db, [ref], [channel])).has(grantKey(ref, channel));
  }

  /**
   * Which of these ledger refs have which of these channels granted under the current
   * consentVersion, as `grantKey(ref, channel)` entries: one indexed read of each pair's latest
   * event (consent_state points at it), in the caller's transaction when given one.
   */
  async grantedMany(
    db: Executor,
    refs: readonly string[],
    channels: readonly string[],
  ): Promise<Set<string>> {
    const out = new Set<string>();
    if (refs.length === 0 || channels.length === 0) return out;
    const { rows } = await this.#shapes.execute(
      db,
      `granted:${refs.length}:${channels.length}`,
      [...refs, ...channels],
      () =>
        db
          .selectFrom('consent_state as s')
          .innerJoin('consent_events as e', 'e.seq', 's.last_seq')
          .selectAll('e')
          .where('s.subject_ref', 'in', [...refs])
          .where('s.channel', 'in', [...channels]),
    );
    for (const row of rows) {
      const latest = latestByChannel([row as ConsentEventRow]).get(row.channel);
      if (this.#isGranted(latest)) out.add(grantKey(row.subject_ref, row.channel));
    }
    return out;
  }

  async recordChoice(input: RecordChoiceInput): Promise<VisitorConsent & { changed: string[] }> {
    const policy = this.#ctx.policy;
    if (input.consentVersion !== policy.consentVersion) {
      throw new VowError(
        'VOW_CONSENT_VERSION_STALE',
        'The banner was shown for an older version of the policy; reload it and choose again',
        { consentVersion: policy.consentVersion },
      );
    }
    for (const id of Object.keys(input.categories)) {
      const cat = Object.hasOwn(policy.doc.cookie_categories, id)
        ? policy.doc.cookie_categories[id]
        : undefined;
      if (!cat || cat.required)
        throw new VowError('VOW_COOKIE_CATEGORY_UNKNOWN', `"${id}" is not a cookie category one can choose`, {
          category: id,
        });
    }
    const signalOnly = input.source === 'gpc_signal';
    if (signalOnly && (!input.gpc || Object.keys(input.categories).length > 0))
      throw new VowError('VOW_VALIDATION', 'A gpc_signal carries gpc: true and no categories');
    const visitor = input.visitor ?? this.newVisitorId();
    const ref = this.subjectRef(visitor);
    const desired = desiredChannels(policy, {
      categories: input.categories,
      googleAnalytics: input.googleAnalytics ?? true,
    });
    const ads = new Set(advertisingChannels(policy));

    // The consent module writes the ledger (under its per-person lock, with one audit entry for the
    // choice); this module decides, from the visitor's history read under that lock, what changes.
    const { changed, history } = await this.#ledger.recordChoice(ref, (history) => {
      const latest = latestByChannel(history);
      const changes: PlannedChoice['changes'][number][] = [];
      for (const channel of cookieChannels(policy)) {
        // A bare GPC signal touches only what GPC opts out of; the banner still asks the rest.
        if (signalOnly && !ads.has(channel)) continue;
        const last = latest.get(channel);
        let want = desired[channel] === true;
        let cause: 'cookie_banner' | 'gpc' = 'cookie_banner';
        if (ads.has(channel)) {
          if (input.gpc) {
            // GPC is an opt-out of sale, sharing and advertising, whatever the buttons said.
            want = false;
            cause = 'gpc';
          } else if (want && input.source === 'accept_all' && last?.row.cause_type === 'gpc') {
            // A later visit without GPC is not an opt-in: only an explicit per-category choice is.
            want = false;
          }
        }
        const isGranted = this.#isGranted(last);
        const recordedFresh = last !== undefined && last.consentVersion === policy.consentVersion;
        const gpcAlreadyRecorded = last?.row.cause_type === 'gpc' && last.row.event === 'withdrawn';
        const needsEvent = !recordedFresh || want !== isGranted || (cause === 'gpc' && !gpcAlreadyRecorded);
        if (!needsEvent) continue;
        changes.push({
          channel,
          event: want ? 'consented' : 'withdrawn',
          cause: { type: cause, ref: input.source },
          details: { consentVersion: policy.consentVersion, collectionPoint: 'cookie_banner' },
        });
      }
      return {
        changes,
        audit: this.#auditEntry(
          visitor,
          input,
          changes.map((c) => c.channel),
        ),
      };
    });
    return { ...this.#view(visitor, latestByChannel(history)), changed };
  }

  #auditEntry(visitor: string, input: RecordChoiceInput, changed: string[]): AuditEntry {
    return {
      actor: { type: 'subject' },
      action: 'consent.cookie_choice',
      target: { type: 'visitor', id: this.visitorIndex(visitor) },
      reason: input.gpc ? 'cookie banner choice with Global Privacy Control' : 'cookie banner choice',
      details: { source: input.source, gpc: input.gpc, channels: changed },
    };
  }

  #isGranted(last: Latest | undefined): boolean {
    return (
      last !== undefined &&
      last.row.event === 'consented' &&
      last.consentVersion === this.#ctx.policy.consentVersion
    );
  }

  /** `jurisdiction`: the state the visitor says they live in, for the GPP state section. */
  #view(visitor: string, latest: Map<string, Latest>, jurisdiction?: string): VisitorConsent {
    const policy = this.#ctx.policy;
    const channels: Record<string, boolean> = {};
    for (const ch of cookieChannels(policy)) channels[ch] = this.#isGranted(latest.get(ch));
    const categories: Record<string, boolean> = {};
    for (const [id, cat] of Object.entries(policy.doc.cookie_categories)) {
      if (cat.required) continue;
      const own = cat.channels.filter((c) => c !== GA_CHANNEL);
      categories[id] =
        own.length > 0 ? own.every((c) => channels[c] === true) : channels[GA_CHANNEL] === true;
    }
    const gpc = advertisingChannels(policy).some((c) => {
      const l = latest.get(c);
      return l?.row.cause_type === 'gpc' && l.row.event === 'withdrawn';
    });
    const answered = cookieChannels(policy).every(
      (c) => latest.get(c)?.consentVersion === policy.consentVersion,
    );
    return {
      visitor,
      channels,
      categories,
      googleAnalytics: channels[GA_CHANNEL] === true,
      gpc,
      answered,
      consentVersion: policy.consentVersion,
      policyVersion: policy.version,
      consentMode: consentMode(policy, channels),
      gpp: visitorGpp(policy, channels, gpc, jurisdiction),
    };
  }
}
