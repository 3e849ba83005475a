// Mail feedback: a hard bounce (RFC 3464: Action failed, Status 5.x.x) suppresses the address; a spam
// complaint (ARF, RFC 5965) withdraws email marketing; soft bounces (4.x.x, or delayed) suppress once
// VOW_SOFT_BOUNCE_LIMIT of them arrived for one address. Each change is a consent-ledger event whose
// cause names the report (its status or feedback type), so the evidence stays with the consent.
import type { VowContext } from '../policy/index.js';
import type { ConsentCause, ConsentService } from './consent-service.js';
import { subjectsByBlindIndex } from './identifiers.js';
import { parseMailReport } from './mail-report.js';
import { emailMarketingChannels } from './sms.js';

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
    if (report.kind === 'complaint') {
      const out: FeedbackOutcome[] = [];
      for (const address of report.recipients) {
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

  /** A ledger event on every email-marketing channel of everyone with this address that is not off already. */
  async #change(address: string, event: 'withdrawn' | 'suppressed', cause: ConsentCause): Promise<number> {
    const index = this.#ctx.vault.blindIndex('email', address);
    const people = await subjectsByBlindIndex(this.#ctx.store.db, 'email', index);
    let changed = 0;
    for (const subjectId of people) {
      const states = await this.#consent.storedStates(subjectId);
      for (const channel of emailMarketingChannels(this.#ctx.policy)) {
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
