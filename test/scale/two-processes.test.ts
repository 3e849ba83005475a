// Several Vow processes behind one address share all their state through one PostgreSQL: a rate
// limit holds across them, each job (here: mail delivery) runs exactly once, a session or API key
// made through one works on the other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/platform/config.js';
import { MAIL_DELIVER_JOB } from '../../src/platform/mail/mail-service.js';
import {
  createVowStore,
  MASTER_KEY,
  orderBody,
  post,
  startVow,
  type VowProcess,
  type VowStore,
} from '../faults/vow-process.js';
import { testDialects } from '../helpers/env.js';

if (testDialects().includes('postgres')) {
  describe('two Vow processes on one PostgreSQL [postgres]', () => {
    let store: VowStore | undefined;
    const procs: VowProcess[] = [];
    after(async () => {
      for (const p of procs) await p.stop();
      await store?.drop();
    });

    it('share rate limits, run each job exactly once, and share what one of them recorded', async () => {
      store = await createVowStore('postgres');
      // The same data dir for both: mail without SMTP lands in <data dir>/mail.jsonl.
      procs.push(await startVow(store.env), await startVow(store.env));
      const [a, b] = procs as [VowProcess, VowProcess];
      assert.notEqual(a.url, b.url);

      // A limit of 10 per 15 minutes per address, asked of both processes in turn.
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) {
        const target = i % 2 === 0 ? a : b;
        statuses.push((await fetch(`${target.url}/account/verify/not-a-token-${i}`)).status);
      }
      assert.deepEqual(
        statuses.map((s) => s === 429),
        [...Array(10).fill(false), ...Array(4).fill(true)],
        `statuses ${statuses.join(',')}`,
      );

      // State written through one is seen by the other: an order made on A is a replay on B.
      assert.equal((await post(`${a.url}/v1/orders`, store.apiKey, orderBody('two', 1))).status, 201);
      assert.equal((await post(`${b.url}/v1/orders`, store.apiKey, orderBody('two', 1))).status, 200);

      // Jobs: 30 mails queued at once; both job runners compete, each mail goes out exactly once.
      const ctx = await createContext(
        loadConfig({ ...store.env, VOW_MASTER_KEY: MASTER_KEY, VOW_LOG_LEVEL: 'silent' }),
        { logger: pino({ level: 'silent' }) },
      );
      try {
        const mail = createServices(ctx).mail;
        const ids: string[] = [];
        for (let i = 0; i < 30; i++)
          ids.push(
            await mail.enqueue({
              to: `two.${i}@example.com`,
              subject: `Job ${i}`,
              text: 'hello',
              kind: 'test.two_processes',
            }),
          );
        const file = path.join(store.dataDir, 'mail.jsonl');
        const sent = () => {
          try {
            return readFileSync(file, 'utf8')
              .split('\n')
              .filter((l) => l.includes('"Job '));
          } catch {
            return [];
          }
        };
        // Wait (bounded) for the runners, polling the shared jobs table.
        for (let round = 0; round < 300; round++) {
          const open = await ctx.store.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('name', '=', MAIL_DELIVER_JOB)
            .where('status', 'in', ['pending', 'running'])
            .executeTakeFirstOrThrow();
          if (Number(open.n) === 0 && sent().length >= 30) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const lines = sent();
        const subjects = lines.map((l) => (JSON.parse(l) as { subject: string }).subject).sort();
        assert.equal(subjects.length, 30, 'every mail sent');
        assert.equal(new Set(subjects).size, 30, 'none sent twice');
        const workers = await ctx.store.db
          .selectFrom('jobs')
          .select(['locked_by', 'attempts', 'status'])
          .where('name', '=', MAIL_DELIVER_JOB)
          .execute();
        assert.equal(workers.length, 30);
        assert.ok(
          workers.every((w) => w.attempts === 1 && w.status === 'done'),
          'each job claimed once',
        );
      } finally {
        await ctx.store.close();
      }
    });
  });
}
