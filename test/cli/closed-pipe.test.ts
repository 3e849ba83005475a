// `vow … | head -1`: the reader of the command's output goes away before the command is done. The
// output is dropped and the command finishes (an import all its rows) with its own exit code, where
// the EPIPE crashed it with a stack trace, mid-import.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

describe('vow: output to a closed pipe', () => {
  it('--help and a long notice exit 0 without a stack trace', async () => {
    for (const args of [['--help'], ['policy', 'notice', '--format', 'json']]) {
      const r = await runVow(args, {}, { stdoutClosed: true });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, STACK_FRAME);
      assert.doesNotMatch(r.stderr, /EPIPE/);
    }
  });
});

for (const dialect of testDialects()) {
  describe(`vow import with its output closed [${dialect}]`, () => {
    let store: CommandStore;
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-pipe-'));
    const file = path.join(dir, 'unsubscribed.csv');
    before(async () => {
      store = await commandStore(dialect);
      // 600 unsubscribes and 600 rows refused (each printed on stderr as it is found).
      const rows = ['Email Address,UNSUB_TIME'];
      for (let i = 0; i < 600; i++) {
        rows.push(`pipe${i}@example.com,2025-04-01 08:00:00`);
        rows.push(`not-an-address-${i},2025-04-01 08:00:00`);
      }
      writeFileSync(file, `${rows.join('\n')}\n`);
    });
    after(async () => {
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports every row and exits 3 (rows were refused)', async () => {
      const r = await runVow(['import', file, '--format', 'mailchimp'], store.env, {
        stdoutClosed: true,
        stderrClosed: true,
      });
      assert.equal(r.code, 3);
      const again = await runVow(['import', file, '--format', 'mailchimp', '--json'], store.env);
      assert.equal(again.code, 3, again.stderr);
      assert.doesNotMatch(again.stderr, STACK_FRAME);
      const report = JSON.parse(again.stdout) as {
        alreadyImported: boolean;
        counts: { units: number; refused: number; withdrawn: { unsubscribed: number } };
      };
      assert.equal(report.alreadyImported, true, 'the first run finished');
      assert.equal(report.counts.units, 1200);
      assert.equal(report.counts.refused, 600);
      assert.equal(report.counts.withdrawn.unsubscribed, 600);
    });
  });
}
