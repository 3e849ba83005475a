// The request bodies of the collection endpoints. Every body is a strict object (unknown fields are
// refused); enum answers come from the policy in force, so a retailer's form changes them.
import { isValidPhoneNumber } from 'libphonenumber-js';
import { z } from 'zod';
import { line, prose } from '../../platform/strings.js';
import type { Policy } from '../policy/index.js';
import { MAX_AGE } from './day-bounds.js';

const text = (max: number) => line().trim().min(1).max(max);
/** Free text kept as written (the consent wording shown): line breaks allowed. */
const freeText = (max: number) => prose().trim().min(1).max(max);

export const emailSchema = line()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'not a valid email address' }))
  .describe('An email address; found again trimmed and case-folded');

/** The country a phone number without a `+` prefix is read in, when nothing else tells. */
export const DEFAULT_PHONE_COUNTRY = 'US';

/**
 * A phone number as typed; checked with libphonenumber by the object holding it, in the country
 * of the address next to it (`checkPhone`).
 */
export const phoneSchema = line()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[+\d\s().\-/]+$/, 'not a valid phone number')
  .describe(
    'A phone number: international (+44 20 …) or national, read in the country of the address given with it (US when none)',
  );

/** Adds an issue when `phone` is not a valid number of `country` (or an international number). */
export function checkPhone(
  phone: string | undefined,
  country: string,
  path: string[],
  ctx: z.RefinementCtx,
): void {
  if (
    phone !== undefined &&
    !isValidPhoneNumber(phone, country as Parameters<typeof isValidPhoneNumber>[1])
  ) {
    ctx.addIssue({ code: 'custom', path, message: 'not a valid phone number' });
  }
}

export const addressSchema = z.strictObject({
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postal_code: text(20),
  country: line()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code')
    .describe('ISO 3166-1 alpha-2, e.g. US'),
});

/** Optional on every body: a stated age or birth date, used only for the under-13 gate (P14). */
export const ageFields = {
  birth_date: z.iso.date().optional().describe('YYYY-MM-DD; never stored, only checked (P14)'),
  age: z
    .number()
    .int()
    .min(0)
    .max(MAX_AGE)
    .optional()
    .describe('Stated age; never stored, only checked (P14)'),
};

const datetime = z.iso.datetime({ offset: true });

export const orderItemSchema = z.strictObject({
  sku: text(100),
  quantity: z.number().int().min(1).max(10_000),
  unit_price_cents: z.number().int().min(0).max(1_000_000_000),
});

export const orderSchema = z.strictObject({
  shop_order_id: line()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits and . _ : - (at most 100)')
    .describe("The shop's order id; the request is idempotent on it"),
  placed_at: datetime,
  currency: line().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
  total_cents: z.number().int().min(0).max(1_000_000_000_000),
  items: z.array(orderItemSchema).min(1).max(200),
  buyer: z
    .strictObject({
      name: text(200),
      email: emailSchema,
      phone: phoneSchema.optional(),
      billing_address: addressSchema,
      shipping_address: addressSchema,
      ...ageFields,
    })
    .superRefine((b, ctx) => checkPhone(b.phone, b.billing_address.country, ['phone'], ctx)),
  gift_recipient: z
    .strictObject({
      name: text(200),
      shipping_address: addressSchema,
      email: emailSchema.optional().describe('Only to confirm delivery (P3)'),
      phone: phoneSchema.optional().describe('Only to confirm delivery (P3)'),
      ...ageFields,
    })
    .superRefine((g, ctx) => checkPhone(g.phone, g.shipping_address.country, ['phone'], ctx))
    .optional(),
});
export type OrderBody = z.infer<typeof orderSchema>;

function valuesOf(policy: Policy, point: string, field: string): [string, ...string[]] | undefined {
  const values = policy.doc.collection_points[point]?.fields[field]?.values;
  return values && values.length > 0 ? (values as [string, ...string[]]) : undefined;
}

/** An enum of the policy's allowed values for a form field (any non-empty text if it lists none). */
function policyEnum(policy: Policy, point: string, field: string) {
  const values = valuesOf(policy, point, field);
  return values ? z.enum(values) : text(100);
}

function isRequired(policy: Policy, point: string, field: string): boolean {
  return policy.doc.collection_points[point]?.fields[field]?.required ?? false;
}

export function registrationSchema(policy: Policy) {
  return z.strictObject({
    account_id: text(100).describe("The shop's account id"),
    name: text(200),
    email: emailSchema,
    postal_address: addressSchema.optional(),
    gender: policyEnum(policy, 'registration', 'gender').optional(),
    catalog_opt_in: z
      .boolean()
      .optional()
      .describe('The "send me your catalog and updates" box (P5); grants the channels of the policy'),
    registered_at: datetime.optional(),
    ...ageFields,
  });
}
export type RegistrationBody = z.infer<ReturnType<typeof registrationSchema>>;

export const contestEntrySchema = z.strictObject({
  email: emailSchema,
  name: text(200).optional(),
  contest_id: line()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/)
    .optional(),
  ...ageFields,
});
export type ContestEntryBody = z.infer<typeof contestEntrySchema>;

export function catalogRequestSchema(policy: Policy) {
  const point = 'catalog_request';
  const opt = <T extends z.ZodType>(field: string, s: T) =>
    isRequired(policy, point, field) ? s : s.optional();
  const jewelryValues = valuesOf(policy, point, 'jewelry_types');
  return z.strictObject({
    first_name: text(100),
    last_name: text(100),
    postal_address: addressSchema,
    email: emailSchema,
    relationship_status: opt('relationship_status', policyEnum(policy, point, 'relationship_status')),
    jewelry_types: opt(
      'jewelry_types',
      z
        .array(jewelryValues ? z.enum(jewelryValues) : text(100))
        .min(1)
        .max(jewelryValues?.length ?? 20)
        .refine((a) => new Set(a).size === a.length, { message: 'each jewelry type at most once' }),
    ),
    budget: opt('budget', policyEnum(policy, point, 'budget')),
    age_range: opt('age_range', policyEnum(policy, point, 'age_range')),
    residence_type: opt('residence_type', policyEnum(policy, point, 'residence_type')),
    gender: opt('gender', policyEnum(policy, point, 'gender')),
    ...ageFields,
  });
}
export type CatalogRequestBody = z.infer<ReturnType<typeof catalogRequestSchema>>;

export const smsSignupSchema = z
  .strictObject({
    phone: phoneSchema,
    country: line()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code')
      .optional()
      .describe('Where a number without a + prefix is read (US when absent)'),
    consent_text: freeText(2000).describe(
      'The exact consent wording shown next to the box (prior express written consent); kept as proof',
    ),
    ...ageFields,
  })
  .superRefine((b, ctx) => checkPhone(b.phone, b.country ?? DEFAULT_PHONE_COUNTRY, ['phone'], ctx));
export type SmsSignupBody = z.infer<typeof smsSignupSchema>;

export const inboundMessageSchema = z.strictObject({
  from: emailSchema.describe('The return address; it may serve support.reply only (P4)'),
  subject: line().max(998),
  received_at: datetime,
  ...ageFields,
});
export type InboundMessageBody = z.infer<typeof inboundMessageSchema>;

export const collectedSchema = z.object({
  id: line().describe("Vow's id of the stored record"),
  subjectId: line().describe("Vow's id of the person"),
});

export const orderCollectedSchema = collectedSchema.extend({
  giftRecipientSubjectId: z.string().optional(),
});
