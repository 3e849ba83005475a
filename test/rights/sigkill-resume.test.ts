// A real crash, in real time: the Vow process answering a deletion request renews its job's lease
// by heartbeat while it works, is killed with SIGKILL in the middle of the deletion, and another
// process's runner (the real clock, the default 20 s lease) takes it once that lease has run out and
// finishes the request, exactly once. Before, the deletion waited for a 5-minute lease to expire.
// The test waits for real processes, each wait with a deadline; the logic it checks is not timed.
// The dialects run side by side (each its own store, worker and runner): most of each run is
// waiting for the lease to run out, so one after the other spent that wait twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { openStore, type Store } from '../../src/platform/store/open-store.js';
import { orderBody } from '../collection/fixtures.js';
import { createTestStore, testConfig, testDialects } from '../helpers/env.js';
import { killWhenReached } from '../helpers/kill.js';

const WORKER = fileURLToPath(new URL('./fixtures/deletion-worker.ts', import.meta.url));

/** Waits (real time, a deadline) for a real process to have done something, checked every 250 ms. */
async function until<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a deletion resumed after a SIGKILL once its 20 s lease runs out', { concurrency: true }, () => {
  for (const dialect of testDialects()) {
    describe(`a deletion resumed after a SIGKILL once its 20 s lease runs out [${dialect}]`, () => {
      const cleanups: (() => Promise<void>)[] = [];
      after(async () => {
        for (const c of cleanups.reverse()) await c();
      });

      it('is renewed while the worker lives, taken over after its lease, and finished once', async () => {
        const workerEnv: Record<string, string> = {};
        const open: () => Promise<Store> = await (async () => {
          if (dialect === 'sqlite') {
            const dir = mkdtempSync(path.join(tmpdir(), 'vow-resume-'));
            const file = path.join(dir, 'vow.sqlite');
            workerEnv.KILL_SQLITE_FILE = file;
            cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
            return () => openStore({ sqliteFile: file });
          }
          const t = await createTestStore('postgres');
          await t.store.close();
          workerEnv.KILL_DATABASE_URL = t.url!;
          cleanups.push(async () => {
            const c = await openStore({ databaseUrl: t.url! });
            await c.close();
            await t.drop().catch(() => {});
          });
          return () => openStore({ databaseUrl: t.url!, poolSize: 5 });
        })();

        // Before the crash: an order and its buyer's verified deletion request (manual clock).
        const store = await open();
        cleanups.push(() => store.close());
        const ctx = await createContext(testConfig(), {
          store,
          clock: new ManualClock(),
          random: seededRandom(91),
          logger: pino({ level: 'silent' }),
        });
        const services = createServices(ctx);
        const app = await buildApp(ctx, { logger: false, testPrincipal: 'all-roles' }, services);
        cleanups.push(() => app.close());
        const sent: OutgoingMessage[] = [];
        const capture = {
          name: 'capture',
          send: async (m: OutgoingMessage) => {
            sent.push(m);
            return { messageId: `<${m.outboxId}@test>` };
          },
        };
        services.mail.useTransport(capture);
        const order = await app.inject({ method: 'POST', url: '/v1/orders', payload: orderBody('resume1') });
        assert.equal(order.statusCode, 201, order.body);
        const email = 'ann.buyerresume1@example.com';
        const subjectId = (await services.subjects.findByEmail(email))!;
        const r = await app.inject({
          method: 'POST',
          url: '/v1/requests',
          payload: { type: 'deletion', jurisdiction: 'eea', email },
        });
        await services.jobs.drain();
        const code = /\b(\d{6})\b/.exec(sent.find((m) => /code/.test(m.subject))?.text ?? '')?.[1];
        const v = await app.inject({
          method: 'POST',
          url: '/v1/requests/verify',
          payload: { statusToken: r.json().statusToken, code },
        });
        assert.equal(v.statusCode, 200, v.body);
        const job = async () =>
          store.db
            .selectFrom('jobs')
            .selectAll()
            .where('name', '=', 'rights.fulfil')
            .executeTakeFirstOrThrow();

        // The worker (real clock, default lease and heartbeat) is stuck mid-deletion; its heartbeat
        // renews the lease; then it is killed.
        const killedAt = await killWhenReached(WORKER, workerEnv, async () => {
          const claimed = await job();
          assert.equal(claimed.status, 'running');
          await until('a lease renewal', 15_000, async () => {
            const now = await job();
            return now.lease_expires_at! > claimed.lease_expires_at! ? true : undefined;
          });
        });
        const held = await job();
        assert.equal(held.status, 'running', 'the killed worker left the job running');
        const leaseLeft = new Date(held.lease_expires_at!).getTime() - killedAt;
        assert.ok(leaseLeft <= 20_000 + 1000, `a short lease: ${leaseLeft} ms left at the kill`);

        // Another process (the real clock) runs its job loop as `vow serve` does.
        const store2 = await open();
        cleanups.push(() => store2.close());
        const ctx2 = await createContext(testConfig(), { store: store2, logger: pino({ level: 'silent' }) });
        const services2 = createServices(ctx2);
        const sent2: OutgoingMessage[] = [];
        services2.mail.useTransport({
          ...capture,
          send: async (m) => {
            sent2.push(m);
            return capture.send(m);
          },
        });
        services2.jobs.start();
        cleanups.push(() => services2.jobs.stop());
        // Bounded by the short lease, not the old 5 minutes: the wait's deadline (45 s) fails the test
        // otherwise. How long it took is not asserted (a loaded machine moves it; BENCHMARKS.md): what
        // is, is that the other runner took the job only once the killed one's lease had run out.
        let reclaimed: Awaited<ReturnType<typeof job>> | undefined;
        await until('the deletion to finish', 45_000, async () => {
          const now = await job();
          if (!reclaimed && now.locked_by && now.locked_by !== held.locked_by) reclaimed = now;
          return now.status === 'done' ? true : undefined;
        });
        await services2.jobs.stop();
        if (reclaimed?.updated_at)
          assert.ok(
            reclaimed.updated_at >= held.lease_expires_at!,
            `taken at ${reclaimed.updated_at}, before the killed runner's lease ended (${held.lease_expires_at})`,
          );

        // Exactly once: completed, the person gone, one answer, each recipient told once.
        const view = (await services.rights.queue({ includeClosed: true })).find(
          (x) => x.subjectId === subjectId,
        )!;
        assert.equal(view.status, 'completed');
        assert.equal(await services.subjects.findByEmail(email), undefined);
        await services2.jobs.drain();
        assert.equal(
          sent2.filter((m) => m.to === email && /deleted/.test(m.subject)).length,
          1,
          'one answer',
        );
        assert.equal((await services.mail.list({ kind: 'rights.deletion_notice' })).length, 3);
        const after = await job();
        assert.equal(Number(after.attempts), 2, 'taken once more, after the crash');
      });
    });
  }
});
