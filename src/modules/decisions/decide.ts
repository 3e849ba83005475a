// The decision engine: may this data of this person be used for this purpose (and go to this
// recipient)? Pure and synchronous; deny by default, and every answer carries all its reasons.
import { VowError } from '../../platform/errors.js';
import type { Rule } from '../policy/index.js';
import { isWithin, type Policy } from '../policy/index.js';

/** Where a person stands on one consent channel, as derived from the consent ledger. */
export type ChannelState = 'enrolled' | 'granted' | 'withdrawn' | 'unknown';

export interface SubjectState {
  /** The kinds under which the data was collected (a buyer's own email: `customer`). */
  readonly kinds: readonly string[];
  /**
   * Per category, the kinds under which that category was collected, when known; overrides
   * `kinds` for that category (a person can be a buyer and, separately, a gift recipient).
   */
  readonly kindsByCategory?: Readonly<Record<string, readonly string[]>>;
  /** Consent state per channel id; a channel not listed is `unknown`. */
  readonly channels?: Readonly<Record<string, ChannelState>>;
  /** Restrictions of processing (P23): all purposes, or the listed ones. */
  readonly restriction?: { readonly all: boolean; readonly purposes: readonly string[] };
  /** The person is known to be under 13 (P14). */
  readonly under13?: boolean;
}

export interface DecisionRequest {
  readonly subject: SubjectState;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly recipient?: string;
}

export type ReasonCode =
  | 'necessary'
  | 'not_objected'
  | 'consented'
  | 'never'
  | 'no_rule'
  | 'objected'
  | 'no_consent'
  | 'restricted'
  | 'under_13'
  | 'aggregate_only'
  | 'recipient_purpose'
  | 'recipient_category'
  | 'recipient_identifying';

export interface Reason {
  readonly code: ReasonCode;
  /** Whether this reason argues for allowing or for denying. */
  readonly effect: 'allow' | 'deny';
  readonly message: string;
  readonly rule?: string;
  readonly promise?: string;
  readonly category?: string;
  readonly kind?: string;
  readonly channel?: string;
}

export interface Decision {
  readonly decision: 'allow' | 'deny';
  readonly reasons: Reason[];
  readonly policyVersion: string;
}

/** Purposes a restriction never blocks: answering the person's own requests (GDPR Art. 18(2)). */
const RESTRICTION_EXEMPT_PURPOSES = new Set(['rights.request_handling']);

function ruleReason(
  rule: Rule,
  code: ReasonCode,
  effect: 'allow' | 'deny',
  category: string,
  kind: string,
  message: string,
): Reason {
  return {
    code,
    effect,
    message,
    rule: rule.id,
    promise: rule.promise,
    category,
    kind,
    ...(rule.channel ? { channel: rule.channel } : {}),
  };
}

/** Validates the names in a request against the policy; unknown names are errors, not denials. */
export function assertKnown(policy: Policy, req: DecisionRequest): void {
  if (!policy.hasPurpose(req.purpose)) {
    throw new VowError('VOW_UNKNOWN_PURPOSE', `Unknown purpose "${req.purpose}"`, { purpose: req.purpose });
  }
  if (req.categories.length === 0) {
    throw new VowError('VOW_VALIDATION', 'At least one data category is needed');
  }
  for (const c of req.categories) {
    if (!policy.hasCategory(c))
      throw new VowError('VOW_UNKNOWN_CATEGORY', `Unknown data category "${c}"`, { category: c });
  }
  const kinds = new Set(req.subject.kinds);
  for (const list of Object.values(req.subject.kindsByCategory ?? {})) for (const k of list) kinds.add(k);
  for (const k of kinds) {
    if (!policy.hasSubjectKind(k))
      throw new VowError('VOW_UNKNOWN_SUBJECT_KIND', `Unknown subject kind "${k}"`, { kind: k });
  }
  if (req.recipient !== undefined && !policy.recipient(req.recipient)) {
    throw new VowError('VOW_UNKNOWN_RECIPIENT', `Unknown recipient "${req.recipient}"`, {
      recipient: req.recipient,
    });
  }
}

