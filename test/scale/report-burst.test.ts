// A burst of report requests over two Vow processes on one PostgreSQL: they do not wait for each
// other (no 503), and the privacy budget still holds across both (each recipient gets at most its
// weekly budget of new reports, whatever the interleaving).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { isoWeekOf } from '../../src/modules/reports/index.js';
import { loadConfig } from '../../src/platform/config.js';
import {
  createVowStore,
  MASTER_KEY,
  startVow,
  type VowProcess,
  type VowStore,
} from '../faults/vow-process.js';
import { testDialects } from '../helpers/env.js';

const WEEK_MS = 7 * 86_400_000;
const PASSWORD = 'a burst of report requests';

if (testDialects().includes('postgres')) {
  describe('report requests on two Vow processes [postgres]', () => {
    let store: VowStore | undefined;
    const procs: VowProcess[] = [];
    after(async () => {
      for (const p of procs) await p.stop();
      await store?.drop();
    });

    it('answer a burst of 256 without a 503, and the budget holds across both', async () => {
      store = await createVowStore('postgres');
      // Eight finished weeks, released as the weekly job does; a marketing staff member.
      const now = Date.now();
      const weeks = Array.from({ length: 8 }, (_, i) => isoWeekOf(new Date(now - (i + 1) * WEEK_MS)));
      const ctx = await createContext(
        loadConfig({ ...store.env, VOW_MASTER_KEY: MASTER_KEY, VOW_LOG_LEVEL: 'silent' }),
        { logger: pino({ level: 'silent' }) },
      );
      try {
        const services = createServices(ctx);
        for (const w of weeks) await services.reports.releaseWeek(w);
        const staff = await services.identity.staff.add('burst', ['marketing'], null);
        await services.identity.staff.changePassword(staff.id, staff.password, PASSWORD);
      } finally {
        await ctx.store.close();
      }
      procs.push(await startVow(store.env), await startVow(store.env));
      const [a, b] = procs as [VowProcess, VowProcess];
      const login = await fetch(`${a.url}/v1/staff/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'burst', password: PASSWORD }),
      });
      assert.equal(login.status, 201, await login.clone().text());
      const { token } = (await login.json()) as { token: string };

      // 2 recipients × 2 reports × 8 weeks, each asked 8 times, alternating processes, all at once:
      // new receipts, repeats and refusals interleaved.
      const paths: string[] = [];
      for (let round = 0; round < 8; round++)
        for (const recipient of ['internal', 'advertisers'])
          for (const report of ['visitors-by-area', 'registrations-by-gender'])
            for (const week of weeks) paths.push(`/v1/reports/${report}?week=${week}&recipient=${recipient}`);
      assert.equal(paths.length, 256);
      const answers = await Promise.all(
        paths.map(async (p, i) => {
          const res = await fetch(`${(i % 2 === 0 ? a : b).url}${p}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = (await res.json()) as { error?: { code: string }; charged?: boolean };
          return { status: res.status, code: body.error?.code, charged: body.charged };
        }),
      );
      const byStatus = new Map<string, number>();
      for (const x of answers) {
        const key = `${x.status}${x.code ? ` ${x.code}` : ''}`;
        byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      }
      const summary = JSON.stringify(Object.fromEntries(byStatus));
      assert.ok(
        answers.every((x) => x.status === 200 || (x.status === 403 && x.code === 'VOW_BUDGET_EXHAUSTED')),
        `only answers and budget refusals: ${summary}`,
      );
      // Each recipient was charged exactly its weekly budget (3 reports of ε 1), once per report.
      assert.equal(answers.filter((x) => x.charged === true).length, 6, summary);

      const check = await store.open();
      try {
        const receipts = await check.db
          .selectFrom('report_receipts')
          .select(['recipient', 'release_id', 'epsilon_milli'])
          .execute();
        for (const recipient of ['internal', 'advertisers']) {
          const mine = receipts.filter((r) => r.recipient === recipient);
          assert.equal(mine.length, 3, `${recipient}: ${mine.length} receipts`);
          assert.equal(new Set(mine.map((r) => r.release_id)).size, 3);
        }
      } finally {
        await check.close();
      }
    });
  });
}
