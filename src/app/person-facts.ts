// What an access export says about a person beyond their values (P20): which purposes apply to each of
// their categories now (the policy's rules under their kinds, consent and restrictions, asked of
// decide()), and who received their data (the disclosure log). Joins the decisions and disclosures
// modules for the rights module.
import { type DecisionService, decide } from '../modules/decisions/index.js';
import type { DisclosureService } from '../modules/disclosures/index.js';
import type { VowContext } from '../modules/policy/index.js';
import type { PersonFacts } from '../modules/rights/index.js';
import { isVowError } from '../platform/errors.js';

/** A rejection handler that answers `value` for a person no module knows, and rethrows anything else. */
function unknownAs<T>(value: T): (err: unknown) => T {
  return (err) => {
    if (isVowError(err) && err.code === 'VOW_UNKNOWN_SUBJECT') return value;
    throw err;
  };
}

export function personFacts(
  ctx: VowContext,
  decisions: Pick<DecisionService, 'resolve'>,
  disclosures: Pick<DisclosureService, 'forSubject'>,
): PersonFacts {
  return {
    async purposesApplying(subjectId) {
      const subject = await decisions.resolve({ id: subjectId }).catch(unknownAs(undefined));
      // Someone the directory found but no module knows (a retailer's own dataset only): every
      // purpose the policy allows for the category is listed, as for any category held.
      if (!subject) return () => true;
      const answers = new Map<string, boolean>();
      return (category, purpose) => {
        const key = `${category}\u0000${purpose}`;
        let allowed = answers.get(key);
        if (allowed === undefined) {
          allowed = decide(ctx.policy, { subject, purpose, categories: [category] }).decision === 'allow';
          answers.set(key, allowed);
        }
        return allowed;
      };
    },
    async disclosures(subjectId) {
      const log = await disclosures.forSubject(subjectId).catch(unknownAs([]));
      return log.map((d) => ({
        recipient: d.recipient,
        purpose: d.purpose,
        categories: d.categories,
        disclosedAt: d.disclosedAt,
      }));
    },
  };
}
