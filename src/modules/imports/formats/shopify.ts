// Shopify's customer and order exports, by their published column names. A customer becomes a
// registration (the shop's customer account; "Accepts Email Marketing" = yes is the "catalog and
// updates" box, P5) and, with "Accepts SMS Marketing" = yes and a phone, an SMS sign-up whose proof
// is that column. An order (its line items spread over consecutive rows with the same Name) becomes
// a checkout: the policy alone decides enrolment (P9; after an unsubscribe nothing, P11), so the
// order export's "Accepts Marketing" column is not read.
import { RecentValues } from '../../../platform/recent-values.js';
import {
  isRegistrationBody,
  orderSchema,
  type RegistrationBody,
  registrationSchema,
  type Submission,
  smsSignupSchema,
} from '../../collection/index.js';
import {
  ageGate,
  cachedSchema,
  cents,
  col,
  countryCode,
  inFuture,
  invalid,
  isoDateTime,
  perRow,
  type Row,
  yes,
} from './rows.js';
import type { Fact, FormatEnv, ImportFormat, Refusal, SourceRecord, Unit } from './types.js';

const SMS_PROOF = 'Shopify customer export: "Accepts SMS Marketing" = yes';

function address(row: Row, prefix: string, region: string[], country: string[]) {
  const line1 = col(row, `${prefix} Address1`, `${prefix} Street`);
  if (line1 === undefined) return undefined;
  const line2 = col(row, `${prefix} Address2`);
  const reg = col(row, ...region);
  return {
    line1,
    ...(line2 ? { line2 } : {}),
    city: col(row, `${prefix} City`) ?? '',
    ...(reg ? { region: reg } : {}),
    postal_code: col(row, `${prefix} Zip`) ?? '',
    country: countryCode(col(row, ...country)) ?? '',
  };
}

function customer(row: Row, env: FormatEnv): readonly Fact[] | Refusal {
  const gate = ageGate(row, env);
  if (gate) return gate;
  const email = col(row, 'Email');
  if (email === undefined)
    return { code: 'VOW_VALIDATION', reason: 'Email: missing (a registration needs one)' };
  const name = [col(row, 'First Name'), col(row, 'Last Name')].filter(Boolean).join(' ');
  const id = col(row, 'Customer ID', 'Id');
  const postal = address(
    row,
    'Default Address',
    ['Default Address Province Code', 'Default Address Province'],
    ['Default Address Country Code', 'Default Address Country'],
  );
  const given = {
    account_id: `shopify:${id ?? email.toLowerCase()}`,
    name,
    email,
    ...(postal ? { postal_address: postal } : {}),
    catalog_opt_in: yes(col(row, 'Accepts Email Marketing')),
  };
  // A usual row skips Zod's parse (isRegistrationBody: only what Zod would hand on unchanged).
  const body = isRegistrationBody(given)
    ? { success: true as const, data: given as RegistrationBody }
    : cachedSchema(env.policy, 'registration', () => registrationSchema(env.policy)).safeParse(given);
  if (!body.success) return invalid(body.error);
  const facts: Fact[] = [{ kind: 'collect', submission: { type: 'registration', body: body.data } }];
  const phone = col(row, 'Phone', 'Default Address Phone');
  if (yes(col(row, 'Accepts SMS Marketing')) && phone !== undefined) {
    const country = postal?.country || undefined;
    const sms = smsSignupSchema.safeParse({
      phone,
      ...(country ? { country } : {}),
      consent_text: SMS_PROOF,
    });
    if (!sms.success) return invalid(sms.error, 'sms: ');
    facts.push({ kind: 'collect', submission: { type: 'sms_signup', body: sms.data } });
  }
  return facts;
}

export const shopifyCustomers: ImportFormat = {
  id: 'shopify-customers',
  syntax: 'csv',
  required: [['Email'], ['First Name'], ['Last Name'], ['Accepts Email Marketing']],
  units: (records, env) => perRow(records, (row) => customer(row, env)),
};

interface OrderRows {
  line: number;
  lastLine: number;
  rows: Row[];
  malformed?: string;
}

