// A real crash: the Vow process answering a deletion request is killed with SIGKILL in the middle
// of it; another process finishes the request exactly once after the lease expires.
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
import { openStore } from '../../src/platform/store/open-store.js';
import { orderBody } from '../collection/fixtures.js';
import { testConfig, testDialects } from '../helpers/env.js';
import { killWhenReached } from '../helpers/kill.js';

const WORKER = fileURLToPath(new URL('./fixtures/deletion-worker.ts', import.meta.url));

describe('a deletion whose process is killed with SIGKILL mid-way [sqlite file]', {
  skip: testDialects().includes('sqlite') ? false : 'SQLite not under test',
}, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-kill-del-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is finished by another process after the lease, once: one answer, three recipient notices, data deleted', async () => {
    const file = path.join(dir, 'vow.sqlite');
    const store = await openStore({ sqliteFile: file });
    const clock = new ManualClock();
    const ctx = await createContext(testConfig(), {
      store,
      clock,
      random: seededRandom(77),
      logger: pino({ level: 'silent' }),
    });
    const services = createServices(ctx);
    const app = await buildApp(ctx, { logger: false, testPrincipal: 'all-roles' }, services);
    await app.ready();
    const sent: OutgoingMessage[] = [];
    services.mail.useTransport({
      name: 'capture',
      send: async (m) => {
        sent.push(m);
        return { messageId: `<${m.outboxId}@test>` };
      },
    });
    try {
      const order = await app.inject({ method: 'POST', url: '/v1/orders', payload: orderBody('kill1') });
      assert.ok(order.statusCode < 300, order.body);
      const subjectId = (await services.subjects.findByEmail('ann.buyerkill1@example.com'))!;
      const r = await app.inject({
        method: 'POST',
        url: '/v1/requests',
        payload: { type: 'deletion', jurisdiction: 'eea', email: 'ann.buyerkill1@example.com' },
      });
      const token = r.json().statusToken;
      await services.jobs.drain();
      const code = /\b(\d{6})\b/.exec(sent.find((m) => /code/.test(m.subject))?.text ?? '')?.[1];
      const v = await app.inject({
        method: 'POST',
        url: '/v1/requests/verify',
        payload: { statusToken: token, code },
      });
      assert.equal(v.statusCode, 200, v.body);

      await killWhenReached(WORKER, { KILL_SQLITE_FILE: file });

      const job = await store.db
        .selectFrom('jobs')
        .selectAll()
        .where('name', '=', 'rights.fulfil')
        .executeTakeFirstOrThrow();
      assert.equal(job.status, 'running');
      const steps = await store.db
        .selectFrom('job_steps')
        .select('step')
        .where('job_id', '=', job.id)
        .execute();
      assert.deepEqual(
        steps.map((s) => s.step).sort(),
        ['close-key', 'plan', 'suppress'],
        'killed after planning, suppressing and closing the key (the walk, killed, reads through it again)',
      );

      clock.set(new Date(new Date(job.lease_expires_at!).getTime() + 1));
      await services.jobs.drain();
      const view = (await services.rights.queue({ includeClosed: true })).find(
        (x) => x.subjectId === subjectId,
      )!;
      assert.equal(view.status, 'completed');
      assert.ok((view.result as { changes: number }).changes > 0);
      assert.equal(await services.subjects.findByEmail('ann.buyerkill1@example.com'), undefined);
      const replies = sent.filter((m) => m.to === 'ann.buyerkill1@example.com' && /deleted/.test(m.subject));
      assert.equal(replies.length, 1, 'one answer');
      const notices = await services.mail.list({ kind: 'rights.deletion_notice' });
      assert.equal(notices.length, 3, 'each recipient told once');
      const sup = await store.db.selectFrom('suppression_list').select('id').execute();
      assert.equal(sup.length, 2, 'email and phone suppressed once each');
      const after = await store.db
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(after, { status: 'done', attempts: 2 });
    } finally {
      await app.close();
      await store.close();
    }
  });
});
