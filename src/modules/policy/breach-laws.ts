// The US state breach-notification laws as policy data (`us_breach_laws` in the policy file): for each
// state, the clock to tell its residents after a breach is discovered (a number of days, or none: "the
// most expedient time possible and without unreasonable delay"), whether and when a regulator (the
// attorney general, most often) must be told and above how many residents, and the consumer reporting
// agencies' threshold where the statute has one. The shipped numbers live in policies/default.yaml,
// each with its statute section; a retailer's policy inherits them and may replace any state's entry.
// A state changed recently lists each version with the date it applies from: an incident is judged by
// the version in force on the day it became known.
import { z } from 'zod';
import { shippedDocument } from './shipped-document.js';
import { US_STATES } from './state-laws.js';

const text = z.string().trim().min(1, 'must not be empty');
const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
const days = z.number().int().min(0).max(366);
const residents = z.number().int().min(0).max(100_000_000);

/** How many residents a duty starts at: "more than N" or "N or more", as the statute words it. */
const thresholdSchema = z.union([
  z.strictObject({ more_than: residents }),
  z.strictObject({ at_least: residents.min(1) }),
]);
export type BreachThreshold = z.infer<typeof thresholdSchema>;

const breachRuleSchema = z.strictObject({
  /** The first day this version applies (by the day the breach became known); absent: any day. */
  from: isoDate.optional(),
  statute: text,
  residents: z.strictObject({
    /** Days from discovery; absent: "the most expedient time possible and without unreasonable delay". */
    days: days.min(1).optional(),
    cite: text,
  }),
  regulator: z
    .strictObject({
      /** Who is told: "Attorney General", "Department of Legal Affairs", … */
      name: text,
      threshold: thresholdSchema,
      /** Days from `counted_from`; absent: no fixed day. 0 with `residents_notice`: no later than it. */
      days: days.optional(),
      business_days: z.boolean().default(false),
      /** The clock starts at the discovery, or at the notice to the residents. */
      counted_from: z.enum(['discovery', 'residents_notice']).default('discovery'),
      cite: text,
    })
    .optional(),
  credit_agencies: z.strictObject({ threshold: thresholdSchema, cite: text }).optional(),
  /** What the numbers leave out, or what could only be confirmed from a secondary summary. */
  note: text.optional(),
});
export type BreachRule = z.infer<typeof breachRuleSchema>;

export const breachLawsSchema = z
  .record(
    z.string().regex(/^us-[a-z]{2}$/, 'must be a jurisdiction id such as "us-wi"'),
    z.array(breachRuleSchema).min(1),
  )
  .superRefine((laws, ctx) => {
    for (const [id, versions] of Object.entries(laws)) {
      if (!Object.hasOwn(US_STATES, id.slice(3)))
        ctx.addIssue({ code: 'custom', path: [id], message: `"${id}" is not a US state` });
      versions.forEach((v, i) => {
        if (i > 0 && v.from === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [id, i, 'from'],
            message: 'a later version needs the date it applies from',
          });
        const before = versions[i - 1]?.from;
        if (i > 0 && before !== undefined && v.from !== undefined && v.from <= before)
          ctx.addIssue({
            code: 'custom',
            path: [id, i, 'from'],
            message: 'versions are listed oldest first, each from a later date',
          });
      });
    }
  });
export type BreachLaws = z.infer<typeof breachLawsSchema>;

let shipped: BreachLaws | undefined;

/** The breach laws of the shipped default policy, read once: what a retailer's policy inherits. */
export function shippedBreachLaws(defaultPolicyPath: string): BreachLaws {
  if (!shipped) {
    const doc = shippedDocument(defaultPolicyPath);
    shipped = breachLawsSchema.parse(doc.us_breach_laws ?? {});
  }
  return shipped;
}
