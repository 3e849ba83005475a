// Mistakes on the `vow` command line, run as the real command: each is one line on stderr naming
// VOW_USAGE and the help to read, exit 1, no stack trace, and nothing written to the store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

function assertUsage(r: { code: number | null; stderr: string }, command: string, what: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, STACK_FRAME);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, new RegExp(`^VOW_USAGE: ${command}: `));
  assert.match(lines[0]!, what);
  assert.ok(lines[0]!.endsWith(`See \`${command} --help\`.`), lines[0]);
}

describe('vow: command-line mistakes', () => {
  it('an unknown command, subcommand or option, an extra or missing argument: one VOW_USAGE line each', async () => {
    const env = {};
    assertUsage(await runVow(['bogus'], env), 'vow', /unknown command 'bogus'/);
    assertUsage(
      await runVow(['staff', 'lst'], env),
      'vow staff',
      /unknown command 'lst' \(Did you mean list\?\)/,
    );
    assertUsage(await runVow(['migrate', '--bogus'], env), 'vow migrate', /unknown option '--bogus'/);
    assertUsage(await runVow(['audit', 'verify', 'extra'], env), 'vow audit verify', /too many arguments/);
    assertUsage(
      await runVow(['policy', 'check'], env),
      'vow policy check',
      /missing required argument 'file'/,
    );
    assertUsage(await runVow(['staff', 'add', 'ann', '--roles'], env), 'vow staff add', /argument missing/);
    assertUsage(
      await runVow(['import', 'x.csv'], env),
      'vow import',
      /required option '-f, --format <format>'/,
    );
  });

  it('a command that needs a subcommand, run without one: its list, then a VOW_USAGE line', async () => {
    const r = await runVow(['staff'], {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Usage: vow staff/);
    assert.match(r.stderr.trim().split('\n').at(-1)!, /^VOW_USAGE: a command is missing/);
  });

  it('--help still prints the help on stdout and exits 0', async () => {
    const r = await runVow(['staff', 'add', '--help'], {});
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: vow staff add \[options\] <username>/);
    assert.equal(r.stderr, '');
  });
});

for (const dialect of testDialects()) {
  describe(`vow: an option given twice [${dialect}]`, () => {
    let store: CommandStore;
    before(async () => {
      store = await commandStore(dialect);
    });
    after(async () => {
      await store.drop();
    });

    it('is refused before anything is written, where the last one silently won', async () => {
      const r = await runVow(['staff', 'add', 'carl', '--roles', 'admin', '--roles', 'auditor'], store.env);
      assertUsage(r, 'vow staff add', /option '-r, --roles <roles>' is given more than once/);
      const list = await runVow(['staff', 'list'], store.env);
      assert.equal(list.code, 0, list.stderr);
      assert.doesNotMatch(list.stdout, /carl/);
      const once = await runVow(['staff', 'add', 'carl', '--roles', 'admin,auditor'], store.env);
      assert.equal(once.code, 0, once.stderr);
      assert.match((await runVow(['staff', 'list'], store.env)).stdout, /carl\tadmin,auditor/);
    });
  });
}
