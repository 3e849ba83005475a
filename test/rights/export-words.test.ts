// What My data and the access export tell a shopper about their data, without a browser: every
// column Vow's own dataset holds is named in the shopper's language (the Spanish page once read
// "Items" and "Buyer name" among its Spanish labels), how long each kind is kept gives the policy's
// reason in that language too (it stayed English under a Spanish heading), an amount is written as
// money in the record's currency ("$499.50", not "499.50"), and each kind of information names who
// it is shared with (GDPR art. 15(1)(c)), on the page, in the JSON and in the CSV; a form's fields
// name each kind of information once (a checkout's billing and shipping addresses were two lines of
// "Postal address"), and a country reads as its name ("País: US" was the code).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { PLAIN_WORDS } from '../../src/http/pages/i18n/plain-data.js';
import { plainData, plainDataCsv, type StoredValue, wordedAmount } from '../../src/http/pages/plain-data.js';
import { plainDataView } from '../../src/http/pages/plain-data-view.js';
import {
  buildNotice,
  categoryName,
  loadPolicy,
  purposeName,
  recipientName,
} from '../../src/modules/policy/index.js';
import { LOCALES } from '../../src/platform/i18n/index.js';

const policy = loadPolicy();
const GENERATED = '2026-12-06T10:00:00Z';

interface ColumnSpec {
  readonly category?: string;
  readonly json_fields?: Readonly<Record<string, { readonly category?: string }>>;
}

/** Every column of Vow's own dataset, and every key of a sealed JSON column as the walker names it. */
function vowColumns(): { table: string; column: string; category: string }[] {
  const doc = YAML.parse(readFileSync(new URL('../../datasets/vow.yaml', import.meta.url), 'utf8')) as {
    tables: Record<string, { columns?: Record<string, ColumnSpec> }>;
  };
  const out: { table: string; column: string; category: string }[] = [];
  for (const [table, t] of Object.entries(doc.tables))
    for (const [column, spec] of Object.entries(t.columns ?? {})) {
      // A column of JSON fields is reported by its fields only (the walker's `column.key`).
      if (!spec.json_fields) out.push({ table, column, category: spec.category ?? 'identity.name' });
      for (const [key, f] of Object.entries(spec.json_fields ?? {}))
        out.push({
          table,
          column: `${column}.${key}`,
          category: f.category ?? spec.category ?? 'identity.name',
        });
    }
  return out;
}

const order = (currency: string | undefined): StoredValue[] => {
  const at = { dataset: 'vow', table: 'orders', row: 'o1', category: 'commerce.order_history', purposes: [] };
  return [
    { ...at, column: 'shop_order_id', value: 'SO-1' },
    { ...at, column: 'total_cents', value: 123450 },
    {
      ...at,
      column: 'items',
      value: JSON.stringify([{ sku: 'RING-1', quantity: 1, unit_price_cents: 49950 }]),
    },
    ...(currency ? [{ ...at, column: 'currency', value: currency }] : []),
  ];
};

