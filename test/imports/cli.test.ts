// `vow import` on the command line: the dry run's report and every refused row with its line; the
// import; the second run saying nothing changed; progress lines (not a TTY) on their own stream.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { progressPrinter, workerStopped } from '../../src/cli/import.js';
import { cliEnvironment } from '../helpers/cli.js';
import { fixture } from './fixtures.js';

describe('vow import', () => {
  const { run: vow } = cliEnvironment('import-cli');

  it('dry-runs, imports, then finds the file imported before', async () => {
    const file = fixture('shopify-customers.csv');
    const dry = await vow('import', file, '--format', 'shopify-customers', '--dry-run');
    assert.equal(dry.code, 3, 'rows refused: exit code 3, dry run or not');
    assert.match(dry.out, /dry run, nothing written/);
    assert.match(dry.out, /^4 rows read\.$/m);
    assert.match(dry.out, /2 would be collected as registration/);
    assert.match(dry.out, /1 would be collected as sms_signup/);
    assert.match(dry.err, /line 4: VOW_VALIDATION Email: missing/);
    assert.match(dry.err, /line 5: VOW_IMPORT_MALFORMED/);
    const real = await vow('import', file, '--format', 'shopify-customers');
    assert.equal(real.code, 3);
    assert.match(real.out, /^ {2}2 rows refused \(each with its line and reason on stderr; exit code 3\)$/m);
    assert.match(real.out, /2 were collected as registration/);
    assert.match(real.out, /1 was collected as sms_signup/);
    const again = await vow('import', file, '--format', 'shopify-customers');
    assert.match(again.out, /Imported before/);
    assert.equal(again.code, 3, 'the file still has its refused rows');
    assert.match(again.err, /line 4: /, 'the refused rows are shown again');
  });

  it('exits 1 with VOW_IMPORT_FILE on a file it cannot read', async () => {
    const missing = await vow(
      'import',
      path.join(tmpdir(), 'no-such-export.csv'),
      '--format',
      'shopify-customers',
    );
    assert.equal(missing.code, 1);
    assert.match(missing.err, /VOW_IMPORT_FILE: Cannot read no-such-export\.csv: no such file/);
    const folder = await vow('import', tmpdir(), '--format', 'shopify-customers');
    assert.equal(folder.code, 1);
    assert.match(folder.err, /VOW_IMPORT_FILE: .*it is a folder/);
  });

  it('exits 1 with a code and the line, no stack trace, on a quote never closed or a line of megabytes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-cli-'));
    try {
      const unclosed = path.join(dir, 'unclosed.csv');
      writeFileSync(
        unclosed,
        'Email,First Name,Last Name,Accepts Email Marketing\na@example.com,"A,B,no\nb@example.com,B,C,no\n',
      );
      const q = await vow('import', unclosed, '--format', 'shopify-customers', '--dry-run');
      assert.equal(q.code, 1);
      assert.match(
        q.err,
        /^VOW_IMPORT_QUOTES: unclosed\.csv, line 2: a quoted value opens here and never closes/m,
      );
      assert.doesNotMatch(q.err, /\n\s+at /, 'no stack trace');
      const long = path.join(dir, 'one-line.ndjson');
      writeFileSync(long, `{"type":"registration","body":{"name":"${'x'.repeat(1024 * 1024)}"}}\n`);
      const l = await vow('import', long, '--format', 'ndjson');
      assert.equal(l.code, 1);
      assert.match(l.err, /^VOW_IMPORT_LINE_TOO_LONG: one-line\.ndjson, line 1: longer than 1 MiB/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in words, with a stable code, that the import thread died (out of memory, or exited)', () => {
    const oom = workerStopped(Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
    assert.equal(oom.code, 'VOW_INTERNAL');
    assert.match(
      oom.message,
      /ran out of the memory its thread may use \(128 MB\)\. The batches committed before stay/,
    );
    const exited = workerStopped(3);
    assert.equal(exited.code, 'VOW_INTERNAL');
    assert.match(exited.message, /stopped before it finished \(exit code 3\)/);
  });

  it('exits 1 on an unknown format', async () => {
    const r = await vow('import', fixture('collections.ndjson'), '--format', 'excel');
    assert.equal(r.code, 1);
    assert.match(r.err, /VOW_IMPORT_UNKNOWN_FORMAT/);
  });

  it('prints progress as plain lines at most every 5 s off a terminal, and redraws a bar on one', () => {
    const lines: string[] = [];
    let now = 0;
    const plain = progressPrinter({ isTTY: false, write: (s) => lines.push(s) }, () => now);
    const p = { line: 50, totalLines: 100, units: 50, elapsedMs: 1000 };
    now = 6000;
    plain(p);
    now = 7000;
    plain(p);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /50 rows · line 50\/100 · 50 rows\/s · ETA 1 s\n/);
    const bar: string[] = [];
    progressPrinter({ isTTY: true, write: (s) => bar.push(s) }, () => now)(p);
    assert.match(bar[0]!, /^\r\[#{12}\.{12}\]/);
  });
});
