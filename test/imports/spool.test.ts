// An upload to POST /v1/imports is spooled under the data folder (0700 folders, a 0600 file) and
// removed after its run; one left by a process killed during its import is removed when `vow serve`
// next starts (it holds the whole customer file), while a running process's upload is left alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { removeLeftoverUploads, uploadsDir, withSpooledFile } from '../../src/modules/imports/spool.js';
import { createVowStore, startVow, type VowStore } from '../faults/vow-process.js';
import { testDialects } from '../helpers/env.js';

/** A pid no process has now: a process that has run and exited. */
function deadPid(): number {
  const gone = spawnSync(process.execPath, ['-e', '']);
  assert.ok(gone.pid);
  return gone.pid;
}

/** An upload left as a process with `pid` spooled it: its folder and its file of customers. */
function leftover(dataDir: string, pid: number): string {
  const dir = path.join(uploadsDir(dataDir), `import-${pid}-Ab12Cd`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, 'upload'), 'Email,First Name\nann@example.com,Ann\n', { mode: 0o600 });
  return dir;
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('a spooled upload', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vow-spool-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is a 0600 file in a 0700 folder under the data folder, removed after its run', async () => {
    let seen: string | undefined;
    const result = await withSpooledFile(
      dataDir,
      Readable.from(['Email\n', 'ann@example.com\n']),
      async (file) => {
        seen = file;
        assert.equal(path.dirname(path.dirname(file)), uploadsDir(dataDir));
        assert.equal(mode(file), 0o600);
        assert.equal(mode(path.dirname(file)), 0o700);
        assert.equal(mode(uploadsDir(dataDir)), 0o700);
        return 'imported';
      },
    );
    assert.equal(result, 'imported');
    assert.ok(seen && !existsSync(path.dirname(seen)));
    assert.deepEqual(readdirSync(uploadsDir(dataDir)), []);
  });

  it('is removed after a run that fails too', async () => {
    await assert.rejects(
      withSpooledFile(dataDir, Readable.from(['x'.repeat(100)]), async () => 'never', 10),
      { code: 'VOW_BODY_TOO_LARGE' },
    );
    await assert.rejects(
      withSpooledFile(dataDir, Readable.from(['Email\n']), async () => {
        throw new Error('the run failed');
      }),
      /the run failed/,
    );
    assert.deepEqual(readdirSync(uploadsDir(dataDir)), []);
  });

  it("left by a process that is gone is removed at start; a running process's is kept", async () => {
    const dead = leftover(dataDir, deadPid());
    // This very pid: an earlier process's (a container's server is pid 1 at every start).
    const mine = leftover(dataDir, process.pid);
    // The test runner that started this process is running: its upload may be in progress.
    const running = leftover(dataDir, process.ppid);
    writeFileSync(path.join(uploadsDir(dataDir), 'not-an-upload'), '');
    assert.equal(await removeLeftoverUploads(dataDir), 2);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(mine), false);
    assert.equal(existsSync(running), true);
    assert.equal(existsSync(path.join(uploadsDir(dataDir), 'not-an-upload')), true);
    rmSync(uploadsDir(dataDir), { recursive: true, force: true });
    assert.equal(await removeLeftoverUploads(dataDir), 0, 'no uploads folder: nothing to do');
  });
});

for (const dialect of testDialects()) {
  describe(`vow serve, started after a process was killed during an HTTP import [${dialect}]`, () => {
    let store: VowStore;
    before(async () => {
      store = await createVowStore(dialect);
    });
    after(() => store.drop());

    it('removes the upload the killed process spooled', async () => {
      const dir = leftover(store.dataDir, deadPid());
      const vow = await startVow(store.env);
      try {
        assert.equal(existsSync(dir), false, vow.output());
        assert.deepEqual(readdirSync(uploadsDir(store.dataDir)), []);
      } finally {
        await vow.stop();
      }
    });
  });
}
