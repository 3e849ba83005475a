// One person through every channel Vow collects from, and a scan of everything Vow keeps for a trace
// of them: every table of the schema (enumerated, not listed), plaintext, sealed values opened with
// every data key still in the store, and the keyed hashes (blind indexes) of their identifiers; and
// the files of the data folder. Shared by the "every copy" tests of deletion and correction.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { uploadsDir } from '../../src/modules/imports/spool.js';
import type { IndexKind } from '../../src/platform/crypto/vault.js';
import { address, catalogBody, giftRecipient, orderBody, post } from '../collection/fixtures.js';
import { accountThroughService } from '../helpers/auth.js';
import type { TestEnv } from '../helpers/env.js';

export interface Person {
  readonly first: string;
  readonly last: string;
  readonly email: string;
  /** As typed: (608) 265-NNNN. */
  readonly phone: string;
  readonly e164: string;
  readonly line1: string;
  readonly accountId: string;
}

export function person(n: string, phoneSuffix: string): Person {
  return {
    first: `Ivy${n}`,
    last: `Everywhere${n}`,
    email: `ivy.everywhere${n.toLowerCase()}@example.com`,
    phone: `(608) 265-${phoneSuffix}`,
    e164: `+1608265${phoneSuffix}`,
    line1: `${phoneSuffix} Everywhere${n} Lane`,
    accountId: `acct-everywhere-${n.toLowerCase()}`,
  };
}

/** What may name the person: the texts, and the keyed hashes Vow looks them up by. */
export function tracesOf(e: TestEnv, p: Person): { texts: string[]; hashes: Map<string, string> } {
  const digits = p.e164.slice(2);
  const texts = [p.first, p.last, p.email, p.e164, digits, `265-${p.e164.slice(-4)}`, p.line1, p.accountId];
  const hashes = new Map<string, string>();
  const add = (kind: IndexKind, value: string) =>
    hashes.set(e.ctx.vault.blindIndex(kind, value), `${kind}:${value}`);
  add('email', p.email);
  add('phone', p.e164);
  add('account', p.accountId);
  add('address', `${p.line1.toLowerCase()}||franklin|wi|53132|us`);
  // Keys of the limits on guessing their codes and password and on mail to them (identity/attempts.ts).
  const emailIndex = e.ctx.vault.blindIndex('email', p.email);
  hashes.set(e.ctx.vault.blindIndex('token', `code-target:${emailIndex}`), 'code-limit:email');
  hashes.set(e.ctx.vault.blindIndex('token', `mail-budget:${emailIndex}`), 'mail-limit:email');
  return { texts, hashes };
}

const SHOPIFY_CUSTOMERS =
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags,Birth Date';
const SHOPIFY_ORDERS =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Id,Phone';
const MAILCHIMP =
  'Email Address,First Name,Last Name,Birthday,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LEID,EUID,NOTES';
const KLAVIYO =
  'Email,Phone Number,First Name,Last Name,Country,Email Marketing Consent,Email Marketing Consent Timestamp,SMS Marketing Consent,SMS Marketing Consent Timestamp';

/**
 * The person in a file of each import format, each with a row of theirs that is refused (its value
 * where the refusal's reason could repeat it) beside the one taken.
 */
