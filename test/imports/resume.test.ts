// Resumable imports: an import stopped mid-file (an injected failure in-process, and a real SIGKILL
// of a Vow process inside a batch's transaction) continues after its last committed line when run
// again: every row once, none lost, none twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { ImportService } from '../../src/modules/imports/index.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { openStore, type Store } from '../../src/platform/store/open-store.js';
import { createTestStore, describeEachDialect, testConfig, testDialects } from '../helpers/env.js';
import { killWhenReached } from '../helpers/kill.js';

const WORKER = fileURLToPath(new URL('./fixtures/import-worker.ts', import.meta.url));

/** An NDJSON file of `n` contest entries (tag: unique per test). */
function entriesFile(dir: string, tag: string, n: number): string {
  const file = path.join(dir, `${tag}.ndjson`);
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ type: 'contest_entry', body: { email: `${tag}.${i}@example.com` } }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Each entrant stored once, with one enrolment event each. */
async function assertExactlyOnce(ctx: VowContext, tag: string, n: number) {
  const db = ctx.store.db;
  const entries = await db
    .selectFrom('contest_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(entries.n), n);
  const events = await db
    .selectFrom('consent_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel', '=', 'email_marketing')
    .executeTakeFirstOrThrow();
  assert.equal(Number(events.n), n);
  const runs = await db.selectFrom('import_runs').selectAll().execute();
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.status, 'done');
  assert.equal(JSON.parse(runs[0]!.counts).collected.contest_entry, n);
  void tag;
}

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describeEachDialect('an import stopped by a failure', (env) => {
  it('continues from its checkpoint: every row once', async () => {
    const file = entriesFile(dir, `fail-${env().dialect}`, 45);
    const failing = new ImportService(env().ctx, env().services.collection, env().services.consent, {
      beforeCommit: (n) => {
        if (n === 3) throw new Error('injected crash');
      },
    });
    await assert.rejects(failing.run({ file, format: 'ndjson', batchSize: 10 }), /injected crash/);
    const [partial] = await env().services.imports.runs();
    assert.equal(partial?.status, 'running');
    assert.equal(partial?.counts.units, 20);
    const report = await env().services.imports.run({ file, format: 'ndjson', batchSize: 10 });
    assert.equal(report.resumedFromLine, 20);
    assert.equal(report.counts.units, 45);
    await assertExactlyOnce(env().ctx, 'fail', 45);
  });
});

describeEachDialect('the same file imported twice at once', (env) => {
  it('writes each row once: the run behind stops with VOW_IMPORT_BUSY', async () => {
    const file = entriesFile(dir, `twice-${env().dialect}`, 45);
    const imports = env().services.imports;
    const results = await Promise.allSettled([
      imports.run({ file, format: 'ndjson', batchSize: 10 }),
      imports.run({ file, format: 'ndjson', batchSize: 10 }),
    ]);
    for (const r of results)
      if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'VOW_IMPORT_BUSY');
    // Whatever stopped, running the file again finishes it; every entrant is stored once.
    await imports.run({ file, format: 'ndjson', batchSize: 10 });
    await assertExactlyOnce(env().ctx, 'twice', 45);
  });
});

for (const dialect of testDialects()) {
  describe(`an import killed with SIGKILL mid-batch [${dialect}]`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    /** A store the worker and this process share, migrated first; and how to open it here. */
    async function shared(
      tag: string,
    ): Promise<{ workerEnv: Record<string, string>; open: () => Promise<Store> }> {
      const workerEnv: Record<string, string> = {};
      let open: () => Promise<Store>;
      if (dialect === 'sqlite') {
        const file = path.join(dir, `${tag}-${Date.now()}.sqlite`);
        workerEnv.KILL_SQLITE_FILE = file;
        open = () => openStore({ sqliteFile: file });
      } else {
        const t = await createTestStore('postgres');
        await t.store.close();
        workerEnv.KILL_DATABASE_URL = t.url!;
        cleanups.push(() => t.drop().catch(() => {}));
        open = () => openStore({ databaseUrl: t.url!, poolSize: 5 });
      }
      const first = await open();
      await createContext(testConfig(), { store: first, logger: pino({ level: 'silent' }) });
      await first.close();
      return { workerEnv, open };
    }

    /** Kills the worker inside its third batch's transaction, then imports the file again here. */
    async function killAndResume(tag: string, n: number, batchSize: number) {
      const { workerEnv, open } = await shared(tag);
      const file = entriesFile(dir, `${tag}-${dialect}`, n);
      await killWhenReached(WORKER, {
        ...workerEnv,
        IMPORT_FILE: file,
        IMPORT_BATCH_SIZE: String(batchSize),
      });

      const store = await open();
      cleanups.push(() => store.close());
      const ctx = await createContext(testConfig(), {
        store,
        clock: new ManualClock(),
        random: seededRandom(7),
        logger: pino({ level: 'silent' }),
      });
      const [partial] = await createServices(ctx).imports.runs();
      assert.equal(partial?.counts.units, 2 * batchSize, 'two batches committed before the kill');
      const report = await createServices(ctx).imports.run({ file, format: 'ndjson', batchSize });
      assert.equal(report.resumedFromLine, 2 * batchSize);
      await assertExactlyOnce(ctx, tag, n);
    }

    it('resumes in another process: nothing lost, nothing twice', () => killAndResume('kill', 55, 10));

    // Batches of 150: on PostgreSQL the third batch's entries, identifiers and links went in by
    // COPY before the kill, inside its transaction.
    it('killed after a batch wrote its rows with COPY, before its commit: nothing lost, nothing twice', () =>
      killAndResume('kill-copy', 400, 150));
  });
}
