// Compiled checks of collection bodies: plain code answering "Zod certainly accepts this body
// unchanged", so a usual body skips Zod's parse. POST /v1/orders's (isOrderBody, through
// src/http/fast-validation.ts: about 15 µs of an order's CPU) and the import formats' registrations
// (isRegistrationBody: about 3.5 µs of an imported customer's). Anything a check does not accept (a
// value with spaces around it that Zod would trim, a phone number, a date of birth, a gender, any
// invalid body) is judged by the schema as before, so refusals and their messages are unchanged. The
// formats' patterns are read from the schemas themselves; test/collection/order-check and
// registration-check compare each check with its schema on valid and mutated bodies.
import { isValidPhoneNumber } from 'libphonenumber-js';
import type { z } from 'zod';
import { hasOnlyKeys, isInt, isLine, isRecord } from '../../platform/plain-checks.js';
import { MAX_AGE } from './day-bounds.js';
import { ageFields, emailSchema, orderSchema } from './schemas.js';

/** A string format's pattern (z.iso.datetime, z.iso.date, z.email), as the schema checks it. */
function patternOf(schema: z.ZodType): RegExp {
  const def = (schema as unknown as { _zod: { def: { pattern?: RegExp; out?: z.ZodType } } })._zod.def;
  if (def.pattern) return def.pattern;
  if (def.out) return patternOf(def.out);
  throw new Error('body-checks: a format without a pattern');
}

const DATETIME = patternOf(orderSchema.shape.placed_at);
const EMAIL = patternOf(emailSchema);
const DATE = patternOf(ageFields.birth_date.unwrap());

const ORDER_KEYS = new Set([
  'shop_order_id',
  'placed_at',
  'currency',
  'total_cents',
  'items',
  'buyer',
  'gift_recipient',
]);
const ORDER_REQUIRED = ['shop_order_id', 'placed_at', 'currency', 'total_cents', 'items', 'buyer'];
const ITEM_KEYS = new Set(['sku', 'quantity', 'unit_price_cents']);
const ITEM_REQUIRED = ['sku', 'quantity', 'unit_price_cents'];
const BUYER_KEYS = new Set([
  'name',
  'email',
  'phone',
  'billing_address',
  'shipping_address',
  'birth_date',
  'age',
]);
const BUYER_REQUIRED = ['name', 'email', 'billing_address', 'shipping_address'];
const GIFT_KEYS = new Set(['name', 'shipping_address', 'email', 'phone', 'birth_date', 'age']);
const GIFT_REQUIRED = ['name', 'shipping_address'];
const ADDRESS_KEYS = new Set(['line1', 'line2', 'city', 'region', 'postal_code', 'country']);
const ADDRESS_REQUIRED = ['line1', 'city', 'postal_code', 'country'];
const SHOP_ORDER_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
const PHONE = /^[+\d\s().\-/]+$/;

/** text(max): a line of 1..max that trimming leaves as it is. */
function isText(v: unknown, max: number): v is string {
  return isLine(v, 1, max) && v.trim() === v;
}

function isAddress(v: unknown): v is { country: string } {
  return (
    isRecord(v) &&
    hasOnlyKeys(v, ADDRESS_KEYS, ADDRESS_REQUIRED) &&
    isText(v.line1, 200) &&
    (v.line2 === undefined || isText(v.line2, 200)) &&
    isText(v.city, 100) &&
    (v.region === undefined || isText(v.region, 100)) &&
    isText(v.postal_code, 20) &&
    typeof v.country === 'string' &&
    COUNTRY.test(v.country)
  );
}

function isEmail(v: unknown): boolean {
  return isLine(v, 0, 254) && v.trim() === v && EMAIL.test(v);
}

/** phoneSchema and checkPhone: a plausible number that libphonenumber finds valid in `country`. */
function isPhone(v: unknown, country: string): boolean {
  return (
    isLine(v, 3, 32) &&
    v.trim() === v &&
    PHONE.test(v) &&
    isValidPhoneNumber(v, country as Parameters<typeof isValidPhoneNumber>[1])
  );
}

