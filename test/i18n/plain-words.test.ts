// The words of "My data" and the export page: each locale names every table, column and value the
// other names. A column only Spanish named was worded from its key in English ("Sku: STUDS-1",
// "Line2: Apt 4").
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PLAIN_WORDS } from '../../src/http/pages/i18n/plain-data.js';
import { worded } from '../../src/http/pages/plain-data.js';

it('names the same tables, columns and values in every locale', () => {
  const locales = Object.keys(PLAIN_WORDS) as (keyof typeof PLAIN_WORDS)[];
  for (const part of ['tables', 'columns', 'values'] as const) {
    const all = new Set(locales.flatMap((l) => Object.keys(PLAIN_WORDS[l][part])));
    for (const l of locales)
      assert.deepEqual(
        [...all].filter((k) => !(k in PLAIN_WORDS[l][part])),
        [],
        `${l} names every ${part} key another locale names`,
      );
  }
  assert.equal(PLAIN_WORDS['en-US'].columns.sku, 'Item number');
  assert.equal(PLAIN_WORDS['en-US'].columns.line2, 'Address (line 2)');
  assert.equal(worded('line2'), 'Line2', 'what a key left unnamed would read as');
});
