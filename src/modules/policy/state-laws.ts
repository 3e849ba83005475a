// The US state privacy laws as policy data (`us_state_laws` in the policy file): for each state the
// rights it grants, the response deadline and its extension, the appeal a refused request must be
// offered, and whether a universal opt-out signal (GPC) must be honoured and from when. The shipped
// numbers live in policies/default.yaml, each with the statute's section; a retailer's own policy
// inherits them and may replace any state's entry with its own.
import { z } from 'zod';
import { shippedDocument } from './shipped-document.js';

const text = z.string().trim().min(1, 'must not be empty');
const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
/**
 * A web page shoppers are sent to (a regulator's, an attorney general's): http or https only, so a
 * policy cannot put a `javascript:` or `data:` link in the notice, a complaint's answer or a mail.
 */
export const webLink = z.url({
  protocol: /^https?$/,
  message: 'must be a web address starting with https:// (or http://)',
});
const days = z.number().int().min(0).max(366);

/** Every US state and DC, by its two-letter postal code: the ids `us-<code>` a person may state. */
export const US_STATES: Readonly<Record<string, string>> = {
  al: 'Alabama',
  ak: 'Alaska',
  az: 'Arizona',
  ar: 'Arkansas',
  ca: 'California',
  co: 'Colorado',
  ct: 'Connecticut',
  de: 'Delaware',
  dc: 'District of Columbia',
  fl: 'Florida',
  ga: 'Georgia',
  hi: 'Hawaii',
  id: 'Idaho',
  il: 'Illinois',
  in: 'Indiana',
  ia: 'Iowa',
  ks: 'Kansas',
  ky: 'Kentucky',
  la: 'Louisiana',
  me: 'Maine',
  md: 'Maryland',
  ma: 'Massachusetts',
  mi: 'Michigan',
  mn: 'Minnesota',
  ms: 'Mississippi',
  mo: 'Missouri',
  mt: 'Montana',
  ne: 'Nebraska',
  nv: 'Nevada',
  nh: 'New Hampshire',
  nj: 'New Jersey',
  nm: 'New Mexico',
  ny: 'New York',
  nc: 'North Carolina',
  nd: 'North Dakota',
  oh: 'Ohio',
  ok: 'Oklahoma',
  or: 'Oregon',
  pa: 'Pennsylvania',
  ri: 'Rhode Island',
  sc: 'South Carolina',
  sd: 'South Dakota',
  tn: 'Tennessee',
  tx: 'Texas',
  ut: 'Utah',
  vt: 'Vermont',
  va: 'Virginia',
  wa: 'Washington',
  wv: 'West Virginia',
  wi: 'Wisconsin',
  wy: 'Wyoming',
};

export const STATE_RIGHTS = [
  'access',
  'correction',
  'deletion',
  'portability',
  'opt_out_sale',
  'opt_out_targeted_advertising',
  'opt_out_profiling',
] as const;
export type StateRight = (typeof STATE_RIGHTS)[number];

export const stateLawSchema = z.strictObject({
  /** Short id of the law, shown as a request's `law` (e.g. `vcdpa`). */
  law_id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a short lower-case id such as "vcdpa"'),
  law: text,
  statute: text,
  in_force_from: isoDate,
  rights: z.array(z.enum(STATE_RIGHTS)).min(1),
  rights_cite: text,
  response: z.strictObject({
    days: days.min(1),
    extension_days: days,
    /** California only: an acknowledgement within this many business days. */
    ack_business_days: days.optional(),
    cite: text,
  }),
  appeal: z.strictObject({
    offered: z.boolean(),
    decide_within_days: days.min(1).optional(),
    extension_days: days.default(0),
    /** The answer to an appeal that is refused names the attorney general's contact. */
    attorney_general_in_answer: z.boolean().default(false),
    cite: text,
  }),
  universal_opt_out: z.strictObject({
    required: z.boolean(),
    from: isoDate.optional(),
    cite: text,
  }),
  attorney_general: z.strictObject({ name: text, url: webLink }),
  /** What could not be confirmed against the statute's text (read before relying on a number). */
  unsure: text.optional(),
});
export type StateLaw = z.infer<typeof stateLawSchema>;

export const stateLawsSchema = z
  .record(z.string().regex(/^us-[a-z]{2}$/, 'must be a jurisdiction id such as "us-va"'), stateLawSchema)
  .superRefine((laws, ctx) => {
    for (const [id, law] of Object.entries(laws)) {
      if (!Object.hasOwn(US_STATES, id.slice(3)))
        ctx.addIssue({ code: 'custom', path: [id], message: `"${id}" is not a US state` });
      if (law.appeal.offered && law.appeal.decide_within_days === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [id, 'appeal', 'decide_within_days'],
          message: 'an offered appeal needs its deadline',
        });
      if (law.universal_opt_out.required && law.universal_opt_out.from === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [id, 'universal_opt_out', 'from'],
          message: 'a required universal opt-out needs the date it applies from',
        });
    }
  });
export type StateLaws = z.infer<typeof stateLawsSchema>;

let shipped: StateLaws | undefined;

/**
 * The state laws of the shipped default policy, read once: what a retailer's policy inherits for
 * every state it does not declare itself.
 */
export function shippedStateLaws(defaultPolicyPath: string): StateLaws {
  if (!shipped) {
    const doc = shippedDocument(defaultPolicyPath);
    shipped = stateLawsSchema.parse(doc.us_state_laws ?? {});
  }
  return shipped;
}
