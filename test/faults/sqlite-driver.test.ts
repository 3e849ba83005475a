// The SQLite driver's compiled part that cannot be loaded (Node.js upgraded after the install, a
// node_modules copied from another machine, a build that failed) is VOW_STORE_DRIVER with the fix
// (`npm rebuild better-sqlite3`), not VOW_STORAGE_READ_ONLY's advice about the data folder. The
// errors are better-sqlite3's own, made by pointing it at a missing and at a broken native module.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { statusOf } from '../../src/app/error-registry.js';
import { sqliteOpenError } from '../../src/platform/store/open-store.js';

function driverError(nativeBinding: string): unknown {
  try {
    new SQLite(':memory:', { nativeBinding }).close();
  } catch (err) {
    return err;
  }
  assert.fail(`better-sqlite3 opened with ${nativeBinding}`);
}

describe('the SQLite driver that cannot be loaded', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-driver-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is VOW_STORE_DRIVER naming the rebuild, whether the module is missing or not one this Node.js loads', () => {
    const broken = path.join(dir, 'better_sqlite3.node');
    writeFileSync(broken, 'not a shared object\n');
    for (const err of [driverError(path.join(dir, 'missing.node')), driverError(broken)]) {
      const e = sqliteOpenError(path.join(dir, 'vow.sqlite'), err);
      assert.equal(e.code, 'VOW_STORE_DRIVER', String(err));
      assert.match(e.message, /npm rebuild better-sqlite3/);
      assert.doesNotMatch(e.message, /VOW_DATA_DIR|writable/, 'not the data folder');
      assert.equal(statusOf(e.code), 500);
    }
  });

  it("leaves the folder's own failures as they were", () => {
    const denied = Object.assign(new Error('unable to open database file'), { code: 'EACCES' });
    assert.equal(sqliteOpenError(path.join(dir, 'vow.sqlite'), denied).code, 'VOW_STORAGE_READ_ONLY');
    const notDir = Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    assert.equal(sqliteOpenError(path.join(dir, 'vow.sqlite'), notDir).code, 'VOW_CONFIG_INVALID');
  });
});
