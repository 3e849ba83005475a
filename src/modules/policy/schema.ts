// The shape of a policy file, as Zod schemas; cross-references are checked in validate-policy.ts.
import { z } from 'zod';
import { breachLawsSchema } from './breach-laws.js';
import { stateLawsSchema, webLink } from './state-laws.js';

/** A dotted lower-case id: `contact.email`, `order.fulfilment`. */
export const dottedId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be a dotted lower-case id such as "contact.email"');

/** A simple lower-case id: `gift_recipient`, `checkout`. */
export const simpleId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be a lower-case id such as "gift_recipient"');

export const promiseId = z.string().regex(/^P[1-9][0-9]*$/, 'must be a promise id such as "P3"');

export const BASES = ['necessary', 'opt_out', 'opt_in', 'never'] as const;
export type Basis = (typeof BASES)[number];

const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });

/** ISO 8601 duration in years, months or days (P7Y, P14M, P30D), or `until_deletion`. */
const keepFor = z.union([
  z.literal('until_deletion'),
  z.string().regex(/^P(\d+Y)?(\d+M)?(\d+D)?$/, 'must be an ISO 8601 duration such as P7Y, P14M or P30D'),
]);

const text = z.string().trim().min(1, 'must not be empty');

export const categorySchema = z.strictObject({
  description: text,
  identifying: z.boolean(),
  personal: z.boolean().default(true),
  /**
   * A person may ask for it to be corrected (P16, P21): offered on the correction forms, and a
   * correction request naming a category that is not is refused (VOW_NOT_CORRECTABLE). Left out:
   * correctable when identifying (a name, an address, an email, a phone); see `Policy.isCorrectable`.
   */
  correctable: z
    .boolean({ error: 'must be true or false (whether a person may ask to correct it)' })
    .optional(),
});

export const purposeSchema = z.strictObject({
  description: text,
  aggregate_only: z.boolean().default(false),
  /**
   * The legal basis of the processing (GDPR Art. 6(1)), in words, e.g. "contract (Art. 6(1)(b))".
   * Optional: the record of processing says "not stated in the policy" without it.
   */
  legal_basis: text.optional(),
});

export const subjectKindSchema = z.strictObject({ description: text });

export const channelSchema = z.strictObject({
  description: text,
  purposes: z.array(dottedId).min(1),
  enrolled_by: z.array(simpleId).default([]),
  granted_by: z.array(simpleId).default([]),
  re_enrolled_by: z.array(simpleId).default([]),
});

export const cookieCategorySchema = z.strictObject({
  title: text,
  description: text,
  required: z.boolean().default(false),
  channels: z.array(dottedId),
});

/** A cookie or tool the banner and the preference centre list under its cookie category. */
export const cookieSchema = z.strictObject({
  name: text,
  category: simpleId,
  purpose: text,
  duration: text,
  provider: text,
});

/**
 * What a field of a declared form holds, which decides how its value is checked and kept: `email`,
 * `phone` and `postal_address` are the person's identifiers (found again and indexed by the subjects
 * module); the others are sealed in the form's record; `opt_in` is a box whose tick grants channels.
 */
export const FIELD_TYPES = [
  'email',
  'phone',
  'postal_address',
  'name',
  'date',
  'enum',
  'text',
  'opt_in',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * The collection points Vow's code writes itself (each with its own endpoint and table), and the
 * cookie banner's; their fields take no `type`: any other point whose fields are typed is a declared
 * form, accepted at POST /v1/collection-points/{id}/submissions.
 */
export const BUILT_IN_POINTS = [
  'checkout',
  'registration',
  'contest_entry',
  'catalog_request',
  'sms_signup',
  'inbound_email',
  'cookie_banner',
] as const;

export const fieldSchema = z.strictObject({
  category: dottedId,
  subject_kind: simpleId,
  purposes: z.array(dottedId).min(1),
  required: z.boolean().default(true),
  values: z.array(z.string().min(1)).min(1).optional(),
  /** A declared form's field: what it holds (see FIELD_TYPES). */
  type: z.enum(FIELD_TYPES).optional(),
  /** `text`: the longest answer accepted, in characters. */
  max_length: z.number().int().min(1).max(100_000).optional(),
  /** `enum`: several of the values may be chosen (a list of distinct values). */
  multiple: z.boolean().optional(),
  /** `opt_in`: the channels a tick grants (each lists the form in its `granted_by`). */
  grants: z.array(dottedId).min(1).optional(),
  /**
   * `date`: which days are plausible (collection/day-bounds.ts): `any` (the default: at most 150
   * years ago, at most 10 years ahead), `past` (not more than a day ahead of Vow's clock, as an
   * order's date), `birth` (not in the future, as the under-13 gate's birth date) or `future` (a
   * day to come: from yesterday).
   */
  dates: z.enum(['any', 'past', 'birth', 'future']).optional(),
});

export const collectionPointSchema = z.strictObject({
  title: text,
  /** Id of the notice section shown (linked) where this data is collected (P1). */
  notice: simpleId,
  subject_kinds: z.array(simpleId).min(1),
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_.]*$/, 'must be a lower-case field name'), fieldSchema),
});

