// The US state breach-notification clocks of an incident: for each state with residents affected, the
// deadline to tell them (from the discovery, `awareAt`), whether the state's regulator must be told
// (above its threshold) and by when, and whether the consumer reporting agencies must be. Pure
// functions of the policy's `us_breach_laws`, the residents per state, the notices recorded and the
// time now, as clocks.ts is for the 72-hour clock: tests move an injected clock.
import type { BreachLaws, BreachRule, BreachThreshold } from '../policy/index.js';
import { US_STATES } from '../policy/index.js';

const DAY_MS = 86_400_000;

export const STATE_NOTICE_KINDS = ['residents', 'regulator', 'credit_agencies'] as const;
export type StateNoticeKind = (typeof STATE_NOTICE_KINDS)[number];

/** A notice recorded as given: when, and to whom in words (no one's contact). */
export interface StateNoticeGiven {
  readonly state: string;
  readonly kind: StateNoticeKind;
  readonly at: string;
  readonly to: string;
}

/**
 * - `due`: owed, its deadline not passed (or no fixed day)
 * - `overdue`: owed and past its deadline
 * - `done`: recorded as given (`late` when after the deadline)
 * - `not_required`: below the statute's threshold
 */
export type DutyState = 'due' | 'overdue' | 'done' | 'not_required';

export interface StateDuty {
  readonly kind: StateNoticeKind;
  /** Who is told: the residents, the regulator's name, the consumer reporting agencies. */
  readonly who: string;
  readonly state: DutyState;
  /** "45 days from discovery", "no fixed day: without unreasonable delay", … */
  readonly rule: string;
  /** "more than 500 residents" (null: every resident, as for the residents' own notice). */
  readonly threshold: string | null;
  /** null: no fixed day ("the most expedient time possible and without unreasonable delay"). */
  readonly deadlineAt: string | null;
  /** Counted from a notice not given yet: estimated from that notice's own deadline. */
  readonly provisional: boolean;
  /** Milliseconds left (negative once past); null when done, not required or without a day. */
  readonly msLeft: number | null;
  readonly given: { readonly at: string; readonly to: string } | null;
  readonly late: boolean;
  readonly cite: string;
}

export interface StateClock {
  /** `us-wi`. */
  readonly state: string;
  readonly name: string;
  readonly residents: number;
  /** A rule of the policy applies to this state on the day the breach became known. */
  readonly modelled: boolean;
  readonly statute: string | null;
  readonly note: string | null;
  /** The residents' notice first, then the regulator's and the agencies' where the rule has them. */
  readonly duties: StateDuty[];
}

/** The version of a state's law in force on the day the breach became known (UTC), if any. */
export function ruleOn(laws: BreachLaws, state: string, awareAt: string): BreachRule | undefined {
  const versions = Object.hasOwn(laws, state) ? laws[state] : undefined;
  const day = awareAt.slice(0, 10);
  let found: BreachRule | undefined;
  for (const v of versions ?? []) if (v.from === undefined || v.from <= day) found = v;
  return found;
}

/** Whether `residents` reaches the threshold: "more than N" or "N or more". */
export function meets(t: BreachThreshold, residents: number): boolean {
  return 'more_than' in t ? residents > t.more_than : residents >= t.at_least;
}

export function thresholdText(t: BreachThreshold): string {
  return 'more_than' in t
    ? `more than ${t.more_than.toLocaleString('en-US')} residents`
    : t.at_least === 1
      ? 'any resident'
      : `${t.at_least.toLocaleString('en-US')} residents or more`;
}