function order(group: OrderRows, env: FormatEnv): readonly Fact[] | Refusal {
  const head = group.rows[0]!;
  const gate = ageGate(head, env);
  if (gate) return gate;
  const placedAt = isoDateTime(col(head, 'Created at', 'Paid at'));
  if (placedAt === undefined) return { code: 'VOW_VALIDATION', reason: 'Created at: missing or not a date' };
  const late = inFuture(placedAt, env, 'Created at');
  if (late) return late;
  const items = group.rows.map((r) => ({
    sku: (col(r, 'Lineitem sku') ?? col(r, 'Lineitem name') ?? '').slice(0, 100),
    quantity: Number(col(r, 'Lineitem quantity') ?? Number.NaN),
    unit_price_cents: cents(col(r, 'Lineitem price')) ?? -1,
  }));
  const billing = address(head, 'Billing', ['Billing Province'], ['Billing Country']);
  const shipping = address(head, 'Shipping', ['Shipping Province'], ['Shipping Country']) ?? billing;
  const phone = col(head, 'Phone', 'Billing Phone');
  const body = orderSchema.safeParse({
    shop_order_id: (col(head, 'Name') ?? '').replace(/^#/, ''),
    placed_at: placedAt,
    currency: col(head, 'Currency') ?? '',
    total_cents: cents(col(head, 'Total')) ?? -1,
    items,
    buyer: {
      name: col(head, 'Billing Name', 'Shipping Name') ?? '',
      email: col(head, 'Email') ?? '',
      ...(phone ? { phone } : {}),
      billing_address: billing,
      shipping_address: shipping,
    },
  });
  if (!body.success) return invalid(body.error);
  const submission: Submission = { type: 'order', body: body.data, collectedAt: new Date(placedAt) };
  return [{ kind: 'collect', submission }];
}

/** How many orders' first lines are remembered to tell an order whose rows are not together. */
export const ORDERS_REMEMBERED = 100_000;
/** Unreadable rows in a row held to see whether the order before them goes on after them. */
const HELD_AT_MOST = 100;

/**
 * Consecutive rows with the same Name are one order (Shopify writes a row per line item, together).
 * An order whose Name comes again after other orders (a file sorted by another column, say) would be
 * read as two orders with one id: the later rows are refused, naming the line the order began on,
 * so a dry run shows it and the file can be sorted by Name first. The names of the last
 * ORDERS_REMEMBERED orders are kept (memory stays bounded whatever the file's size). A row the
 * reader cannot read between two rows of one order was one of its line items: the order is refused
 * whole (never stored short of an item); between two orders, it stands alone.
 */
async function* orderUnits(records: AsyncIterable<SourceRecord>, env: FormatEnv): AsyncIterable<Unit> {
  let group: OrderRows | undefined;
  const began = new RecentValues<number>(ORDERS_REMEMBERED);
  const done = (g: OrderRows): Unit => {
    const name = col(g.rows[0]!, 'Name');
    const first = name === undefined ? undefined : began.get(name);
    if (first !== undefined && first !== g.line)
      return {
        line: g.line,
        lastLine: g.lastLine,
        refused: {
          code: 'VOW_IMPORT_MALFORMED',
          reason: `Name: the same order began at line ${first}, with other orders between: an order's rows must be together (sort the file by Name)`,
        },
      };
    if (name !== undefined) began.set(name, g.line);
    if (g.malformed !== undefined)
      return {
        line: g.line,
        lastLine: g.lastLine,
        refused: { code: 'VOW_IMPORT_MALFORMED', reason: g.malformed },
      };
    const out = order(g, env);
    return 'code' in out
      ? { line: g.line, lastLine: g.lastLine, refused: out }
      : { line: g.line, lastLine: g.lastLine, facts: out };
  };
  const alone = (r: SourceRecord): Unit => ({
    line: r.line,
    lastLine: r.lastLine,
    refused: { code: 'VOW_IMPORT_MALFORMED', reason: r.malformed ?? '' },
  });
  // Unreadable rows after an order's rows: whether they were some of them is told by the next row.
  let held: SourceRecord[] = [];
  for await (const r of records) {
    if (r.malformed !== undefined) {
      if (group && held.length < HELD_AT_MOST) held.push(r);
      else {
        // Rows held so long are no order's line items (and memory stays bounded).
        if (group) yield done(group);
        group = undefined;
        for (const h of held) yield alone(h);
        held = [];
        yield alone(r);
      }
      continue;
    }
    const row = r.value as Row;
    const name = col(row, 'Name');
    if (group && name !== undefined && name === col(group.rows[0]!, 'Name')) {
      group.rows.push(row);
      group.lastLine = r.lastLine;
      const bad = held[0];
      if (bad) {
        // The same order goes on after them: the order is refused whole, never stored short of a line.
        group.malformed ??= `line ${bad.line} of this order cannot be read, so the order is refused whole rather than stored without it: ${bad.malformed}`;
        held = [];
      }
      continue;
    }
    if (group) yield done(group);
    for (const h of held) yield alone(h);
    held = [];
    group = { line: r.line, lastLine: r.lastLine, rows: [row] };
  }
  if (group) yield done(group);
  for (const h of held) yield alone(h);
}

export const shopifyOrders: ImportFormat = {
  id: 'shopify-orders',
  syntax: 'csv',
  required: [['Name'], ['Email'], ['Created at'], ['Lineitem quantity'], ['Lineitem price'], ['Total']],
  units: orderUnits,
};
