// Bodies that pass each write route's checks, and the resources the sweep's paths name
// (test/security/api-hostile-input.test.ts).
import assert from 'node:assert/strict';
import type { TestEnv } from '../../helpers/env.js';
import type { Operation } from './cases.js';

/** A well-formed id of nothing. */
export const UUID = '00000000-0000-4000-8000-000000000000';

let unique = 0;
const next = () => `${++unique}`;

/**
 * Bodies that pass each write route's schema (and mostly its module's checks), so a case changing
 * one field is judged on that field; fresh ids and addresses on each call, so no case is refused
 * as a repeat of another.
 */
export const FIXTURES: Record<string, (ids: Ids) => unknown> = {
  'POST /v1/orders': () => {
    const n = next();
    const address = {
      line1: '1 Main St',
      city: 'Franklin',
      region: 'WI',
      postal_code: '53132',
      country: 'US',
    };
    return {
      shop_order_id: `SO-${n}`,
      placed_at: '2026-01-15T11:00:00Z',
      currency: 'USD',
      total_cents: 100,
      items: [{ sku: 'RING-1', quantity: 1, unit_price_cents: 100 }],
      buyer: {
        name: 'Ann Buyer',
        email: `ann${n}@example.com`,
        phone: '+1 608 265 1234',
        billing_address: address,
        shipping_address: address,
      },
      gift_recipient: { name: 'Greta Gift', email: `greta${n}@example.com`, shipping_address: address },
    };
  },
  'POST /v1/registrations': () => ({
    account_id: `acct-${next()}`,
    name: 'Rita Reg',
    email: `rita${unique}@example.com`,
    gender: 'female',
    catalog_opt_in: true,
    birth_date: '1990-05-01',
    postal_address: {
      line1: '7 Oak Ave',
      city: 'Madison',
      region: 'WI',
      postal_code: '53703',
      country: 'US',
    },
  }),
  'POST /v1/contest-entries': () => ({ email: `pia${next()}@example.com`, name: 'Pia', age: 30 }),
  'POST /v1/catalog-requests': () => ({
    first_name: 'Cara',
    last_name: 'Lane',
    email: `cara${next()}@example.com`,
    postal_address: { line1: '3 Elm St', city: 'Franklin', postal_code: '53132', country: 'US' },
    relationship_status: 'engaged',
    jewelry_types: ['engagement_ring', 'wedding_band'],
    budget: '1000_2000',
    age_range: '25_34',
    residence_type: 'suburban',
    gender: 'no_thanks',
  }),
  'POST /v1/sms-signups': () => ({
    phone: `(608) 555-${String(1000 + (Number(next()) % 9000))}`,
    consent_text: 'Yes, text me offers. Reply STOP to cancel.',
  }),
  'POST /v1/inbound-messages': () => ({
    from: `asker${next()}@example.com`,
    subject: 'Ring size?',
    received_at: '2026-01-15T08:00:00Z',
  }),
  'POST /v1/decisions': () => ({
    subject: { kind: 'customer' },
    purpose: 'order.fulfilment',
    categories: ['contact.postal_address'],
  }),
  'POST /v1/disclosures': (ids) => ({
    recipient: 'carrier',
    purpose: 'order.fulfilment',
    orderId: ids.order,
  }),
  'POST /v1/disclosures/search': (ids) => ({ subjectId: ids.subject }),
  'POST /v1/subjects/search': () => ({ email: 'ann1@example.com' }),
  'POST /v1/subjects/under13': (ids) => ({ subjectId: ids.subject, reason: 'Parent wrote in' }),
  'POST /v1/suppressions': (ids) => ({
    subjectId: ids.subject,
    channel: 'postal_marketing',
    reason: 'Asked',
  }),
  'POST /v1/emails/render': (ids) => ({
    subjectId: ids.subject,
    subject: 'New arrivals',
    text: 'Spring rings.',
  }),
  'POST /v1/consent/history': (ids) => ({ subjectId: ids.subject }),
  'POST /v1/sms/inbound': () => ({ from: '+16085550123', body: 'HELP' }),
  'POST /v1/experiments': () => ({
    id: `hostile-${next()}`,
    name: 'Hero',
    variants: [
      { id: 'control', weight: 1 },
      { id: 'video', weight: 1 },
    ],
    minSamplePerArm: 200,
    currency: 'USD',
    plan: { metric: 'conversion_rate', baseline: 0.04, mde: 0.01 },
  }),
  'POST /v1/experiments/power': () => ({
    variants: [
      { id: 'control', weight: 1 },
      { id: 'video', weight: 1 },
    ],
    metric: 'conversion_rate',
    baseline: 0.04,
    mde: 0.01,
  }),
  'POST /v1/experiments/{id}/assignment': () => ({ visitorId: 'c0ffee00-0000-4000-8000-000000000001' }),
  'POST /v1/experiments/{id}/exposures': () => ({ visitorId: 'c0ffee00-0000-4000-8000-000000000001' }),
  'POST /v1/consent/choices': (ids) => ({
    categories: {},
    source: 'accept_all',
    consentVersion: ids.consentVersion,
  }),
  'POST /v1/consent/state': () => ({ visitor: 'c0ffee00-0000-4000-8000-000000000002' }),
  'POST /v1/collect': () => ({ type: 'page_view', path: '/products/ring?color=gold', area: 'product' }),
  'POST /v1/staff/requests': () => ({
    type: 'access',
    jurisdiction: 'us-ca',
    channel: 'postal',
    receivedOn: '2026-01-12',
    name: 'Ann Buyer',
  }),
  'POST /v1/staff/complaints': () => ({
    jurisdiction: 'eea',
    channel: 'email',
    receivedOn: '2026-01-14',
    email: `bea${next()}@example.org`,
    message: 'Why did you email me?',
  }),
  'POST /v1/requests': () => ({ type: 'access', jurisdiction: 'eea', email: `req${next()}@example.com` }),
  'POST /v1/complaints': () => ({
    jurisdiction: 'us-ca',
    email: `c${next()}@example.com`,
    message: 'No answer',
  }),
  'POST /v1/webhooks': () => ({
    url: `https://crm.example/hooks/${next()}`,
    events: ['policy.version_changed'],
  }),
  'POST /v1/staff/accounts': () => ({ username: `hostile${next()}`, roles: ['marketing'] }),
  'POST /v1/staff/api-keys': () => ({ name: `key ${next()}`, scopes: ['decide'] }),
  'PUT /v1/staff/accounts/{username}/roles': () => ({ roles: ['marketing', 'auditor'] }),
  'POST /v1/staff/requests/{id}/extend': () => ({ reason: 'Several archives to search' }),
  'POST /v1/staff/requests/{id}/deny': () => ({ basis: 'Identity not verified' }),
  'POST /v1/staff/complaints/{id}/reply': () => ({ text: 'We removed you from the list.' }),
  'POST /v1/privacy-choices/opt-out': () => ({ jurisdiction: 'us-co' }),
  'POST /v1/privacy-choices/state': () => ({ jurisdiction: 'us-co' }),
};