function importFiles(p: Person): Record<string, string> {
  const name = `${p.first} ${p.last}`;
  // The shop's ids are the person's own: one Shopify customer id shared by two people of one store
  // would make the second person's imported rows the first's (an account id finds the person first).
  const n = p.e164.slice(-4);
  const at = '2025-03-01 10:00:00 -0500';
  const place = `${p.line1},${p.line1},,,Franklin,53132,WI,US`;
  const lines = (...l: string[]) => `${l.join('\n')}\n`;
  return {
    'shopify-customers': lines(
      SHOPIFY_CUSTOMERS,
      `9${n}1,${p.first},${p.last},${p.email},yes,,${p.line1},,Franklin,WI,US,53132,,${p.phone},yes,10.00,1,${name} prefers gold,no,,`,
      `9${n}2,${p.first},${p.last},${p.email},yes,,${p.line1},,Franklin,WI,US,53132,,${p.phone},yes,10.00,1,,no,,${p.email} not a date`,
    ),
    'shopify-orders': lines(
      SHOPIFY_ORDERS,
      `#${n}1,${p.email},paid,${at},fulfilled,${at},yes,USD,100.00,0.00,0.00,100.00,,0.00,Standard,${at},1,Silver ring,100.00,,RING-S,true,true,fulfilled,${name},${place},${p.phone},${name},${place},${p.phone},Call ${p.phone},9${n}1,${p.phone}`,
      `#${n}2,${p.email},paid,${at},fulfilled,,no,USD,1.00,0.00,0.00,${p.email},,0.00,Standard,${at},1,Silver ring,1.00,,RING-S,true,true,fulfilled,${name},${place},,${name},${place},,,9${n}2,`,
    ),
    mailchimp: lines(
      MAILCHIMP,
      `${p.email},${p.first},${p.last},,2,2024-01-01 10:00:00,2024-01-01 10:00:00,71,x71,${name} VIP`,
      `${p.email},${p.first},${p.last},${p.last}!,2,2024-01-01 10:00:00,2024-01-01 10:00:00,72,x72,`,
    ),
    klaviyo: lines(
      KLAVIYO,
      `${p.email},${p.phone},${p.first},${p.last},US,SUBSCRIBED,2024-01-10T09:00:00Z,SUBSCRIBED,2024-01-10T09:00:00Z`,
      `${p.email},12 ${p.last},${p.first},${p.last},US,SUBSCRIBED,2024-01-10T09:00:00Z,UNSUBSCRIBED,2024-01-10T09:00:00Z`,
    ),
    'sms-optouts': lines(
      'phone,country,status,at,consent_text',
      `${p.phone},US,opted_in,2025-01-01 10:00:00,Yes! Text me offers. Reply STOP to cancel.`,
      `${p.phone},US,${p.first},2025-01-01 10:00:00,`,
    ),
    ndjson: lines(
      ...[
        { type: 'contest_entry', body: { email: p.email, name }, collected_at: '2025-05-01T10:00:00Z' },
        {
          type: 'catalog_request',
          body: { email: p.email, first_name: p.first, last_name: 'x'.repeat(500) },
        },
        { type: 'contest_entry', body: { email: p.email, name, phone: `${p.phone} ${p.last}` } },
      ].map((l) => JSON.stringify(l)),
    ),
  };
}

/**
 * The person through every channel: an order (theirs, with a gift recipient) and another buyer's order
 * with them as its gift recipient, a shop registration, a contest entry, a catalog request, an SMS
 * sign-up and an unclear SMS reply, an email to customer service, a file of each import format (one
 * through POST /v1/imports, each with a refused row of theirs), a shopper account logged in, a
 * marketing email rendered, a disclosure to the carrier, a complaint, and an access request answered
 * with a download. Returns their subject id.
 */
export async function throughEveryChannel(e: TestEnv, p: Person, scratch: string): Promise<string> {
  const name = `${p.first} ${p.last}`;
  const home = address(p.line1);
  const ok = (r: { statusCode: number; body: string }, what: string) =>
    assert.ok(r.statusCode >= 200 && r.statusCode < 300, `${what}: ${r.statusCode} ${r.body}`);
  const own = orderBody(`EVERY-OWN-${p.e164.slice(-4)}`, {
    buyer: { name, email: p.email, phone: p.phone, billing_address: home, shipping_address: home },
    gift_recipient: giftRecipient(`every-${p.e164.slice(-4)}`),
  });
  ok(await post(e, '/v1/orders', own), 'own order');
  const subjectId = (await e.services.subjects.findByEmail(p.email))!;
  assert.ok(subjectId);
  const gift = orderBody(`EVERY-GIFT-${p.e164.slice(-4)}`, {
    gift_recipient: { name, email: p.email, shipping_address: home },
  });
  ok(await post(e, '/v1/orders', gift), 'order with the person as gift recipient');
  ok(
    await post(e, '/v1/registrations', {
      account_id: p.accountId,
      name,
      email: p.email,
      postal_address: home,
      gender: 'female',
      catalog_opt_in: true,
    }),
    'registration',
  );
  ok(await post(e, '/v1/contest-entries', { name, email: p.email }), 'contest entry');
  ok(
    await post(
      e,
      '/v1/catalog-requests',
      catalogBody(`every-${p.e164.slice(-4)}`, {
        first_name: p.first,
        last_name: p.last,
        postal_address: home,
        email: p.email,
      }),
    ),
    'catalog request',
  );
  ok(await post(e, '/v1/sms-signups', { phone: p.phone, consent_text: 'Yes, text me.' }), 'SMS sign-up');
  ok(
    await post(e, '/v1/sms/inbound', { from: p.e164, body: `take me off your list, ${p.first}` }),
    'unclear SMS reply',
  );
  ok(
    await post(e, '/v1/inbound-messages', {
      from: p.email,
      subject: `Ring size for ${name}?`,
      received_at: '2026-01-15T08:00:00Z',
    }),
    'email to customer service',
  );
  mkdirSync(scratch, { recursive: true });
  for (const [format, text] of Object.entries(importFiles(p))) {
    const file = path.join(scratch, `${format}.${format === 'ndjson' ? 'ndjson' : 'csv'}`);
    writeFileSync(file, text);
    const dry = await e.services.imports.run({ file, format, dryRun: true });
    assert.ok(dry.counts.refused >= 1, `${format}: a row of theirs is refused (dry run)`);
    if (format === 'ndjson') {
      const res = await e.app.inject({
        method: 'POST',
        url: '/v1/imports?format=ndjson&file_name=customers.ndjson',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: text,
      });
      ok(res, 'POST /v1/imports');
      assert.ok(res.json().counts.refused >= 1, `${format}: refused ${res.body}`);
    } else {
      const report = await e.services.imports.run({ file, format });
      assert.ok(
        report.counts.refused >= 1,
        `${format}: a row of theirs is refused ${JSON.stringify(report)}`,
      );
    }
  }
  const { accounts } = e.services.identity;
  const accountId = await accountThroughService(e, p.email);
  await accounts.issueToken(accountId, 'reset_password');
  ok(
    await post(e, '/v1/emails/render', { subjectId, subject: 'New rings', text: 'Look.' }),
    'marketing email',
  );
  ok(
    await post(e, '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: own.shop_order_id,
    }),
    'disclosure',
  );
  ok(
    await post(e, '/v1/complaints', {
      jurisdiction: 'eea',
      email: p.email,
      message: `${name} was not answered`,
    }),
    'complaint',
  );
  // A visitor's banner choice, measurements and a layout experiment: keyed by a cookie id, which no
  // channel ties to a person (nothing of theirs can be there; the scan checks it).
  const visitor = 'EverywhereVisitor00001';
  ok(
    await post(e, '/v1/consent/choices', {
      visitor,
      categories: { analytics: true, layout_experiments: true, advertising: false },
      googleAnalytics: false,
      source: 'choose',
      consentVersion: e.ctx.policy.consentVersion,
    }),
    'banner choice',
  );
  ok(await post(e, '/v1/collect', { visitor, type: 'page_view', path: '/rings' }), 'measurement');
  await e.services.jobs.drain();
  return subjectId;
}

