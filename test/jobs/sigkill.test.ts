import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { migrate } from '../../src/app/migrations.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { JobRunner } from '../../src/platform/jobs/index.js';
import { openStore, type Store } from '../../src/platform/store/open-store.js';
import { createTestStore, testDialects } from '../helpers/env.js';
import { killWhenReached } from '../helpers/kill.js';
import { killableJob } from './fixtures/killable-job.js';

const WORKER = fileURLToPath(new URL('./fixtures/killable-worker.ts', import.meta.url));

for (const dialect of testDialects()) {
  describe(`a worker process killed with SIGKILL mid-job [${dialect}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('leaves the job to be taken again after its lease and finished once, without repeating the finished step', async () => {
      let store: Store;
      const env: Record<string, string> = {};
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(path.join(tmpdir(), 'vow-kill-'));
        const file = path.join(dir, 'vow.sqlite');
        store = await openStore({ sqliteFile: file });
        env.KILL_SQLITE_FILE = file;
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      } else {
        const t = await createTestStore('postgres');
        store = t.store;
        env.KILL_PG_URL = t.url!;
        cleanups.push(async () => {
          await t.drop();
        });
      }
      await migrate(store);
      const clock = new ManualClock(new Date(0));
      const runner = new JobRunner(
        { store, clock, random: seededRandom(9), logger: pino({ level: 'silent' }) },
        { workerId: 'survivor', leaseMs: 30_000 },
      );
      runner.register(killableJob(async () => {}));
      const { id } = await runner.enqueue({ name: 'test.killable', payload: { key: 'k1' } });

      await killWhenReached(WORKER, env);

      const held = await store.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(held.status, 'running');
      assert.equal(held.locked_by, 'doomed');
      // Before the lease ends nobody may take the job; after it, this process does.
      clock.set(new Date(new Date(held.lease_expires_at!).getTime() - 1000));
      assert.equal(await runner.runOnce(), null);
      clock.set(new Date(new Date(held.lease_expires_at!).getTime() + 1));
      assert.deepEqual(await runner.runOnce(), { id, name: 'test.killable', status: 'done' });

      const meta = await store.db
        .selectFrom('vow_meta')
        .select(['key', 'value'])
        .where('key', 'like', '%:k1')
        .execute();
      assert.deepEqual(
        Object.fromEntries(meta.map((m) => [m.key, m.value])),
        { 'one:k1': '1', 'two:k1': '2' },
        'step one ran once, in the killed process; step two in the survivor',
      );
      const job = await runner.get(id);
      assert.equal(job?.status, 'done');
      assert.equal(job?.attempts, 2);
      if (dialect === 'sqlite') await store.close();
    });
  });
}
