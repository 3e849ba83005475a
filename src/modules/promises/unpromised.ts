// Checks whose breaks no promise of the policy names. A few kinds of break are filed under fixed
// promise numbers (`ATTRIBUTION`, and the request types' numbers), which a retailer's own policy may
// leave out (policies/minimal.yaml has no P6). Such a break is never dropped: the monitor reports it
// under the check's own id (`check:<family>`), as a check Vow runs that the policy names no promise
// for; `vow policy check` and the console's policy check warn about it before the policy is used.
import type { Policy } from '../policy/index.js';
import { FAMILY_COVERS, type FamilyCover } from './covers.js';
import { PolicyMap } from './policy-map.js';
import type { CheckDeps } from './types.js';

/** The prefix of the id a check with no promise of the policy is reported under. */
export const UNPROMISED_PREFIX = 'check:';

/** The title of every such row (the check's own title follows). */
export const UNPROMISED_TITLE = 'A check Vow runs that your policy names no promise for';

/** A family of checks that may file breaks under promise numbers the policy does not declare. */
export interface UnpromisedCheck {
  /** The id its breaks are reported under: `check:reports`. */
  readonly id: string;
  /** The family's id: `reports`. */
  readonly family: string;
  /** The row's title: what it checks, and that no promise of the policy names it. */
  readonly title: string;
  /** The promise numbers it files breaks under that the policy does not declare, in order. */
  readonly promises: readonly string[];
  /** What it checks under those numbers. */
  readonly what: string;
}

/** The id a family's breaks are reported under when the policy declares no promise they name. */
export function unpromisedId(family: string): string {
  return `${UNPROMISED_PREFIX}${family}`;
}

export function unpromisedTitle(family: Pick<FamilyCover, 'title'> | undefined): string {
  return family ? `${UNPROMISED_TITLE}: ${family.title}` : UNPROMISED_TITLE;
}

/** Promise ids in number order (P2 before P10). */
export const byNumber = (a: string, b: string): number =>
  Number(a.slice(1)) - Number(b.slice(1)) || (a < b ? -1 : 1);

/**
 * The families that may file a break under a promise number the policy leaves out, from what each
 * says it covers under this policy. Empty when the policy declares every number Vow files under.
 */
export function unpromisedChecks(
  policy: Policy,
  families: readonly FamilyCover[] = FAMILY_COVERS,
  deps: CheckDeps = {},
): UnpromisedCheck[] {
  const map = new PolicyMap(policy);
  const declared = policy.doc.promises;
  const out: UnpromisedCheck[] = [];
  for (const f of families) {
    const missing = Object.entries(f.covers(map, deps))
      .filter(([p]) => !Object.hasOwn(declared, p))
      .sort(([a], [b]) => byNumber(a, b));
    if (missing.length === 0) continue;
    out.push({
      id: unpromisedId(f.id),
      family: f.id,
      title: unpromisedTitle(f),
      promises: missing.map(([p]) => p),
      what: missing.map(([, what]) => what).join('; '),
    });
  }
  return out;
}

/**
 * The warnings of a policy check (`vow policy check`, the console's policy page): one per family
 * that files breaks under numbers the policy leaves out, naming the check, what it checks and the
 * numbers, and where its breaks go instead. A warning, never a problem: the policy is valid.
 */
export function unpromisedWarnings(policy: Policy): string[] {
  return unpromisedChecks(policy).map((c) => {
    const numbers = c.promises.join(', ');
    return (
      `the promise monitor's ${c.family} check (${c.what}) files its breaks under ${numbers}, ` +
      `which this policy does not declare: it reports them under ${c.id} ("${UNPROMISED_TITLE}"). ` +
      `Declare ${numbers} to report them under a promise of yours.`
    );
  });
}