/** The under-13 gate's fields, checked as ageFields would (their meaning is the gate's, later). */
function hasAgeFields(v: Record<string, unknown>): boolean {
  return (
    (v.birth_date === undefined || (typeof v.birth_date === 'string' && DATE.test(v.birth_date))) &&
    (v.age === undefined || isInt(v.age, 0, MAX_AGE))
  );
}

function isItems(v: unknown): boolean {
  if (!Array.isArray(v) || v.length < 1 || v.length > 200) return false;
  for (const item of v)
    if (
      !isRecord(item) ||
      !hasOnlyKeys(item, ITEM_KEYS, ITEM_REQUIRED) ||
      !isText(item.sku, 100) ||
      !isInt(item.quantity, 1, 10_000) ||
      !isInt(item.unit_price_cents, 0, 1_000_000_000)
    )
      return false;
  return true;
}

/** orderSchema's compiled check: true only if Zod would accept the body and hand it on unchanged. */
export function isOrderBody(b: unknown): boolean {
  if (!isRecord(b) || !hasOnlyKeys(b, ORDER_KEYS, ORDER_REQUIRED)) return false;
  if (
    !(typeof b.shop_order_id === 'string' && SHOP_ORDER_ID.test(b.shop_order_id)) ||
    !(typeof b.placed_at === 'string' && DATETIME.test(b.placed_at)) ||
    !(typeof b.currency === 'string' && CURRENCY.test(b.currency)) ||
    !isInt(b.total_cents, 0, 1_000_000_000_000) ||
    !isItems(b.items)
  )
    return false;
  const buyer = b.buyer;
  if (
    !isRecord(buyer) ||
    !hasOnlyKeys(buyer, BUYER_KEYS, BUYER_REQUIRED) ||
    !isText(buyer.name, 200) ||
    !isEmail(buyer.email) ||
    !isAddress(buyer.billing_address) ||
    !isAddress(buyer.shipping_address) ||
    !(buyer.phone === undefined || isPhone(buyer.phone, buyer.billing_address.country)) ||
    !hasAgeFields(buyer)
  )
    return false;
  const gift = b.gift_recipient;
  if (gift === undefined) return true;
  return (
    isRecord(gift) &&
    hasOnlyKeys(gift, GIFT_KEYS, GIFT_REQUIRED) &&
    isText(gift.name, 200) &&
    isAddress(gift.shipping_address) &&
    (gift.email === undefined || isEmail(gift.email)) &&
    (gift.phone === undefined || isPhone(gift.phone, gift.shipping_address.country)) &&
    hasAgeFields(gift)
  );
}

const REGISTRATION_KEYS = new Set([
  'account_id',
  'name',
  'email',
  'postal_address',
  'gender',
  'catalog_opt_in',
  'registered_at',
  'birth_date',
  'age',
]);
const REGISTRATION_REQUIRED = ['account_id', 'name', 'email'];

/**
 * registrationSchema(policy)'s compiled check, for any policy: true only if Zod would accept the
 * body and hand it on unchanged. A gender (an enum of the policy's values) is left to Zod.
 */
export function isRegistrationBody(b: unknown): boolean {
  return (
    isRecord(b) &&
    hasOnlyKeys(b, REGISTRATION_KEYS, REGISTRATION_REQUIRED) &&
    b.gender === undefined &&
    isText(b.account_id, 100) &&
    isText(b.name, 200) &&
    isEmail(b.email) &&
    (b.postal_address === undefined || isAddress(b.postal_address)) &&
    (b.catalog_opt_in === undefined || typeof b.catalog_opt_in === 'boolean') &&
    (b.registered_at === undefined ||
      (typeof b.registered_at === 'string' && DATETIME.test(b.registered_at))) &&
    hasAgeFields(b)
  );
}
