// Integrity of the SQLite store while another process works on the same folder (P13). Closing any
// descriptor of a file drops every POSIX lock the process holds on it; opening the store a second
// time in the same process (the promise checks' worker does, while the server serves) used to open
// and close the database and its -wal/-shm to tighten their permissions, which released the
// serving connection's read locks: another process (`vow staff add` on the same folder) could then
// reset the WAL under a reader, and the server answered 500 SQLITE_CORRUPT ("database disk image is
// malformed") on log-ins until it was restarted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { openStore } from '../../src/platform/store/index.js';

/** A checkpoint that would reset the WAL, by another process that does not wait for readers. */
function truncateFromAnotherProcess(file: string): { busy: number } {
  const script = `const D = require('better-sqlite3');
const db = new D(${JSON.stringify(file)});
db.pragma('busy_timeout = 0');
process.stdout.write(JSON.stringify(db.pragma('wal_checkpoint(TRUNCATE)')[0]));
db.close();`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: process.cwd() }).toString();
  return JSON.parse(out) as { busy: number };
}

describe('the SQLite store opened twice in one process [sqlite file]', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vow-locks-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("keeps the first connection's read lock: another process cannot reset the WAL under it", async () => {
    const file = path.join(root, 'vow.sqlite');
    // The serving connection, in the middle of a read, with rows in the WAL.
    const serving = new SQLite(file);
    serving.pragma('journal_mode = WAL');
    serving.pragma('wal_autocheckpoint = 0');
    serving.exec('CREATE TABLE t (x INTEGER)');
    serving.prepare('INSERT INTO t VALUES (1)').run();
    serving.exec('BEGIN');
    assert.deepEqual(serving.prepare('SELECT count(*) AS n FROM t').get(), { n: 1 });
    try {
      assert.equal(truncateFromAnotherProcess(file).busy, 1, 'the reader holds the WAL');
      // A second store on the same file in this process, as the promise worker opens one.
      const second = await openStore({ sqliteFile: file });
      try {
        assert.equal(truncateFromAnotherProcess(file).busy, 1, 'the reader still holds the WAL');
      } finally {
        await second.close();
      }
      assert.deepEqual(serving.prepare('SELECT count(*) AS n FROM t').get(), { n: 1 });
    } finally {
      serving.exec('COMMIT');
      serving.close();
    }
  });
});
