// `vow import`'s exit code, run as the real command on each store: 0 when every row was taken, 3
// when the run finished with rows refused (dry run or not, and a finished file run again, whose
// refused rows are still out), 1 when the run stopped. Scripts and CI read it; where every row
// refused exited 0 before. Each run is a process of its own (about 1.4 s of CPU: the import's worker
// thread loads the app), so a file serves as many cases as it can: 8 runs per store, not 9.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

const HEADER = 'Email Address,UNSUB_TIME';
const row = (email: string) => `${email},2025-04-01 08:00:00`;

for (const dialect of testDialects()) {
  describe(`vow import's exit code [${dialect}]`, () => {
    let store: CommandStore;
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-exit-'));
    const file = (name: string, rows: string[]) => {
      const f = path.join(dir, name);
      writeFileSync(f, `${[HEADER, ...rows].join('\n')}\n`);
      return f;
    };
    const vow = (...args: string[]) => runVow(['import', ...args, '--format', 'mailchimp'], store.env);
    before(async () => {
      store = await commandStore(dialect);
    });
    after(async () => {
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('every row taken: 0, dry run and import, and 0 again for the file imported before', async () => {
      const f = file('all-taken.csv', [row('taken1@example.com'), row('taken2@example.com')]);
      const dry = await vow(f, '--dry-run');
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /^ {2}0 rows refused$/m);
      const real = await vow(f);
      assert.equal(real.code, 0, real.stderr);
      assert.match(real.stdout, /2 unsubscribes recorded/);
      const again = await vow(f);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /Imported before/);
    });

    // One file for the dry run with refused rows and the import after it: the dry run must write no
    // run, so the import that follows is neither the file imported before nor a resumed one.
    it('some rows refused: 3 for the dry run (nothing written), 3 for the import (the rest imported, each refused row named with its line), 3 again for the file imported before', async () => {
      const f = file('some-refused.csv', [
        row('some1@example.com'),
        row('not-an-address'),
        row('some2@example.com'),
      ]);
      const dry = await vow(f, '--dry-run');
      assert.equal(dry.code, 3, dry.stderr);
      assert.match(dry.stdout, /dry run, nothing written/);
      assert.match(dry.stderr, /^line 3: VOW_VALIDATION /m);
      const r = await vow(f);
      assert.equal(r.code, 3, r.stderr);
      assert.doesNotMatch(r.stderr, STACK_FRAME);
      assert.match(r.stderr, /^line 3: VOW_VALIDATION email: not a valid email address$/m);
      assert.match(r.stdout, /2 unsubscribes recorded/);
      assert.match(r.stdout, /^ {2}1 row refused \(each with its line and reason on stderr; exit code 3\)$/m);
      // The report's alreadyImported (false) and resumedFromLine (0), as the command prints them.
      assert.doesNotMatch(r.stdout, /Imported before/, 'the dry run wrote no run');
      assert.doesNotMatch(r.stdout, /Resumed after line/);
      const json = await vow(f, '--json');
      assert.equal(json.code, 3, 'the file imported before still has its refused row');
      const report = JSON.parse(json.stdout) as { alreadyImported: boolean; counts: { refused: number } };
      assert.equal(report.alreadyImported, true);
      assert.equal(report.counts.refused, 1);
    });

    it('every row refused: 3', async () => {
      const r = await vow(file('all-refused.csv', [row('nobody'), row('no-one')]), '--json');
      assert.equal(r.code, 3, r.stderr);
      const report = JSON.parse(r.stdout) as { counts: { units: number; refused: number } };
      assert.deepEqual([report.counts.units, report.counts.refused], [2, 2]);
    });

    it('a run that stops keeps exit code 1: a file refused whole', async () => {
      const f = path.join(dir, 'no-header.csv');
      writeFileSync(f, 'First Name,Last Name\nA,B\n');
      const r = await vow(f, '--dry-run');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^VOW_IMPORT_COLUMNS: /m);
    });
  });
}