/** Evaluates one (category, kind) pair: the reasons that decide it. */
function evaluate(
  policy: Policy,
  subject: SubjectState,
  purpose: string,
  category: string,
  kind: string,
): Reason[] {
  const rules = policy.matchingRules(purpose, category, kind);
  if (rules.length === 0) {
    return [
      {
        code: 'no_rule',
        effect: 'deny',
        message: `No rule lets ${kind} ${category} be used for ${purpose} (deny by default)`,
        category,
        kind,
      },
    ];
  }
  const never = rules.filter((r) => r.basis === 'never');
  if (never.length > 0) {
    return never.map((r) =>
      ruleReason(
        r,
        'never',
        'deny',
        category,
        kind,
        `Rule ${r.id} forbids ${purpose} for ${kind} ${category}`,
      ),
    );
  }
  const necessary = rules.find((r) => r.basis === 'necessary');
  if (necessary) {
    return [
      ruleReason(
        necessary,
        'necessary',
        'allow',
        category,
        kind,
        `Rule ${necessary.id}: necessary for ${purpose}`,
      ),
    ];
  }
  const reasons: Reason[] = [];
  for (const r of rules) {
    const state = subject.channels?.[r.channel ?? ''] ?? 'unknown';
    if (r.basis === 'opt_out') {
      reasons.push(
        state === 'withdrawn'
          ? ruleReason(r, 'objected', 'deny', category, kind, `The person opted out of ${r.channel}`)
          : ruleReason(
              r,
              'not_objected',
              'allow',
              category,
              kind,
              `Rule ${r.id}: allowed until the person opts out of ${r.channel}`,
            ),
      );
    } else if (r.basis === 'opt_in') {
      reasons.push(
        state === 'granted'
          ? ruleReason(
              r,
              'consented',
              'allow',
              category,
              kind,
              `Rule ${r.id}: the person consented through ${r.channel}`,
            )
          : ruleReason(
              r,
              'no_consent',
              'deny',
              category,
              kind,
              `Rule ${r.id} needs consent through ${r.channel}, which is ${state}`,
            ),
      );
    }
  }
  const allowing = reasons.filter((x) => x.effect === 'allow');
  return allowing.length > 0 ? allowing : reasons;
}

/**
 * The consent channels whose state can change a decision on these categories for this purpose,
 * whatever the person's kind: decide() reads a person's channel states only through the rules that
 * match (purpose, category, kind). Callers deciding for many people at once (audiences) read only
 * these states.
 */
export function channelsThatDecide(
  policy: Policy,
  purpose: string,
  categories: readonly string[],
): Set<string> {
  const channels = new Set<string>();
  for (const kind of Object.keys(policy.doc.subject_kinds))
    for (const category of categories)
      for (const rule of policy.matchingRules(purpose, category, kind))
        if (rule.channel) channels.add(rule.channel);
  return channels;
}

/**
 * Decides one request. Throws a VowError for names the policy does not know (they are mistakes,
 * not denials); otherwise returns allow only when every category is allowed for the purpose, the
 * person is not restricted or under 13, and the recipient (if any) may receive every category.
 */
export function decide(policy: Policy, req: DecisionRequest): Decision {
  assertKnown(policy, req);
  const { subject, purpose } = req;
  const categories = [...new Set(req.categories)];
  const deny: Reason[] = [];
  const allow: Reason[] = [];

  if (subject.under13) {
    deny.push({
      code: 'under_13',
      effect: 'deny',
      promise: 'P14',
      message: 'The person is known to be under 13',
    });
  }
  const restriction = subject.restriction;
  if (
    restriction &&
    !RESTRICTION_EXEMPT_PURPOSES.has(purpose) &&
    (restriction.all || restriction.purposes.some((p) => isWithin(purpose, p)))
  ) {
    deny.push({
      code: 'restricted',
      effect: 'deny',
      promise: 'P23',
      message: restriction.all
        ? 'The person asked us to stop all processing'
        : `The person asked us to stop ${purpose}`,
    });
  }
  if (policy.doc.purposes[purpose]?.aggregate_only) {
    for (const c of categories) {
      if (policy.isPersonal(c)) {
        deny.push({
          code: 'aggregate_only',
          effect: 'deny',
          promise: 'P6',
          category: c,
          message: `${purpose} may use only non-identifying aggregates, and ${c} is personal data`,
        });
      }
    }
  }

  for (const category of categories) {
    const kinds = subject.kindsByCategory?.[category] ?? subject.kinds;
    if (kinds.length === 0) {
      deny.push({
        code: 'no_rule',
        effect: 'deny',
        category,
        message: `No subject kind is known for ${category}`,
      });
      continue;
    }
    const perKind = kinds.map((k) => evaluate(policy, subject, purpose, category, k));
    const allowingKind = perKind.find((rs) => rs.some((r) => r.effect === 'allow'));
    if (allowingKind) allow.push(...allowingKind);
    else for (const rs of perKind) deny.push(...rs);
  }

  if (req.recipient !== undefined) {
    const rc = policy.recipient(req.recipient)!;
    if (!rc.purposes.includes(purpose)) {
      deny.push({
        code: 'recipient_purpose',
        effect: 'deny',
        promise: rc.promise,
        message: `${req.recipient} may not receive data for ${purpose}`,
      });
    }
    for (const c of categories) {
      if (!rc.categories.some((allowed) => isWithin(c, allowed))) {
        deny.push({
          code: 'recipient_category',
          effect: 'deny',
          promise: rc.promise,
          category: c,
          message: `${req.recipient} may not receive ${c}`,
        });
      } else if (
        (rc.identifying_data === 'never' && policy.isIdentifying(c)) ||
        (rc.personal_data === 'never' && policy.isPersonal(c))
      ) {
        deny.push({
          code: 'recipient_identifying',
          effect: 'deny',
          promise: rc.promise,
          category: c,
          message: `${req.recipient} may never receive identifying data such as ${c}`,
        });
      }
    }
  }

  return deny.length > 0
    ? { decision: 'deny', reasons: deny, policyVersion: policy.version }
    : { decision: 'allow', reasons: allow, policyVersion: policy.version };
}