/** The people whose data key is still in the store (a destroyed key's wrapped key is null). */
export async function liveKeyHolders(e: TestEnv): Promise<string[]> {
  const rows = await e.store.db
    .selectFrom('data_keys')
    .select('subject_id')
    .where('wrapped_key', 'is not', null)
    .execute();
  return rows.map((k) => k.subject_id);
}

/** Every value of every row of every table of the schema (migration bookkeeping aside), as text. */
export async function everyCell(e: TestEnv): Promise<{ table: string; column: string; value: string }[]> {
  const out: { table: string; column: string; value: string }[] = [];
  for (const t of await e.store.db.introspection.getTables()) {
    if (t.name.startsWith('kysely_')) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(e.store.db);
    for (const row of rows.rows)
      for (const [column, v] of Object.entries(row))
        if (v !== null && v !== undefined) out.push({ table: t.name, column, value: String(v) });
  }
  return out;
}

/**
 * Where the person is still found, as `table.column: what` (sorted, unique): a cell holding one of
 * their texts or keyed hashes, or a sealed value that opens, with a data key still in the store, to
 * one of their texts.
 */
export async function whereFound(e: TestEnv, p: Person): Promise<string[]> {
  const { texts, hashes } = tracesOf(e, p);
  const keys = await liveKeyHolders(e);
  const found = new Set<string>();
  const look = (where: string, text: string, how: string) => {
    for (const t of texts)
      if (text.includes(t)) found.add(`${where}: ${how}${t === p.email ? ' email' : ''}`);
    for (const [hash, what] of hashes)
      if (text.includes(hash)) found.add(`${where}: keyed hash of ${what.split(':')[0]}`);
  };
  for (const c of await everyCell(e)) {
    const where = `${c.table}.${c.column}`;
    look(where, c.value, 'text');
    if (!c.value.startsWith('v1.')) continue;
    for (const key of keys) {
      try {
        const plain = await e.ctx.vault.decrypt(key, c.value);
        if (plain !== null) look(where, plain, 'sealed text');
      } catch {
        // not this key
      }
    }
  }
  return [...found].sort();
}

/** Files under `dir` (recursively) holding one of the person's texts or keyed hashes. */
export function filesNaming(e: TestEnv, p: Person, dir: string): string[] {
  const { texts, hashes } = tracesOf(e, p);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else {
        const text = readFileSync(file, 'latin1');
        if ([...texts, ...hashes.keys()].some((t) => text.includes(t))) out.push(path.relative(dir, file));
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * Uploads POST /v1/imports spooled (under the data folder's uploads/) and did not remove that hold
 * the person (another test's uploads may be there meanwhile, and gone before they are read).
 */
export function spooledUploadsNaming(e: TestEnv, p: Person): string[] {
  const root = uploadsDir(e.ctx.config.dataDir);
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(root).filter((n) => n.startsWith('import-'));
  } catch {
    // no upload spooled yet
  }
  for (const name of names) {
    try {
      for (const f of filesNaming(e, p, path.join(root, name))) out.push(path.join(name, f));
    } catch {
      // removed meanwhile
    }
  }
  return out;
}
