// A store that refuses writes: a full disk (SQLite on a small tmpfs) or a read-only PostgreSQL
// database. Vow answers a clear 503 VOW_STORAGE_READ_ONLY with Retry-After, keeps reading, does
// not crash, and writes again by itself once space (or write access) is back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { PG_URL, testDialects } from '../helpers/env.js';
import { createVowStore, orderBody, post, startVow, type VowProcess, type VowStore } from './vow-process.js';

function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

async function expectRefused(vow: VowProcess, store: VowStore, n: number): Promise<void> {
  const r = await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('full', n));
  assert.equal(r.status, 503, JSON.stringify(r.body));
  assert.equal((r.body.error as { code: string }).code, 'VOW_STORAGE_READ_ONLY');
  assert.equal(r.retryAfter, '60');
}

if (testDialects().includes('sqlite')) {
  describe('a full disk under SQLite [sqlite]', () => {
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'vow-full-'));
    let mounted = false;
    let store: VowStore | undefined;
    let vow: VowProcess | undefined;
    after(async () => {
      await vow?.stop();
      if (mounted) execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    });

    it('refuses writes with 503 VOW_STORAGE_READ_ONLY, keeps serving reads, and writes again once there is space', async (t) => {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mountPoint], { stdio: 'ignore' });
        mounted = true;
      } catch {
        t.skip('needs to mount a small tmpfs (root); the PostgreSQL read-only case still runs');
        return;
      }
      store = await createVowStore('sqlite', { dataDir: path.join(mountPoint, 'data') });
      vow = await startVow(store.env);
      assert.equal((await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('full', 0))).status, 201);
      const filler = path.join(mountPoint, 'filler');
      fillDisk(filler);
      // Enough orders to need new pages whatever was free in the file and its log.
      let refused = 0;
      for (let n = 1; n <= 400 && refused < 3; n++) {
        const r = await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('full', n));
        if (r.status === 201) continue;
        assert.equal(r.status, 503, JSON.stringify(r.body));
        assert.equal((r.body.error as { code: string }).code, 'VOW_STORAGE_READ_ONLY');
        assert.equal(r.retryAfter, '60');
        refused++;
      }
      assert.equal(refused, 3, 'writes were refused once the disk was full');
      const privacy = await fetch(`${vow.url}/privacy`);
      assert.equal(privacy.status, 200, 'reads still work');
      assert.equal(vow.child.exitCode, null, 'no crash');
      rmSync(filler);
      const again = await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('full', 1000));
      assert.equal(again.status, 201, 'writes work again without a restart');
    });
  });
}

if (testDialects().includes('postgres')) {
  describe('a read-only PostgreSQL database [postgres]', () => {
    let store: VowStore | undefined;
    let vow: VowProcess | undefined;
    const admin = new pg.Client({ connectionString: PG_URL });
    after(async () => {
      await vow?.stop();
      await admin.end().catch(() => {});
      await store?.drop();
    });

    it('refuses writes with 503 VOW_STORAGE_READ_ONLY, keeps serving reads, and writes again once writable', async () => {
      store = await createVowStore('postgres');
      vow = await startVow(store.env);
      const name = new URL(store.env.VOW_DATABASE_URL!).pathname.slice(1);
      await admin.connect();
      const setReadOnly = async (on: boolean) => {
        await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
        // Sessions take the setting when they start: end Vow's (only this test's database).
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
      };
      assert.equal((await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('ro', 0))).status, 201);
      await setReadOnly(true);
      // Requests may first meet connections the server just ended (503 unavailable); then read-only.
      let r = await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('ro', 1));
      for (
        let attempt = 0;
        attempt < 12 && (r.body.error as { code: string } | undefined)?.code === 'VOW_DATABASE_UNAVAILABLE';
        attempt++
      )
        r = await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('ro', 1));
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal((r.body.error as { code: string }).code, 'VOW_STORAGE_READ_ONLY');
      await expectRefused(vow, store, 2);
      assert.equal((await fetch(`${vow.url}/privacy`)).status, 200, 'reads still work');
      assert.equal(vow.child.exitCode, null, 'no crash');
      await setReadOnly(false);
      let ok = false;
      for (let attempt = 0; attempt < 12 && !ok; attempt++)
        ok = (await post(`${vow.url}/v1/orders`, store.apiKey, orderBody('ro', 10 + attempt))).status === 201;
      assert.ok(ok, 'writes work again without a restart');
    });
  });
}
