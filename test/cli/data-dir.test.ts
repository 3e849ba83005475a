// VOW_DATA_DIR that is not a usable folder, run as the real command: a file where the folder should
// be, or a folder the process may not write. One line with a stable code, exit 1, no stack trace,
// nothing written (on PostgreSQL the staff account was added before the data folder failed).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { assertOneLine, type CommandStore, commandStore, runVow } from '../helpers/vow-command.js';

for (const dialect of testDialects()) {
  describe(`vow with VOW_DATA_DIR not a folder [${dialect}]`, () => {
    let store: CommandStore;
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-datadir-'));
    const file = path.join(dir, 'a-file');
    before(async () => {
      store = await commandStore(dialect);
      writeFileSync(file, 'not a folder\n');
    });
    after(async () => {
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const [name, dataDir] of [
      ['a file', () => file],
      ['a folder under a file', () => path.join(file, 'data')],
    ] as const) {
      it(`${name}: VOW_CONFIG_INVALID naming the file, nothing written`, async () => {
        for (const args of [['staff', 'add', 'amy', '--roles', 'admin'], ['audit', 'anchor'], ['migrate']]) {
          const r = await runVow(args, { ...store.env, VOW_DATA_DIR: dataDir() });
          assertOneLine(
            r,
            new RegExp(`^VOW_CONFIG_INVALID: .*VOW_DATA_DIR: ${file} is a file, not a folder`),
          );
        }
        assert.deepEqual(await store.tables(), [], 'the store was not migrated');
      });
    }
  });
}

describe('vow with a read-only VOW_DATA_DIR [sqlite]', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-datadir-ro-'));
  const data = path.join(dir, 'data');
  after(() => {
    if (existsSync(data)) chmodSync(data, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  // root writes through any mode bits, so there the folder is not read-only for the command at all.
  const root = process.getuid?.() === 0;
  it('VOW_STORAGE_READ_ONLY in one line, no stack trace', {
    skip: root && 'running as root: chmod does not stop root writing',
  }, async () => {
    mkdirSync(data, { mode: 0o500 });
    const r = await runVow(['staff', 'list'], {
      VOW_DATA_DIR: data,
      VOW_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    assertOneLine(r, /^VOW_STORAGE_READ_ONLY: Cannot open the SQLite store .*: no permission/);
  });
});
