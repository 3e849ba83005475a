// Two batches at once (batch-writer.ts): the next batch is prepared while one is written, only after
// a batch that cannot change what that preparation reads; a person the batch being written creates
// is still one person; a crash with a batch prepared ahead loses and duplicates nothing.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ImportService } from '../../src/modules/imports/index.js';
import { VowError } from '../../src/platform/errors.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { rowCount as count, ndjsonFile, registration, scratchFolder } from '../helpers/import-files.js';

const dir = scratchFolder('overlap');
const ndjson = (name: string, rows: readonly object[]) => ndjsonFile(dir, name, rows);

/**
 * An import service that records the first lines of the batches it prepared ahead and of those whose
 * transaction began while the one before it committed. `crashAt`: the n-th commit throws (a crash);
 * `refuseAt`: the n-th commit is refused whole once (as staff marking someone under 13 meanwhile).
 */
function recording(env: TestEnv, extra: { crashAt?: number; refuseAt?: number } = {}) {
  const ahead: number[] = [];
  const alongside: number[] = [];
  const service = new ImportService(env.ctx, env.services.collection, env.services.consent, {
    preparedAhead: (line) => ahead.push(line),
    beganAlongside: (line) => alongside.push(line),
    beforeCommit: (n) => {
      if (n === extra.crashAt) throw new Error('injected crash');
      if (n === extra.refuseAt) throw new VowError('VOW_UNDER_13', 'injected refusal');
    },
  });
  return { service, ahead, alongside };
}

describeEachDialect('an import writing one batch while preparing the next', (env) => {
  it('prepares each batch of registrations ahead; people repeated across batches stay one person each', async () => {
    const tag = `rep-${env().dialect}`;
    // 30 registrations of 12 people: each person again in a later batch of 5 (and sometimes the next).
    const file = ndjson(
      `${tag}.ndjson`,
      Array.from({ length: 30 }, (_, i) => registration(tag, i % 12)),
    );
    const before = await count(env(), 'subjects');
    const { service, ahead, alongside } = recording(env());
    const report = await service.run({ file, format: 'ndjson', batchSize: 5 });
    assert.deepEqual(report.counts.collected, { registration: 30 });
    assert.deepEqual(ahead, [6, 11, 16, 21, 26], 'every batch after the first was prepared ahead');
    assert.deepEqual(
      alongside,
      env().dialect === 'postgres' ? [6, 11, 16, 21, 26] : [],
      'on PostgreSQL, each transaction began while the one before it committed',
    );
    assert.equal((await count(env(), 'subjects')) - before, 12);
    for (let i = 0; i < 12; i++) {
      const id = await env().services.subjects.findByEmail(`${tag}.${i}@example.com`);
      assert.ok(id);
      assert.equal(await env().services.subjects.findByAccount(`${tag}-${i}`), id);
      assert.equal((await env().services.consent.states(id)).account_updates, 'granted');
    }
  });

  it('prepares nothing ahead of a batch that may lift an opt-out (a contest entry, P11)', async () => {
    const tag = `lift-${env().dialect}`;
    const file = ndjson(`${tag}.ndjson`, [
      registration(tag, 1),
      { type: 'contest_entry', body: { email: `${tag}.2@example.com` } },
      registration(tag, 3),
      registration(tag, 4),
    ]);
    const { service, ahead } = recording(env());
    const report = await service.run({ file, format: 'ndjson', batchSize: 1 });
    assert.deepEqual(report.counts.collected, { registration: 3, contest_entry: 1 });
    // Line 2 after a registration: ahead. Line 3 after the contest entry: not. Line 4: ahead.
    assert.deepEqual(ahead, [2, 4]);
  });

  it('stopped by a crash with the next batch prepared, continues: every registration once', async () => {
    const tag = `crash-${env().dialect}`;
    const file = ndjson(
      `${tag}.ndjson`,
      Array.from({ length: 45 }, (_, i) => registration(tag, i)),
    );
    const regs = await count(env(), 'registrations');
    const people = await count(env(), 'subjects');
    const { service, ahead } = recording(env(), { crashAt: 3 });
    await assert.rejects(service.run({ file, format: 'ndjson', batchSize: 10 }), /injected crash/);
    assert.ok(ahead.includes(31), 'the batch after the failed one had been prepared');
    const report = await env().services.imports.run({ file, format: 'ndjson', batchSize: 10 });
    assert.equal(report.resumedFromLine, 20);
    assert.deepEqual(report.counts.collected, { registration: 45 });
    assert.equal((await count(env(), 'registrations')) - regs, 45);
    assert.equal((await count(env(), 'subjects')) - people, 45);
  });

  it('a batch refused whole while the next one is written alongside: the next rolls back and waits; each person once, in order', async () => {
    const tag = `refuse-${env().dialect}`;
    // 40 registrations of 16 people in batches of 8: every person again in the next batch.
    const file = ndjson(
      `${tag}.ndjson`,
      Array.from({ length: 40 }, (_, i) => registration(tag, i % 16)),
    );
    const regs = await count(env(), 'registrations');
    const people = await count(env(), 'subjects');
    const { service } = recording(env(), { refuseAt: 2 });
    const report = await service.run({ file, format: 'ndjson', batchSize: 8 });
    // The refusal was injected once: the batch's rows went in one by one, none refused.
    assert.equal(report.counts.refused, 0);
    assert.deepEqual(report.counts.collected, { registration: 40 });
    assert.equal((await count(env(), 'registrations')) - regs, 40);
    assert.equal((await count(env(), 'subjects')) - people, 16);
    const run = await env().services.imports.findRun(report.runId!);
    assert.equal(run.checkpointLine, 40);
    assert.equal(run.counts.units, 40);
  });
});
