// Every format read and mapped without a database: what each row becomes, and each refusal's line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ageGate, birthDate, cents, countryCode } from '../../src/modules/imports/formats/rows.js';
import { importFormat, importUnits, type Unit } from '../../src/modules/imports/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { fixture, readRecordsForTest } from './fixtures.js';

describe('import formats', () => {
  it('reads Shopify customers: a registration, an SMS sign-up on "Accepts SMS Marketing", refusals with lines', async () => {
    const units = await readRecordsForTest('shopify-customers.csv', 'shopify-customers');
    assert.equal(units.length, 4);
    const [ada, bob, cid, dee] = units;
    assert.ok(ada && 'facts' in ada);
    assert.deepEqual(
      ada.facts.map((f) => (f.kind === 'collect' ? f.submission.type : f.kind)),
      ['registration', 'sms_signup'],
    );
    assert.ok(bob && 'facts' in bob && bob.facts.length === 1);
    assert.ok(cid && 'refused' in cid);
    assert.equal(cid.line, 4);
    assert.match(cid.refused.reason, /Email: missing/);
    assert.ok(dee && 'refused' in dee);
    assert.equal(dee.refused.code, 'VOW_IMPORT_MALFORMED');
    assert.equal(dee.line, 5);
  });

  it('groups a Shopify order’s line-item rows into one order', async () => {
    const units = await readRecordsForTest('shopify-orders.csv', 'shopify-orders');
    assert.equal(units.length, 3);
    const [first, , third] = units;
    assert.ok(first && 'facts' in first);
    assert.equal(first.line, 2);
    assert.equal(first.lastLine, 3);
    const f = first.facts[0]!;
    assert.ok(f.kind === 'collect' && f.submission.type === 'order');
    assert.equal((f.submission.body as { items: unknown[] }).items.length, 2);
    assert.equal((f.submission.body as { placed_at: string }).placed_at, '2025-03-01T10:00:00-05:00');
    assert.ok(third && 'refused' in third);
    assert.match(third.refused.reason, /total_cents/);
  });

  it('refuses the later rows of an order whose rows are not together, naming where it began', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-split-'));
    try {
      const [header, a1, a2, b] = readFileSync(fixture('shopify-orders.csv'), 'utf8').split('\n');
      const file = path.join(dir, 'sorted-by-sku.csv');
      // #1001's second line item after #1002: a file sorted by another column.
      writeFileSync(file, [header, a1, b, a2].join('\n'));
      const env = { policy: loadPolicy(), now: new Date('2026-01-01T00:00:00Z') };
      const units = [];
      for await (const u of importUnits(file, 'shopify-orders', env)) units.push(u);
      assert.deepEqual(
        units.map((u) => [u.line, 'refused' in u ? u.refused.code : 'order']),
        [
          [2, 'order'],
          [3, 'order'],
          [4, 'VOW_IMPORT_MALFORMED'],
        ],
      );
      const later = units[2]!;
      assert.ok('refused' in later);
      assert.match(later.refused.reason, /the same order began at line 2, with other orders between/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an order whole when one of its rows cannot be read, and lets such a row between orders stand alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-torn-'));
    try {
      const [header, a1, a2, b] = readFileSync(fixture('shopify-orders.csv'), 'utf8').split('\n');
      const unreadable = '#1001,olga.import@example.com,,,,,,,,,,,,,,2025-03-01 10:00:00 -0500,1,5" ring';
      const env = { policy: loadPolicy(), now: new Date('2026-01-01T00:00:00Z') };
      const read = async (name: string, lines: string[]) => {
        writeFileSync(path.join(dir, name), lines.join('\n'));
        const out: Unit[] = [];
        for await (const u of importUnits(path.join(dir, name), 'shopify-orders', env)) out.push(u);
        return out.map((u) => [u.line, u.lastLine, 'refused' in u ? u.refused.reason : 'order']);
      };
      const inside = await read('inside.csv', [header!, a1!, unreadable, a2!, b!]);
      assert.equal(inside.length, 2);
      assert.deepEqual(inside[0]!.slice(0, 2), [2, 4]);
      assert.match(
        String(inside[0]![2]),
        /^line 3 of this order cannot be read, so the order is refused whole rather than stored without it: a quote inside a value that is not quoted/,
      );
      assert.deepEqual(inside[1], [5, 5, 'order']);
      const twice = await read('twice.csv', [header!, a1!, unreadable, unreadable, a2!, b!]);
      assert.deepEqual(
        twice.map(([line, last]) => [line, last]),
        [
          [2, 5],
          [6, 6],
        ],
        'two unreadable rows inside one order',
      );
      // Past a hundred unreadable rows in a row, they are no order's items: memory stays bounded.
      const many = await read('many.csv', [header!, a1!, a2!, ...Array<string>(150).fill(unreadable), b!]);
      assert.equal(many.length, 152);
      assert.deepEqual(many[0], [2, 3, 'order']);
      assert.deepEqual(
        many.map(([line]) => line),
        many.map((_, i) => (i === 0 ? 2 : i + 3)),
        'one unit a line, in order',
      );
      const between = await read('between.csv', [header!, a1!, a2!, unreadable, unreadable, b!]);
      assert.deepEqual(
        between.map(([line, last, what]) => [line, last, what === 'order' ? 'order' : 'refused']),
        [
          [2, 3, 'order'],
          [4, 4, 'refused'],
          [5, 5, 'refused'],
          [6, 6, 'order'],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a header whatever the case of its column names', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-case-'));
    try {
      const env = { policy: loadPolicy(), now: new Date('2026-01-01T00:00:00Z') };
      const read = async (fixtureName: string, format: string, header: (h: string) => string) => {
        const [first, ...rest] = readFileSync(fixture(fixtureName), 'utf8').split('\n');
        const file = path.join(dir, `${format}.csv`);
        writeFileSync(file, [header(first!), ...rest].join('\n'));
        const out = [];
        for await (const u of importUnits(file, format, env)) out.push(u);
        return out;
      };
      const facts = (units: Unit[]) =>
        units.map((u) => ('facts' in u ? u.facts.map((f) => f.kind) : u.refused.code));
      for (const change of [(h: string) => h.toUpperCase(), (h: string) => h.toLowerCase()]) {
        assert.deepEqual(
          facts(await read('mailchimp-unsubscribed.csv', 'mailchimp', change)),
          facts(await readRecordsForTest('mailchimp-unsubscribed.csv', 'mailchimp')),
        );
        assert.deepEqual(
          facts(await read('shopify-customers.csv', 'shopify-customers', change)),
          facts(await readRecordsForTest('shopify-customers.csv', 'shopify-customers')),
        );
      }
      const upper = await read('mailchimp-unsubscribed.csv', 'mailchimp', (h) => h.toUpperCase());
      assert.ok(upper[0] && 'facts' in upper[0]);
      assert.equal(upper[0].facts[0]!.kind, 'withdraw', 'UNSUB_TIME tells the status, in any case');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells Mailchimp statuses from the file and refuses a child by the Birthday column', async () => {
    const unsub = await readRecordsForTest('mailchimp-unsubscribed.csv', 'mailchimp');
    assert.deepEqual(
      unsub.map((u) =>
        'facts' in u
          ? u.facts.map((f) => (f.kind === 'withdraw' ? f.withdrawal.why : f.kind))
          : u.refused.code,
      ),
      [['unsubscribed'], ['unsubscribed'], 'VOW_VALIDATION'],
    );
    const cleaned = await readRecordsForTest('mailchimp-cleaned.csv', 'mailchimp');
    assert.ok(cleaned[0] && 'facts' in cleaned[0]);
    assert.equal(cleaned[0].facts[0]!.kind === 'withdraw' && cleaned[0].facts[0]!.withdrawal.why, 'bounced');
    const subscribed = await readRecordsForTest('mailchimp-subscribed.csv', 'mailchimp');
    assert.ok(subscribed[0] && 'facts' in subscribed[0] && subscribed[0].facts[0]!.kind === 'note');
    assert.ok(subscribed[1] && 'refused' in subscribed[1]);
    assert.equal(subscribed[1].refused.code, 'VOW_UNDER_13');
  });

  it('maps Klaviyo consent and suppressions, and SMS opt-out lists', async () => {
    const k = await readRecordsForTest('klaviyo-profiles.csv', 'klaviyo');
    const kinds = k.map((u) =>
      'facts' in u
        ? u.facts.map((f) =>
            f.kind === 'withdraw' ? `${f.withdrawal.identifier.kind}:${f.withdrawal.why}` : f.kind,
          )
        : u.refused.code,
    );
    assert.deepEqual(kinds, [['email:unsubscribed'], ['email:bounced'], ['note'], ['phone:unsubscribed']]);
    const s = await readRecordsForTest('sms-optouts.csv', 'sms-optouts');
    assert.ok(s[0] && 'facts' in s[0] && s[0].facts[0]!.kind === 'withdraw');
    assert.ok(s[1] && 'facts' in s[1] && s[1].facts[0]!.kind === 'collect');
    assert.ok(s[2] && 'refused' in s[2]);
    assert.equal(s[2].line, 4);
  });

  it('checks NDJSON bodies with the endpoints’ schemas and the under-13 gate', async () => {
    const n = await readRecordsForTest('collections.ndjson', 'ndjson');
    assert.deepEqual(
      n.map((u) => ('facts' in u ? 'ok' : `${u.line}:${u.refused.code}`)),
      ['ok', '2:VOW_UNDER_13', '3:VOW_VALIDATION', '4:VOW_IMPORT_MALFORMED', 'ok'],
    );
  });

  it('reads amounts with a decimal point or comma and grouped thousands, and refuses what is ambiguous', () => {
    const read = (v: string) => cents(v);
    assert.deepEqual(
      ['129.99', '12,50', '12,5', '1,234', '1,234.56', '1.234,56', '1.234.567,89', '-3.50', ' 7.10 '].map(
        read,
      ),
      [12999, 1250, 1250, 123400, 123456, 123456, 123456789, -350, 710],
    );
    // "12,50" is twelve and a half, never 1,250; "1.234" could be either, so it is refused.
    for (const v of ['1.234', '12.345', '1,2345', '1,23,456', 'abc', '', '12.50 USD'])
      assert.equal(read(v), undefined, v);
  });

  it("reads birth dates in the lists' own forms: a birthday without its year tells no age", () => {
    assert.equal(birthDate('2010-03-15'), '2010-03-15');
    // Mailchimp's Birthday field is MM/DD: no year, no age, and no reason to refuse the row.
    assert.equal(birthDate('03/15'), null);
    assert.equal(birthDate('--03-15'), null);
    assert.equal(birthDate('03/15/2015'), '2015-03-15');
    assert.equal(birthDate('15.03.2015'), '2015-03-15');
    // Either order reads as a date: the later one (the younger person) is the one checked.
    assert.equal(birthDate('04/05/2015'), '2015-05-04');
    for (const v of ['2010-02-30', '13/13', '31/02/2015', 'March 15', '2015'])
      assert.equal(birthDate(v), undefined, v);
  });

  it('checks the younger reading of an ambiguous date against the under-13 gate (P14)', () => {
    const env = { policy: loadPolicy(), now: new Date('2026-03-01T00:00:00Z') };
    // 2 April 2013 (13 on 2 April 2026) or 4 February 2013 (13 already): refused.
    assert.equal(ageGate({ Birthday: '02/04/2013' }, env)?.code, 'VOW_UNDER_13');
    assert.equal(ageGate({ Birthday: '02/04/2012' }, env), undefined);
    assert.equal(ageGate({ Birthday: '02/04' }, env), undefined);
    assert.equal(ageGate({ Birthday: 'soon' }, env)?.code, 'VOW_VALIDATION');
  });

  it("imports a Mailchimp unsubscribed export whose Birthday column is Mailchimp's MM/DD", async () => {
    const units = await readRecordsForTest('mailchimp-unsubscribed-birthdays.csv', 'mailchimp');
    assert.deepEqual(
      units.map((u) => ('facts' in u ? u.facts.map((f) => f.kind) : u.refused.code)),
      [['withdraw'], ['withdraw'], 'VOW_VALIDATION'],
    );
  });

  it('reads countries by code or by name, so a national number with its country name is an opt-out (P11)', async () => {
    assert.deepEqual(
      [
        'US',
        'gb',
        'United States',
        'united  states',
        'USA',
        'UK',
        'Germany',
        'Côte d’Ivoire',
        'Hong Kong',
      ].map(countryCode),
      ['US', 'GB', 'US', 'US', 'US', 'GB', 'DE', 'CI', 'HK'],
    );
    // A name Vow does not know stays as written, for the schema to refuse by the field's name.
    assert.equal(countryCode('Narnia'), 'NARNIA');
    const units = await readRecordsForTest('klaviyo-country-names.csv', 'klaviyo');
    assert.deepEqual(
      units.map((u) =>
        'facts' in u && u.facts[0]?.kind === 'withdraw' ? u.facts[0].withdrawal.identifier : u,
      ),
      [
        { kind: 'phone', value: '(608) 265-3099', country: 'US' },
        { kind: 'phone', value: '07911 123456', country: 'GB' },
      ],
    );
  });

  it("reads numbers written for Excel (a leading apostrophe) and a country by name in Shopify's export", async () => {
    const [xena] = await readRecordsForTest('shopify-customers-excel.csv', 'shopify-customers');
    assert.ok(xena && 'facts' in xena, JSON.stringify(xena));
    const [registration, sms] = xena.facts.map((f) => (f.kind === 'collect' ? f.submission : undefined));
    assert.equal(registration?.type, 'registration');
    const body = registration?.body as {
      account_id: string;
      postal_address: { postal_code: string; country: string };
    };
    assert.equal(body.account_id, 'shopify:7101');
    assert.equal(body.postal_address.postal_code, '02134');
    assert.equal(body.postal_address.country, 'US');
    assert.ok(sms && sms.type === 'sms_signup');
    assert.equal((sms.body as { phone: string }).phone, '+16082653301');
  });

  it('refuses a collection dated in the future, and keeps a future opt-out but dates it now', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-future-'));
    try {
      const env = { policy: loadPolicy(), now: new Date('2026-01-01T00:00:00Z') };
      const read = async (name: string, format: string, text: string) => {
        writeFileSync(path.join(dir, name), text);
        const out = [];
        for await (const u of importUnits(path.join(dir, name), format, env)) out.push(u);
        return out;
      };
      const nd = await read(
        'future.ndjson',
        'ndjson',
        [
          { type: 'contest_entry', body: { email: 'f1@example.com' }, collected_at: '2026-01-02T00:00:00Z' },
          // Ten minutes of difference between the clocks are allowed.
          { type: 'contest_entry', body: { email: 'f2@example.com' }, collected_at: '2026-01-01T00:05:00Z' },
        ]
          .map((o) => JSON.stringify(o))
          .join('\n'),
      );
      assert.deepEqual(
        nd.map((u) => ('refused' in u ? u.refused.reason : 'ok')),
        ['collected_at: in the future', 'ok'],
      );
      const orders = await read(
        'orders_export.csv',
        'shopify-orders',
        'Name,Email,Created at,Lineitem quantity,Lineitem price,Total,Currency\n#9001,fut@example.com,2026-03-01 10:00:00 -0500,1,10.00,10.00,USD\n',
      );
      assert.equal('refused' in orders[0]! && orders[0].refused.reason, 'Created at: in the future');
      const unsub = await read(
        'unsubscribed.csv',
        'mailchimp',
        'Email Address,UNSUB_TIME\nlater.unsub@example.com,2027-06-01 10:00:00\n',
      );
      const fact = 'facts' in unsub[0]! ? unsub[0].facts[0] : undefined;
      assert.ok(fact?.kind === 'withdraw');
      assert.equal(fact.withdrawal.at?.toISOString(), env.now.toISOString());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file without the columns its format needs', async () => {
    await assert.rejects(readRecordsForTest('sms-optouts.csv', 'shopify-customers'), {
      code: 'VOW_IMPORT_COLUMNS',
    });
    assert.throws(() => importFormat('csv'), { code: 'VOW_IMPORT_UNKNOWN_FORMAT' });
  });
});