export const ruleSchema = z.strictObject({
  id: simpleId,
  promise: promiseId,
  source: text,
  subject_kinds: z.array(simpleId).min(1),
  purposes: z.array(dottedId).min(1),
  categories: z.array(dottedId).min(1),
  basis: z.enum(BASES),
  channel: dottedId.optional(),
});

export const recipientSchema = z.strictObject({
  name: text,
  role: z.enum(['processor', 'third_party']),
  purposes: z.array(dottedId).min(1),
  categories: z.array(dottedId).min(1),
  identifying_data: z.enum(['allowed', 'never']).default('allowed'),
  personal_data: z.enum(['allowed', 'never']).default('allowed'),
  promise: promiseId,
});

export const retentionSchema = z.strictObject({
  category: dottedId,
  subject_kinds: z.array(simpleId).optional(),
  keep_for: keepFor,
  from: z.enum(['collected', 'order_date', 'last_activity']),
  reason: text,
});

export const exemptionSchema = z.strictObject({
  title: text,
  promise: promiseId,
  source: text,
  categories: z.array(dottedId).min(1),
});

export const promiseSchema = z.strictObject({
  title: text,
  section: simpleId,
  source: text,
  enforcement: text,
});

export const noticeSectionSchema = z.strictObject({
  id: simpleId,
  heading: text,
  paragraphs: z.array(text).min(1),
});

export const regulatorSchema = z.strictObject({ name: text, url: webLink });

/**
 * A transfer of personal data to a third country (GDPR Art. 30(1)(e)): which recipient, to where, and
 * the safeguards it rests on. Optional: the record of processing says "not stated in the policy"
 * when the policy lists no transfers.
 */
export const transferSchema = z.strictObject({
  recipient: simpleId,
  country: text,
  safeguards: text,
});

/**
 * Protections of the aggregate reports (P6). Optional: absent, the defaults apply (see
 * src/modules/reports). epsilon values have at most three decimals (exact arithmetic).
 */
const thousandths = (v: number): boolean => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6;
const epsilonAmount = (max: number) =>
  z.number().min(0.001).max(max).refine(thousandths, 'at most three decimals');

export const reportsSchema = z
  .strictObject({
    /** Privacy loss of one released report (one question for one week). */
    epsilon_per_query: epsilonAmount(10).default(1),
    /** A cell is released only when its noisy count reaches this. */
    threshold: z.number().int().min(1).max(100_000).default(20),
    /** The most cells one visitor or person can count in, per report. */
    contribution_cap: z.number().int().min(1).max(100).default(2),
    /** Total epsilon each recipient may receive in one calendar ISO week (UTC) of receipt. */
    budget_per_week: epsilonAmount(100).default(3),
    /** Total epsilon each recipient may receive in any `lifetime_days` days. */
    budget_lifetime: epsilonAmount(10_000).default(52),
    /** The rolling window of `budget_lifetime`, in days. */
    lifetime_days: z.number().int().min(7).max(3660).default(365),
    /** Each released count is shown with an interval holding its noise with probability at least 1 - α. */
    accuracy_alpha: z.number().gt(0).max(0.5).default(0.05),
  })
  .refine((r) => r.budget_per_week >= r.epsilon_per_query, {
    message: 'budget_per_week must be at least epsilon_per_query, or no report could ever be released',
    path: ['budget_per_week'],
  })
  .refine((r) => r.budget_lifetime >= r.budget_per_week, {
    message: 'budget_lifetime must be at least budget_per_week',
    path: ['budget_lifetime'],
  });

/**
 * The policy's words in another language (keyed by locale, e.g. `es-US`): the notice, and the names
 * shoppers read for categories, purposes, exemptions, cookie categories and channels. What is not
 * translated is shown in the policy's own language. `status: translation` (the default) says the
 * English text prevails; the notice says so.
 */
