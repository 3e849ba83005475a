// What the policy says a check must hold to, and which promise a break of it breaks: derived from the
// policy in force (channels, rules, recipients, categories), so a retailer's own policy is checked by
// its own rules. Only the attribution of a few kinds of break to a promise needs defaults the policy
// file cannot express; they are the `ATTRIBUTION` below, each with its fallback.
import type { Policy, Rule } from '../policy/index.js';
import { isWithin } from '../policy/index.js';

/**
 * Promises the policy file has no field for. A channel's opt-out permanence is promised in prose
 * (P11 for the email programme, P12 for postal mail in the default policy); other channels fall back
 * to the promise of the channel's own rules. A use no rule allows at all breaks the promise of no
 * unrelated use (P7); an aggregate purpose fed personal data breaks P6; a person no table of people
 * knows cannot be exported or deleted (P22); unknown recipients fall back to P2.
 */
export const ATTRIBUTION = {
  optOut: { email_marketing: 'P11', postal_marketing: 'P12' } as Readonly<Record<string, string>>,
  noRule: 'P7',
  aggregateOnly: 'P6',
  unknownPerson: 'P22',
  unknownRecipient: 'P2',
  retention: 'P22',
  auditTrail: 'P13',
  sealedValues: 'P13',
  children: 'P14',
  deletion: 'P22',
  restriction: 'P23',
  unsubscribeLink: 'P10',
  complaints: 'P25',
  requestsByMail: 'P24',
  correctionVerified: 'P16',
  accountAccess: 'P15',
  cookies: 'P17',
  notice: 'P1',
  contact: 'P26',
} as const;

/** How one use of one category by a person of some kinds is judged. */
export interface Judgement {
  readonly allowed: boolean;
  /** When refused: the promise broken (the `never` rule's, else the promise of no unrelated use). */
  readonly promise: string;
  /** When refused: the rule that refuses it, or none when no rule allows it. */
  readonly rule: string | null;
  /**
   * When allowed only with consent: the consent channels that allow it and the basis of each
   * (`opt_out`: allowed unless withdrawn; `opt_in`: allowed once granted). Empty when a necessary
   * rule allows it.
   */
  readonly channels: readonly { readonly channel: string; readonly basis: 'opt_in' | 'opt_out' }[];
}

export class PolicyMap {
  readonly policy: Policy;
  readonly #kindsOfChannel = new Map<string, Set<string>>();

  constructor(policy: Policy) {
    this.policy = policy;
    for (const r of policy.doc.rules) {
      if (!r.channel || (r.basis !== 'opt_in' && r.basis !== 'opt_out')) continue;
      const set = this.#kindsOfChannel.get(r.channel) ?? new Set<string>();
      for (const k of r.subject_kinds) set.add(k);
      this.#kindsOfChannel.set(r.channel, set);
    }
  }

  get channels(): readonly string[] {
    return Object.keys(this.policy.doc.channels);
  }

  /** The subject kinds a channel's opt-in and opt-out rules speak of (who may be enrolled automatically). */
  kindsOfChannel(channel: string): ReadonlySet<string> {
    return this.#kindsOfChannel.get(channel) ?? new Set();
  }

  #rulesOfChannel(channel: string): Rule[] {
    return this.policy.doc.rules.filter((r) => r.channel === channel && r.basis !== 'never');
  }

  /** The promise a wrongful enrolment in a channel breaks (by the kind enrolled, when known). */
  enrolPromise(channel: string, kind?: string): string {
    const rules = this.#rulesOfChannel(channel);
    const byKind = kind ? rules.find((r) => r.subject_kinds.includes(kind)) : undefined;
    const first = byKind ?? rules[0];
    if (first) return first.promise;
    const recipient = this.policy.recipient(channel);
    return recipient?.promise ?? ATTRIBUTION.noRule;
  }

  /** The promise an enrolment after an opt-out, or a use after it, breaks. */
  optOutPromise(channel: string): string {
    return ATTRIBUTION.optOut[channel] ?? this.enrolPromise(channel);
  }

  recipientPromise(recipient: string): string {
    return this.policy.recipient(recipient)?.promise ?? ATTRIBUTION.unknownRecipient;
  }

  /** The promise of the `never` rule refusing a kind every purpose of a channel, if one does. */
  neverPromise(purposes: readonly string[], kinds: readonly string[]): string | undefined {
    for (const kind of kinds)
      for (const purpose of purposes) {
        const never = this.policy
          .rulesForPurpose(purpose)
          .find((r) => r.basis === 'never' && r.subject_kinds.includes(kind));
        if (never) return never.promise;
      }
    return undefined;
  }

  /** Whether every kind given is refused every purpose of the channel by a `never` rule. */
  refusedByNever(channel: string, kinds: readonly string[]): string | undefined {
    const purposes = this.policy.doc.channels[channel]?.purposes ?? [];
    if (kinds.length === 0 || purposes.length === 0) return undefined;
    let promise: string | undefined;
    for (const kind of kinds) {
      const refused = purposes.every((p) =>
        this.policy.rulesForPurpose(p).some((r) => r.basis === 'never' && r.subject_kinds.includes(kind)),
      );
      if (!refused) return undefined;
      promise ??= this.neverPromise(purposes, [kind]);
    }
    return promise;
  }

  /** How the policy judges using `category` for `purpose` for a person of these kinds (any kind allowing suffices). */
  judge(purpose: string, category: string, kinds: readonly string[]): Judgement {
    let refusal: { promise: string; rule: string | null } | undefined;
    const channels: { channel: string; basis: 'opt_in' | 'opt_out' }[] = [];
    for (const kind of kinds) {
      const rules = this.policy.matchingRules(purpose, category, kind);
      const never = rules.find((r) => r.basis === 'never');
      if (never) {
        refusal ??= { promise: never.promise, rule: never.id };
        continue;
      }
      if (rules.length === 0) {
        refusal ??= { promise: ATTRIBUTION.noRule, rule: null };
        continue;
      }
      if (rules.some((r) => r.basis === 'necessary'))
        return { allowed: true, promise: '', rule: null, channels: [] };
      for (const r of rules)
        if (r.channel && (r.basis === 'opt_in' || r.basis === 'opt_out'))
          channels.push({ channel: r.channel, basis: r.basis });
    }
    if (channels.length > 0) return { allowed: true, promise: '', rule: null, channels };
    return {
      allowed: false,
      promise: refusal?.promise ?? ATTRIBUTION.noRule,
      rule: refusal?.rule ?? null,
      channels: [],
    };
  }

  /** A channel that gates one recipient on its own (its id is the recipient's: `google_analytics`). */
  recipientChannel(recipient: string): string | undefined {
    return Object.hasOwn(this.policy.doc.channels, recipient) ? recipient : undefined;
  }

  isWithinAny(category: string, allowed: readonly string[]): boolean {
    return allowed.some((a) => isWithin(category, a));
  }

  /** The promises a family covering channels may report: every channel's enrolment and opt-out promise. */
  channelPromises(): Set<string> {
    const out = new Set<string>();
    for (const c of this.channels) {
      out.add(this.optOutPromise(c));
      for (const k of this.kindsOfChannel(c)) out.add(this.enrolPromise(c, k));
      out.add(this.enrolPromise(c));
    }
    return out;
  }
}
