// Mail feedback: a hard bounce (RFC 3464: Action failed, Status 5.x.x) suppresses the address; a spam
// complaint (ARF, RFC 5965) withdraws email marketing; soft bounces (4.x.x, or delayed) suppress once
// VOW_SOFT_BOUNCE_LIMIT of them arrived for one address. Each change is a consent-ledger event whose
// cause names the report (its status or feedback type), so the evidence stays with the consent.
// Anyone can mail a bounce address, so a report is acted on only for an address whose returned
// message carries a one-click token Vow issued to a person holding that address (every campaign
// email rendered through Vow has one): a forged report names nobody it can prove.
import { isVowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import type { ConsentCause, ConsentService } from './consent-service.js';
import { subjectsByBlindIndex } from './identifiers.js';
import { channelsOfMedium } from './list-coverage.js';
import { parseMailReport } from './mail-report.js';
import { resolveUnsubscribeToken } from './unsubscribe-tokens.js';

/** Tokens of one report looked up at most (a genuine report returns one message, with one). */
const MAX_TOKENS = 4;

export interface FeedbackOutcome {
  readonly kind: 'hard_bounce' | 'soft_bounce' | 'complaint' | 'ignored';
  /** Addresses acted on (suppressed or withdrawn), as counts only. */
  readonly suppressed: number;
  readonly withdrawn: number;
}

export class MailFeedback {
  readonly #ctx: VowContext;
  readonly #consent: ConsentService;

  constructor(ctx: VowContext, consent: ConsentService) {
    this.#ctx = ctx;
    this.#consent = consent;
  }

  /** Handles one raw report (from the SMTP listener or POST /v1/mail/feedback). */
  async handle(raw: string): Promise<FeedbackOutcome[]> {
    const report = parseMailReport(raw);
    if (report.kind === 'other') return [{ kind: 'ignored', suppressed: 0, withdrawn: 0 }];
    const addresses =
      report.kind === 'complaint' ? report.recipients : report.recipients.map((r) => r.address);
    const proven = await this.#proven(addresses, report.tokens);
    const ignored: FeedbackOutcome = { kind: 'ignored', suppressed: 0, withdrawn: 0 };
    if (report.kind === 'complaint') {
      const out: FeedbackOutcome[] = [];
      for (const address of report.recipients) {
        if (!proven.has(address)) {
          out.push(ignored);
          continue;
        }
        await this.#note(address, 'complaint', report.feedbackType);
        const withdrawn = await this.#change(address, 'withdrawn', {
          type: 'mail_feedback',
          ref: `complaint:${report.feedbackType}`,
        });
        out.push({ kind: 'complaint', suppressed: 0, withdrawn });
      }
      return out;
    }
    const out: FeedbackOutcome[] = [];
    for (const r of report.recipients) {
      if (!proven.has(r.address)) {
        out.push(ignored);
        continue;
      }
      const kind = r.hard ? 'hard_bounce' : 'soft_bounce';
      const count = await this.#note(r.address, kind, r.status || 'unknown');
      const suppress = r.hard || count >= this.#ctx.config.softBounceLimit;
      if (!suppress) {
        out.push({ kind, suppressed: 0, withdrawn: 0 });
        continue;
      }
      const ref = r.hard ? `hard_bounce:${r.status}` : `soft_bounces:${count}`;
      const index = this.#ctx.vault.blindIndex('email', r.address);
      await this.#consent.suppressIdentifier(undefined, {
        indexKind: 'email',
        blindIndex: index,
        reason: ref,
      });
      await this.#change(r.address, 'suppressed', { type: 'mail_feedback', ref });
      out.push({ kind, suppressed: 1, withdrawn: 0 });
    }
    return out;
  }

  /**
   * The addresses of a report that its returned message proves: one of its unsubscribe tokens was
   * issued by Vow to a person who holds the address.
   */
  async #proven(addresses: readonly string[], tokens: readonly string[]): Promise<Set<string>> {
    const owners = new Set<string>();
    for (const token of [...new Set(tokens)].slice(0, MAX_TOKENS)) {
      try {
        owners.add((await resolveUnsubscribeToken(this.#ctx, this.#ctx.store.db, token)).subjectId);
      } catch (err) {
        if (!isVowError(err) || err.code !== 'VOW_UNSUBSCRIBE_TOKEN_INVALID') throw err;
      }
    }
    const out = new Set<string>();
    if (owners.size === 0) return out;
    for (const address of new Set(addresses)) {
      const index = this.#ctx.vault.blindIndex('email', address);
      const people = await subjectsByBlindIndex(this.#ctx.store.db, 'email', index);
      if (people.some((p) => owners.has(p))) out.add(address);
    }
    return out;
  }

  /** Records the report (keyed hash only); returns how many of this kind the address has had. */
  async #note(
    address: string,
    kind: 'hard_bounce' | 'soft_bounce' | 'complaint',
    detail: string,
  ): Promise<number> {
    const index = this.#ctx.vault.blindIndex('email', address);
    const db = this.#ctx.store.db;
    await db
      .insertInto('mail_feedback')
      .values({
        id: this.#ctx.random.uuid(),
        email_index: index,
        kind,
        detail,
        received_at: this.#ctx.clock.now().toISOString(),
      })
      .execute();
    const n = await db
      .selectFrom('mail_feedback')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email_index', '=', index)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
    return Number(n.n);
  }

  /**
   * A ledger event on every channel an email reaches (list-coverage.ts: what the address's '*' entry
   * covers, so the list and the ledger name the same channels) of everyone with this address that is
   * not off already.
   */
  async #change(address: string, event: 'withdrawn' | 'suppressed', cause: ConsentCause): Promise<number> {
    const index = this.#ctx.vault.blindIndex('email', address);
    const people = await subjectsByBlindIndex(this.#ctx.store.db, 'email', index);
    let changed = 0;
    for (const subjectId of people) {
      const states = await this.#consent.storedStates(subjectId);
      for (const channel of channelsOfMedium(this.#ctx.policy, 'email')) {
        const now = states[channel];
        if (!now || now.state === 'unknown') continue;
        if (event === 'withdrawn' ? now.state === 'withdrawn' : now.lastEvent === 'suppressed') continue;
        await this.#consent.record(undefined, { subjectRef: subjectId, channel, event, cause });
        changed++;
      }
    }
    return changed;
  }
}