describe('the words of My data and the export', () => {
  it("names every column of Vow's own data in each language, none worded from its key", () => {
    for (const locale of LOCALES) {
      const w = PLAIN_WORDS[locale];
      // The catalog's words, or the policy's name of a kind of information (a contact detail's).
      const known = new Set(
        [
          ...Object.values(w.columns),
          ...Object.keys(policy.doc.categories).map((c) => categoryName(policy, c, locale)),
        ].map((x) => x.toLowerCase()),
      );
      const unnamed: string[] = [];
      for (const c of vowColumns()) {
        const data = plainData(
          policy,
          [
            {
              dataset: 'vow',
              table: c.table,
              column: c.column,
              row: 'r1',
              category: c.category,
              purposes: [],
              value: 'x',
            },
          ],
          GENERATED,
          {},
          locale,
        );
        // Hidden columns (the password's hash, the email's fingerprint) give no field at all.
        for (const f of data.sections.flatMap((s) => s.records.flatMap((r) => r.fields)))
          if (!f.label.split(': ').every((part) => known.has(part.toLowerCase())))
            unnamed.push(`${c.table}.${c.column} → ${f.label}`);
      }
      assert.deepEqual(unnamed, [], `${locale}: every label is the catalog's`);
    }
  });

  it("says how long each kind is kept with the policy's reason in the shopper's language", () => {
    const translated = policy.doc.translations['es-US']?.retention_reasons ?? {};
    const data = plainData(policy, order('USD'), GENERATED, {}, 'es-US');
    const kept = data.sections[0]?.keptFor ?? '';
    const rule = policy.doc.retention.find(
      (r) => r.category === 'commerce.order_history' && !r.subject_kinds,
    );
    assert.ok(rule && translated[rule.reason], 'the default policy translates the reason');
    assert.ok(kept.includes(translated[rule.reason]!), kept);
    assert.ok(!kept.includes(rule.reason), `no English reason in: ${kept}`);
    assert.ok(kept.startsWith('Se conserva 7 años'), kept);
    const english = plainData(policy, order('USD'), GENERATED, {}, 'en-US').sections[0]?.keptFor ?? '';
    assert.ok(english.includes(rule.reason), english);
  });

  it("writes an amount as money in the record's currency, in the shopper's language", () => {
    for (const locale of LOCALES) {
      const fields =
        plainData(policy, order('USD'), GENERATED, {}, locale).sections[0]?.records[0]?.fields ?? [];
      const value = (label: string) => fields.find((f) => f.label === label)?.value;
      const w = PLAIN_WORDS[locale].columns;
      assert.equal(value(w.total_cents!), '$1,234.50', locale);
      assert.match(value(w.items!) ?? '', /\$499\.50/, locale);
    }
    const euros = plainData(policy, order('EUR'), GENERATED, {}, 'en-US').sections[0]?.records[0]?.fields;
    assert.equal(euros?.find((f) => f.label === 'Total')?.value, '€1,234.50');
    const none = plainData(policy, order(undefined), GENERATED, {}, 'en-US').sections[0]?.records[0]?.fields;
    assert.equal(none?.find((f) => f.label === 'Total')?.value, '1,234.50', 'no currency: the number alone');
    assert.equal(wordedAmount(5, 'es-US', 'not a code'), '0.05');
  });

  it('names who each kind of information is shared with, and says so when it is no one', () => {
    const consent: StoredValue = {
      dataset: 'vow',
      table: 'consent_events',
      column: 'event',
      row: 'c1',
      category: 'consent.history',
      purposes: [],
      value: 'enrolled',
    };
    for (const locale of LOCALES) {
      const w = PLAIN_WORDS[locale];
      const data = plainData(policy, [...order('USD'), consent], GENERATED, {}, locale);
      const orders = data.sections.find((s) => s.records[0]?.fields.some((f) => f.value === 'SO-1'));
      const recipients = Object.entries(policy.doc.recipients)
        .filter(([, r]) => r.categories.includes('commerce.order_history'))
        .map(([id]) => ({ name: recipientName(policy, id, locale) }));
      assert.ok(recipients.length > 0, 'the default policy gives order history to someone');
      for (const r of recipients)
        assert.ok(
          orders?.sharedWith?.some((line) => line.startsWith(`${r.name} (`)),
          `${locale}: ${r.name} in ${orders?.sharedWith}`,
        );
      const history = data.sections.find((s) =>
        s.records[0]?.fields.some((f) => f.label === w.columns.event),
      );
      assert.deepEqual(history?.sharedWith, [], `${locale}: consent history goes to no one`);

      const page = String(plainDataView(data, '', locale));
      assert.ok(page.includes(w.sharedWithLabel), locale);
      assert.ok(page.includes(w.sharedWithNoOne), locale);
      const csv = plainDataCsv(data, locale).split('\r\n');
      assert.ok(csv[0]?.includes(w.csvHeader.at(-1)!), `${locale}: the CSV has the column`);
      assert.ok(
        csv.some((l) => l.includes(recipients[0]!.name)),
        `${locale}: the CSV names the recipient`,
      );
      assert.ok(
        csv.some((l) => l.endsWith(`"${w.sharedWithNoOne}"`)),
        `${locale}: and no one`,
      );
    }
  });

  it('names each kind of information a form held once, with all it was for, and a country by its name', () => {
    const trace: StoredValue = {
      dataset: 'vow',
      table: 'subject_records',
      column: 'fields',
      row: 't1',
      category: 'identity.collection_trace',
      purposes: [],
      // Stored as JSON text, as the walker reads it.
      value: JSON.stringify({
        billing_address: { category: 'contact.postal_address', purposes: ['order.payment'] },
        shipping_address: {
          category: 'contact.postal_address',
          purposes: ['order.fulfilment', 'order.payment'],
        },
        email: { category: 'contact.email', purposes: ['order.payment'] },
      }),
    };
    const address: StoredValue = {
      dataset: 'vow',
      table: 'subject_identifiers',
      column: 'sealed_value',
      row: 'a1',
      category: 'contact.postal_address',
      purposes: [],
      value: JSON.stringify({ line1: '4 Long Meadow Road', city: 'Franklin', country: 'US' }),
    };
    for (const [locale, country] of [
      ['en-US', 'Country: United States'],
      ['es-US', 'País: Estados Unidos'],
    ] as const) {
      const data = plainData(policy, [trace, address], GENERATED, {}, locale);
      const fields = data.sections.flatMap((s) => s.records.flatMap((r) => r.fields));
      const held = fields.find((f) => f.label === PLAIN_WORDS[locale].columns.fields);
      const postal = categoryName(policy, 'contact.postal_address', locale);
      const lines = held?.parts ?? [];
      assert.equal(lines.length, 2, `${locale}: ${lines.join(' | ')}`);
      assert.equal(
        lines[0],
        `${postal} (${purposeName(policy, 'order.payment', locale)}, ${purposeName(policy, 'order.fulfilment', locale)})`,
      );
      assert.ok(
        fields.some((f) => f.value.includes(country)),
        `${locale}: ${fields.map((f) => f.value).join(' | ')}`,
      );
    }
  });

  it("names a recipient in the Spanish of the policy's translation, on My data and in the notice", () => {
    const english = new Set(Object.values(policy.doc.recipients).map((r) => r.name));
    const spanish = Object.keys(policy.doc.recipients).map((id) => recipientName(policy, id, 'es-US'));
    assert.ok(spanish.includes('Procesador de pagos'), spanish.join(', '));
    // Only a proper name (Google Analytics) reads the same in both.
    assert.deepEqual(
      spanish.filter((n) => english.has(n)),
      ['Google Analytics'],
    );
    assert.deepEqual(
      buildNotice(policy, 'es-US').recipients.map((r) => r.name),
      spanish,
    );
    const data = plainData(policy, order('USD'), GENERATED, {}, 'es-US');
    for (const line of data.sections[0]?.sharedWith ?? [])
      assert.ok(!english.has(line.split(' (')[0]!), `no English name in: ${line}`);
  });

  it('names each contact detail by what it is, not "Value"', () => {
    const at = { dataset: 'vow', table: 'subject_identifiers', column: 'sealed_value', purposes: [] };
    for (const locale of LOCALES) {
      const data = plainData(
        policy,
        [
          { ...at, row: 'i1', category: 'contact.email', value: 'sam@example.com' },
          { ...at, row: 'i2', category: 'contact.phone', value: '+16085550100' },
        ],
        GENERATED,
        {},
        locale,
      );
      assert.deepEqual(
        data.sections[0]?.records.map((r) => r.fields[0]?.label),
        [categoryName(policy, 'contact.email', locale), categoryName(policy, 'contact.phone', locale)],
        locale,
      );
    }
  });
});
