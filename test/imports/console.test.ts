// The imports pages of the console: the runs with their files, formats and counts, one run with
// what it wrote and its refused rows (100 a page, by line), an unfinished run's checkpoint, for
// admins and the privacy officer only. A run is named by its format and SHA-256, never by the name
// its file was given (test/imports/run-names.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { ImportService } from '../../src/modules/imports/index.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { fixture } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-console-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The text of an HTML fragment's cells, row by row, for a table with this data-testid. */
function table(body: string, testid: string): string[][] {
  const t = new RegExp(`<table[^>]* data-testid="${testid}">([\\s\\S]*?)</table>`).exec(body)?.[1] ?? '';
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(t)?.[1] ?? '';
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      c[1]!
        .replace(/<br>/g, ' ')
        .replace(/<[^>]+>/g, '')
        .trim(),
    ),
  );
}

describeEachDialect(
  'the imports pages of the console',
  (env) => {
    const page = async (url: string, roles: string[] = ['admin']) => {
      const who = await staffCaller(env(), roles);
      return env().app.inject({ method: 'GET', url, headers: { ...who.headers, accept: 'text/html' } });
    };

    it('lists the runs, and shows one with what it wrote and its refused rows', async () => {
      const report = await env().services.imports.run({
        file: fixture('shopify-customers.csv'),
        format: 'shopify-customers',
      });
      const list = await page('/staff/imports');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(table(list.body, 'import-runs')[0]?.slice(1), [
        `shopify-customers-${report.sha256.slice(0, 12)} Shopify customers`,
        'done',
        '4 read, 2 refused',
      ]);
      const run = await page(`/staff/imports/${report.runId}`);
      assert.equal(run.statusCode, 200);
      assert.match(run.body, new RegExp(report.sha256));
      assert.match(run.body, /2 collected as registration/);
      assert.match(run.body, /1 collected as sms signup/);
      assert.deepEqual(table(run.body, 'import-refusals'), [
        ['4', 'VOW_VALIDATION', 'Email: missing (a registration needs one)'],
        ['5', 'VOW_IMPORT_MALFORMED', 'not as many columns as the header'],
      ]);
    });

    it('pages through refused rows 100 at a time', async () => {
      const file = path.join(dir, `bad-${env().dialect}.ndjson`);
      writeFileSync(file, `${Array.from({ length: 150 }, (_, i) => `not json ${i}`).join('\n')}\n`);
      const report = await env().services.imports.run({ file, format: 'ndjson' });
      const first = await page(`/staff/imports/${report.runId}`);
      const rows = table(first.body, 'import-refusals');
      assert.equal(rows.length, 100);
      assert.equal(rows[99]![0], '100');
      assert.match(
        first.body,
        new RegExp(`href="/staff/imports/${report.runId}\\?after=100">Next refused rows`),
      );
      const second = await page(`/staff/imports/${report.runId}?after=100`);
      assert.deepEqual(
        table(second.body, 'import-refusals').map((r) => r[0]),
        Array.from({ length: 50 }, (_, i) => String(101 + i)),
      );
      assert.doesNotMatch(second.body, /Next refused rows/);
      assert.match(second.body, /First refused rows/);
    });

    it('says where an unfinished run stopped and how it goes on', async () => {
      const file = path.join(dir, `stopped-${env().dialect}.ndjson`);
      const entries = Array.from({ length: 25 }, (_, i) =>
        JSON.stringify({
          type: 'contest_entry',
          body: { email: `stopped.${env().dialect}.${i}@example.com` },
        }),
      );
      writeFileSync(file, `${entries.join('\n')}\n`);
      const failing = new ImportService(env().ctx, env().services.collection, env().services.consent, {
        beforeCommit: (n) => {
          if (n === 2) throw new Error('injected crash');
        },
      });
      await assert.rejects(failing.run({ file, format: 'ndjson', batchSize: 10 }), /injected crash/);
      const stopped = (await env().services.imports.runs()).find((r) => r.status === 'running')!;
      const res = await page(`/staff/imports/${stopped.id}`);
      assert.match(res.body, /Not finished<\/strong>: written up to line 10\./);
      assert.match(res.body, /importing the same file again continues from there/);
    });

    it('is for admins and the privacy officer; an unknown run is a 404 page', async () => {
      assert.equal((await page('/staff/imports', ['customer_service'])).statusCode, 403);
      assert.equal((await page('/staff/imports', ['privacy_officer'])).statusCode, 200);
      const missing = await page('/staff/imports/no-such-run');
      assert.equal(missing.statusCode, 404);
      assert.match(missing.headers['content-type'] as string, /^text\/html/);
    });
  },
  { auth: 'enforced' },
);
