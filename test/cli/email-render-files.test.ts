// `vow email render` with a body file it cannot read, an empty one, or both --text and --text-file:
// one line naming VOW_USAGE and the option, exit 1, no stack trace, and the store not even opened
// (the files are read first; an --html-file that did not exist was read after the store was
// migrated, and either file's error was a stack trace).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

for (const dialect of testDialects()) {
  describe(`vow email render: body files [${dialect}]`, () => {
    let store: CommandStore;
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-email-files-'));
    const empty = path.join(dir, 'empty.txt');
    const body = path.join(dir, 'body.txt');
    before(async () => {
      store = await commandStore(dialect);
      writeFileSync(empty, '\n');
      writeFileSync(body, 'Hello\n');
    });
    after(async () => {
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const render = (...extra: string[]) =>
      runVow(['email', 'render', '--subject-id', 'someone', '--subject', 'Hi', ...extra], store.env);

    for (const [name, args, message] of [
      [
        'a missing --text-file',
        ['--text-file', path.join(dir, 'nope.txt')],
        /^VOW_USAGE: Cannot read --text-file .*nope\.txt: no such file$/,
      ],
      [
        'a folder as --text-file',
        ['--text-file', dir],
        /^VOW_USAGE: Cannot read --text-file .*: it is a folder$/,
      ],
      [
        'a missing --html-file',
        ['--text', 'Hello', '--html-file', path.join(dir, 'nope.html')],
        /^VOW_USAGE: Cannot read --html-file .*nope\.html: no such file$/,
      ],
      ['an empty --text-file', ['--text-file', empty], /^VOW_USAGE: The body is empty \(--text-file /],
      ['no body at all', [], /^VOW_USAGE: Give the body with --text or --text-file/],
      [
        'both --text and --text-file',
        ['--text', 'Hello', '--text-file', body],
        /^VOW_USAGE: vow email render: option '--text <text>' cannot be used with option '--text-file <file>'/,
      ],
    ] as const) {
      it(`${name}: one VOW_USAGE line, the store untouched`, async () => {
        const r = await render(...args);
        assert.equal(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stderr, STACK_FRAME);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!, message);
        assert.equal(r.stdout, '');
        assert.deepEqual(await store.tables(), [], 'the store was not opened (nor migrated)');
      });
    }
  });
}
