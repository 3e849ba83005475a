// "Do Not Sell or Share My Personal Information" / "Your Privacy Choices": an opt-out of the sale
// and sharing of personal data and of targeted advertising, honoured exactly like a Global Privacy
// Control signal. For a visitor it is recorded as a GPC signal on their consent cookie's ledger
// entry; for a known person it withdraws the advertising channels under their own ledger ref with
// the `gpc` cause, so a later visit without the signal is not an opt-in. The choice needs no
// verification (CCPA regs § 7026(d); the state laws' opt-outs likewise) and no IP geolocation.
import { type ConsentService, consentHistory } from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import { advertisingChannels, visitorGpp } from './banner-model.js';
import type { CookieConsentService, VisitorConsent } from './cookie-consent-service.js';

export interface OptOutInput {
  /** The consent cookie's random id (a visitor); absent, Vow makes one. */
  readonly visitor?: string | undefined;
  /** A known person (a logged-in shopper, or staff acting on a request). */
  readonly subjectId?: string | undefined;
  /** The state the person says they live in, for the GPP state section (`us-co`, …). */
  readonly jurisdiction?: string | undefined;
}

export interface OptOutResult {
  readonly visitor: string | null;
  readonly optedOut: true;
  /** Channels withdrawn for the person (empty when none was known or all were already off). */
  readonly personChannels: string[];
  readonly gpp: string;
  /** Whether the person's state requires honouring a universal opt-out signal on this day. */
  readonly universalOptOutRequired: boolean;
}

export class PrivacyChoicesService {
  readonly #ctx: VowContext;
  readonly #ledger: ConsentService;
  readonly #cookies: CookieConsentService;

  constructor(ctx: VowContext, ledger: ConsentService, cookies: CookieConsentService) {
    this.#ctx = ctx;
    this.#ledger = ledger;
    this.#cookies = cookies;
  }

  /** Whether a state's law requires honouring GPC on a day (YYYY-MM-DD), from the policy data. */
  universalOptOutRequired(jurisdiction: string | undefined, day: string): boolean {
    if (!jurisdiction) return false;
    const u = this.#ctx.policy.stateLaw(jurisdiction)?.universal_opt_out;
    return u?.required === true && u.from !== undefined && day >= u.from;
  }

  /** Records the opt-out for the visitor and, when known, the person. */
  async optOut(input: OptOutInput): Promise<OptOutResult> {
    const policy = this.#ctx.policy;
    let visitor: VisitorConsent | null = null;
    if (input.visitor !== undefined || input.subjectId === undefined) {
      visitor = await this.#cookies.recordChoice({
        visitor: input.visitor,
        categories: {},
        gpc: true,
        source: 'gpc_signal',
        consentVersion: policy.consentVersion,
      });
    }
    const personChannels: string[] = [];
    if (input.subjectId !== undefined) {
      const already = await this.personOptedOut(input.subjectId);
      if (!already)
        for (const channel of advertisingChannels(policy)) {
          await this.#ledger.record(undefined, {
            subjectRef: input.subjectId,
            channel,
            event: 'withdrawn',
            cause: { type: 'gpc', ref: 'do_not_sell_or_share' },
            details: { consentVersion: policy.consentVersion, collectionPoint: 'privacy_choices' },
            reason: 'Do Not Sell or Share opt-out (honoured like Global Privacy Control)',
          });
          personChannels.push(channel);
        }
    }
    const today = this.#ctx.clock.now().toISOString().slice(0, 10);
    return {
      visitor: visitor?.visitor ?? null,
      optedOut: true,
      personChannels,
      gpp: visitorGpp(policy, visitor?.channels ?? {}, true, input.jurisdiction),
      universalOptOutRequired: this.universalOptOutRequired(input.jurisdiction, today),
    };
  }

  /** Whether a person's latest advertising events are GPC-caused withdrawals. */
  async personOptedOut(subjectId: string): Promise<boolean> {
    const rows = await consentHistory(this.#ctx.store.db, subjectId);
    const ads = advertisingChannels(this.#ctx.policy);
    if (ads.length === 0) return false;
    return ads.every((ch) => {
      const last = rows.filter((r) => r.channel === ch).at(-1);
      return last?.event === 'withdrawn' && last.cause_type === 'gpc';
    });
  }

  /** Where a visitor and/or person stands: opted out of sale/sharing/targeted advertising or not. */
  async status(input: {
    visitor?: string | undefined;
    subjectId?: string | undefined;
    jurisdiction?: string | undefined;
  }): Promise<{
    visitorOptedOut: boolean | null;
    personOptedOut: boolean | null;
    gpp: string | null;
  }> {
    const v = input.visitor ? await this.#cookies.state(input.visitor) : null;
    return {
      visitorOptedOut: v ? v.gpc : null,
      personOptedOut: input.subjectId ? await this.personOptedOut(input.subjectId) : null,
      gpp: v ? visitorGpp(this.#ctx.policy, v.channels, v.gpc, input.jurisdiction) : null,
    };
  }
}
