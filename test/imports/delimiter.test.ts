// A CSV's delimiter is told from its header line (src/modules/imports/delimiter.ts): commas (the
// exports of Shopify, Mailchimp, Klaviyo), semicolons (Excel where the decimal mark is a comma) and
// tabs are read alike; a delimiter inside a quoted header name does not count.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { delimiterOfHeader } from '../../src/modules/imports/delimiter.js';
import { importUnits } from '../../src/modules/imports/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-delimiter-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('an import file’s delimiter', () => {
  it('is the candidate found most often outside quotes in the header, a comma when none is', () => {
    assert.equal(delimiterOfHeader('Email,First Name,Last Name\na;b;c;d;e'), ',');
    assert.equal(delimiterOfHeader('Email;First Name;"Total, incl. tax"\r\n'), ';');
    assert.equal(delimiterOfHeader('Email\tFirst Name\tLast Name'), '\t');
    assert.equal(delimiterOfHeader('"a;b;c",Email'), ',');
    assert.equal(delimiterOfHeader('Email'), ',');
    assert.equal(delimiterOfHeader('\uFEFF\r\n\r\nEmail;First Name\r\n'), ';');
  });

  it('reads the same customers from comma, semicolon and tab separated files', async () => {
    const rows = [
      ['First Name', 'Last Name', 'Email', 'Accepts Email Marketing', 'Total Spent'],
      ['Ann', 'A', 'ann.delim@example.com', 'yes', '12,50'],
      ['Bob', 'B', '', 'no', '0,00'],
    ];
    const env = { policy: loadPolicy(), now: new Date('2026-01-01T00:00:00Z') };
    const read = async (name: string, sep: string) => {
      const file = path.join(dir, name);
      const quote = (v: string) => (v.includes(sep) ? `"${v}"` : v);
      writeFileSync(file, `${rows.map((r) => r.map(quote).join(sep)).join('\n')}\n`);
      const out = [];
      for await (const u of importUnits(file, 'shopify-customers', env))
        out.push('refused' in u ? [u.line, u.refused.reason] : [u.line, u.facts.length]);
      return out;
    };
    const expected = [
      [2, 1],
      [3, 'Email: missing (a registration needs one)'],
    ];
    assert.deepEqual(await read('comma.csv', ','), expected);
    assert.deepEqual(await read('semicolon.csv', ';'), expected);
    assert.deepEqual(await read('tab.tsv', '\t'), expected);
  });
});