export const translationSchema = z.strictObject({
  status: z.enum(['translation', 'authoritative']).default('translation'),
  notice: z.strictObject({ title: text, sections: z.array(noticeSectionSchema).min(1) }).optional(),
  categories: z.record(dottedId, text).default({}),
  purposes: z.record(dottedId, text).default({}),
  exemptions: z.record(simpleId, text).default({}),
  /**
   * An exemption's `source` in this language: the translated notice's own words, quoted word for
   * word (shown under the exemption, as the English source is).
   */
  exemption_sources: z.record(simpleId, text).default({}),
  channels: z.record(dottedId, text).default({}),
  cookie_categories: z.record(simpleId, z.strictObject({ title: text, description: text })).default({}),
  regulators: z.record(simpleId, z.strictObject({ name: text })).default({}),
  /** Whose information (a subject kind's description), as the notice's tables name it. */
  subject_kinds: z.record(simpleId, text).default({}),
  /** A collection point's title, as the notice's "What we collect" names the form. */
  collection_points: z.record(simpleId, text).default({}),
  /**
   * A retention rule's reason, keyed by its English text (rules have no ids): a reason reworded in
   * the policy shows in its own words until its translation follows, and `vow policy check` names
   * the translation left behind.
   */
  retention_reasons: z.record(text, text).default({}),
  /** A recipient's name, as the notice's "Who receives your information" and My data name it. */
  recipients: z.record(simpleId, text).default({}),
  /**
   * A cookie's or tool's words, keyed by its `name` (the entry's id): what it does (`purpose`), and
   * where they need words of their own its `name` (a tool such as "Site measurement"), `duration`
   * (one that is not an ISO 8601 period, which is worded in the reader's language anyway) and
   * `provider`, as the banner, the preference centre and the notice list it.
   */
  cookies: z
    .record(
      text,
      z.strictObject({
        name: text.optional(),
        purpose: text,
        duration: text.optional(),
        provider: text.optional(),
      }),
    )
    .default({}),
  /** A promise's line and how it is kept, as the notice's "Our promises" shows them. */
  promises: z.record(promiseId, z.strictObject({ title: text, enforcement: text })).default({}),
});

export const policySchema = z.strictObject({
  vow_policy: z.literal(1, { message: 'must be 1 (the policy format version)' }),
  name: text,
  effective_date: isoDate,
  locale: z.string().default('en-US'),
  controller: z.strictObject({
    name: text,
    website: text,
    email: z.email(),
    phone: text,
    postal_address: text,
    requests_postal_address: text,
    /** The controller's representative in the Union (GDPR Art. 27), name and contact, if any. */
    representative: text.optional(),
    /** The data protection officer's name and contact, if one is designated. */
    dpo: text.optional(),
  }),
  regulators: z.record(simpleId, regulatorSchema),
  notice: z.strictObject({
    title: text,
    sections: z.array(noticeSectionSchema).min(1),
  }),
  promises: z.record(promiseId, promiseSchema),
  categories: z.record(dottedId, categorySchema),
  purposes: z.record(dottedId, purposeSchema),
  subject_kinds: z.record(simpleId, subjectKindSchema),
  channels: z.record(dottedId, channelSchema),
  cookie_categories: z.record(simpleId, cookieCategorySchema),
  cookies: z.array(cookieSchema).optional(),
  collection_points: z.record(simpleId, collectionPointSchema),
  rules: z.array(ruleSchema).min(1),
  recipients: z.record(simpleId, recipientSchema),
  retention: z.array(retentionSchema),
  exemptions: z.record(simpleId, exemptionSchema),
  /** Transfers to third countries, for the record of processing (optional). */
  transfers: z.array(transferSchema).optional(),
  reports: reportsSchema.optional(),
  /** The US state privacy laws (absent or partial: the shipped default policy's entries apply). */
  us_state_laws: stateLawsSchema.optional(),
  /** The US state breach-notification laws (absent or partial: the shipped entries apply). */
  us_breach_laws: breachLawsSchema.optional(),
  translations: z.partialRecord(z.enum(['es-US']), translationSchema).default({}),
});

/** A policy file as written (after defaults are applied). */
export type PolicyDocument = z.infer<typeof policySchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type CollectionPoint = z.infer<typeof collectionPointSchema>;
export type Field = z.infer<typeof fieldSchema>;
export type Channel = z.infer<typeof channelSchema>;
export type Category = z.infer<typeof categorySchema>;
export type Purpose = z.infer<typeof purposeSchema>;
export type Retention = z.infer<typeof retentionSchema>;
export type Exemption = z.infer<typeof exemptionSchema>;
export type Transfer = z.infer<typeof transferSchema>;
export type ReportSettings = z.infer<typeof reportsSchema>;
export type Translation = z.infer<typeof translationSchema>;
export type PromiseEntry = z.infer<typeof promiseSchema>;
