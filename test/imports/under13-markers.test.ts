// Someone staff marked as under 13 (P14) in an imported file: their row is refused with its line and
// nothing of it kept, the file's other rows imported; the markers are read once a batch, inside its
// transaction (the check that counts), not a second time before it (a statement and ~90 KB of array
// literal a batch of 1,000 on PostgreSQL).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { pgStatements } from '../helpers/pg-statements.js';

const HEADER =
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags';
const row = (id: number, email: string) => `${id},Kim,Row${id},${email},yes,,,,,,,,,,no,0.00,0,,no,`;

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vow-import-markers-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describeEachDialect('an import meeting someone marked under 13', (env) => {
  it('refuses their row with its line, keeps nothing of it, and imports the rest', async () => {
    const { services } = env();
    await services.collection.collectBatch([
      { type: 'contest_entry', body: { email: 'marked.kid@example.com' } },
    ]);
    const kid = await services.subjects.findByEmail('marked.kid@example.com');
    assert.ok(kid);
    await services.subjects.markUnder13(kid, { type: 'staff', id: 'test' });
    const file = path.join(dir, `customers-${env().dialect}.csv`);
    writeFileSync(
      file,
      `${[HEADER, row(1, 'before.kid@example.com'), row(2, 'Marked.Kid@example.com'), row(3, 'after.kid@example.com')].join('\n')}\n`,
    );
    const report = await services.imports.run({ file, format: 'shopify-customers' });
    assert.deepEqual(
      report.refusals.map((r) => [r.line, r.code]),
      [[3, 'VOW_UNDER_13']],
    );
    assert.deepEqual(report.counts.collected, { registration: 2 });
    assert.ok(await services.subjects.findByEmail('before.kid@example.com'));
    assert.ok(await services.subjects.findByEmail('after.kid@example.com'));
    assert.equal(await services.subjects.findByEmail('marked.kid@example.com'), undefined);
  });

  it('reads the markers once a batch, in its transaction [postgres]', async (t) => {
    if (env().dialect !== 'postgres') return t.skip('PostgreSQL only: statements are round trips there');
    const file = path.join(dir, 'counted.csv');
    writeFileSync(
      file,
      `${[HEADER, ...Array.from({ length: 5 }, (_, n) => row(10 + n, `counted.${n}@example.com`))].join('\n')}\n`,
    );
    const { result: report, sent } = await pgStatements(() =>
      env().services.imports.run({ file, format: 'shopify-customers' }),
    );
    assert.deepEqual(report.counts.collected, { registration: 5 });
    const texts = sent.map((s) => s.text);
    const reads = texts.filter((text) => text.includes('"under13_markers"'));
    assert.equal(reads.length, 1, reads.join('\n---\n'));
    assert.match(reads[0]!, /^with /, 'read with the inserts');
  });
});