/** `from` plus `n` days (to the same time of day), or `n` weekdays (Saturdays and Sundays skipped, UTC). */
export function addDays(from: string, n: number, businessDays = false): string {
  const t = Date.parse(from);
  if (!businessDays) return new Date(t + n * DAY_MS).toISOString();
  const d = new Date(t);
  for (let left = n; left > 0; ) {
    d.setTime(d.getTime() + DAY_MS);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString();
}

function duty(base: Omit<StateDuty, 'state' | 'msLeft' | 'late'>, required: boolean, now: Date): StateDuty {
  if (!required) return { ...base, state: 'not_required', msLeft: null, late: false };
  if (base.given)
    return {
      ...base,
      state: 'done',
      msLeft: null,
      late: base.deadlineAt !== null && !base.provisional && base.given.at > base.deadlineAt,
    };
  if (base.deadlineAt === null) return { ...base, state: 'due', msLeft: null, late: false };
  const msLeft = Date.parse(base.deadlineAt) - now.getTime();
  return { ...base, state: msLeft < 0 ? 'overdue' : 'due', msLeft, late: false };
}

const NO_DAY = 'no fixed day: the most expedient time possible and without unreasonable delay';

/** The clocks of one state with `residents` affected. */
export function stateClock(
  laws: BreachLaws,
  state: string,
  residents: number,
  awareAt: string,
  given: readonly StateNoticeGiven[],
  now: Date,
): StateClock {
  const name = US_STATES[state.slice(3)] ?? state;
  const mine = (kind: StateNoticeKind) => {
    const g = given.find((n) => n.state === state && n.kind === kind);
    return g ? { at: g.at, to: g.to } : null;
  };
  const rule = ruleOn(laws, state, awareAt);
  if (!rule)
    return {
      state,
      name,
      residents,
      modelled: false,
      statute: null,
      note: null,
      duties: [
        duty(
          {
            kind: 'residents',
            who: `${name} residents`,
            rule: `${NO_DAY} (no rule modelled for ${name}: check its statute)`,
            threshold: null,
            deadlineAt: null,
            provisional: false,
            given: mine('residents'),
            cite: 'not modelled',
          },
          residents > 0,
          now,
        ),
      ],
    };
  const told = mine('residents');
  const residentsDeadline = rule.residents.days !== undefined ? addDays(awareAt, rule.residents.days) : null;
  const duties: StateDuty[] = [
    duty(
      {
        kind: 'residents',
        who: `${name} residents`,
        rule: rule.residents.days !== undefined ? `${rule.residents.days} days from discovery` : NO_DAY,
        threshold: null,
        deadlineAt: residentsDeadline,
        provisional: false,
        given: told,
        cite: rule.residents.cite,
      },
      residents > 0,
      now,
    ),
  ];
  const reg = rule.regulator;
  if (reg) {
    const fromNotice = reg.counted_from === 'residents_notice';
    const start = fromNotice ? (told?.at ?? residentsDeadline) : awareAt;
    const unit = reg.business_days ? 'business days' : 'days';
    duties.push(
      duty(
        {
          kind: 'regulator',
          who: reg.name,
          rule:
            reg.days === undefined
              ? fromNotice
                ? 'no fixed day (with or after the residents’ notice)'
                : NO_DAY
              : fromNotice
                ? reg.days === 0
                  ? 'no later than the residents’ notice'
                  : `${reg.days} ${unit} after the residents’ notice`
                : `${reg.days} ${unit} from discovery`,
          threshold: thresholdText(reg.threshold),
          deadlineAt:
            reg.days === undefined || start === null ? null : addDays(start, reg.days, reg.business_days),
          provisional: fromNotice && told === null && reg.days !== undefined && start !== null,
          given: mine('regulator'),
          cite: reg.cite,
        },
        meets(reg.threshold, residents),
        now,
      ),
    );
  }
  const cra = rule.credit_agencies;
  if (cra)
    duties.push(
      duty(
        {
          kind: 'credit_agencies',
          who: 'Nationwide consumer reporting agencies',
          rule: 'no fixed day: without unreasonable delay',
          threshold: thresholdText(cra.threshold),
          deadlineAt: null,
          provisional: false,
          given: mine('credit_agencies'),
          cite: cra.cite,
        },
        meets(cra.threshold, residents),
        now,
      ),
    );
  return {
    state,
    name,
    residents,
    modelled: true,
    statute: rule.statute,
    note: rule.note ?? null,
    duties,
  };
}

/** The nearest open deadline of a state (overdue ones first), for ordering; Infinity when none. */
function nearest(c: StateClock): number {
  let best = Number.POSITIVE_INFINITY;
  for (const d of c.duties)
    if ((d.state === 'due' || d.state === 'overdue') && d.deadlineAt !== null)
      best = Math.min(best, Date.parse(d.deadlineAt));
  return best;
}

/** Every state with residents affected, the nearest open deadline first (then by name). */
export function stateClocks(
  laws: BreachLaws,
  residents: Readonly<Record<string, number>>,
  awareAt: string,
  given: readonly StateNoticeGiven[],
  now: Date,
): StateClock[] {
  return Object.entries(residents)
    .filter(([state, n]) => n > 0 && state.startsWith('us-'))
    .map(([state, n]) => stateClock(laws, state, n, awareAt, given, now))
    .sort((a, b) => nearest(a) - nearest(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