/** Resources the path parameters and fixtures name (made before the sweep). */
export interface Ids {
  subject: string;
  order: string;
  experiment: string;
  request: string;
  requestToken: string;
  complaint: string;
  complaintToken: string;
  webhook: string;
  apiKey: string;
  staff: string;
  consentVersion: string;
}

/** The value of a path parameter naming a resource that exists (or a well-formed unknown one). */
export function pathValue(op: Operation, name: string, ids: Ids): string {
  const p = op.path;
  if (name === 'channel') return 'email_marketing';
  if (name === 'username') return ids.staff;
  if (name === 'table') return 'orders';
  if (p.startsWith('/v1/experiments/')) return ids.experiment;
  if (p.startsWith('/v1/staff/requests/')) return ids.request;
  if (p.startsWith('/v1/requests/status/')) return ids.requestToken;
  if (p.startsWith('/v1/staff/complaints/')) return ids.complaint;
  if (p.startsWith('/v1/complaints/status/')) return ids.complaintToken;
  if (p.startsWith('/v1/webhooks/')) return ids.webhook;
  if (p.startsWith('/v1/staff/api-keys/')) return ids.apiKey;
  return UUID;
}

export async function makeIds(env: TestEnv): Promise<Ids> {
  const post = async (url: string, payload: unknown) => {
    const res = await env.app.inject({ method: 'POST', url, payload: payload as object });
    assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  const empty = {} as Ids;
  const orderBody = FIXTURES['POST /v1/orders']!(empty) as { shop_order_id: string };
  const order = await post('/v1/orders', orderBody);
  const request = (await post('/v1/staff/requests', FIXTURES['POST /v1/staff/requests']!(empty))) as {
    request: { id: string };
    statusToken: string;
  };
  const complaint = await post('/v1/staff/complaints', FIXTURES['POST /v1/staff/complaints']!(empty));
  const publicComplaint = await post('/v1/complaints', FIXTURES['POST /v1/complaints']!(empty));
  const experiment = await post('/v1/experiments', FIXTURES['POST /v1/experiments']!(empty));
  const webhook = await post('/v1/webhooks', FIXTURES['POST /v1/webhooks']!(empty));
  const apiKey = await post('/v1/staff/api-keys', FIXTURES['POST /v1/staff/api-keys']!(empty));
  const staff = FIXTURES['POST /v1/staff/accounts']!(empty) as { username: string };
  await post('/v1/staff/accounts', staff);
  const policy = (await env.app.inject({ method: 'GET', url: '/v1/policy' })).json() as {
    consentVersion: string;
  };
  return {
    subject: String(order.subjectId),
    order: orderBody.shop_order_id,
    experiment: String(experiment.id),
    request: request.request.id,
    requestToken: request.statusToken,
    complaint: String(complaint.id),
    complaintToken: String(publicComplaint.statusToken),
    webhook: String(webhook.id),
    apiKey: String(apiKey.id),
    staff: staff.username,
    consentVersion: policy.consentVersion,
  };
}
