// An import into PostgreSQL writes its batches' large plain inserts (identifiers, record links,
// records, audit entries) with COPY (src/platform/store/pg-copy.ts): a batch mixing people Vow
// already holds and new ones keeps each person one person, the same file run again changes
// nothing, and a batch that fails after its COPYs, before its commit, leaves nothing behind and is
// written whole when the import continues. The same tests run on SQLite, which has no COPY.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type pg from 'pg';
import { ImportService } from '../../src/modules/imports/index.js';
import { pgDriver } from '../../src/platform/store/pg-driver.js';
import { describeEachDialect } from '../helpers/env.js';
import { rowCount as count, ndjsonFile, registration, scratchFolder } from '../helpers/import-files.js';

const dir = scratchFolder('copy');

/** An NDJSON file of the registrations of people `from` to `to - 1`. */
const registrations = (name: string, tag: string, from: number, to: number): string =>
  ndjsonFile(
    dir,
    name,
    Array.from({ length: to - from }, (_, k) => registration(tag, from + k)),
  );

/** The tables the `pg` clients of this process COPY into while `work` runs. */
async function copiedInto(work: () => Promise<unknown>): Promise<string[]> {
  const tables: string[] = [];
  const proto = pgDriver().Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const text = (args[0] as { text?: unknown } | undefined)?.text;
    const copy = typeof text === 'string' ? /^copy "(\w+)"/.exec(text) : null;
    if (copy) tables.push(copy[1]!);
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return tables;
}

describeEachDialect('an import written with COPY', (env) => {
  it('a batch mixing known and new people: each person once, known ones kept; run again, nothing changes', async () => {
    const tag = `mix-${env().dialect}`;
    const people = await count(env(), 'subjects');
    const regs = await count(env(), 'registrations');
    const imports = env().services.imports;
    await imports.run({
      file: registrations(`${tag}-a.ndjson`, tag, 0, 150),
      format: 'ndjson',
      batchSize: 150,
    });
    const known = new Map<number, string>();
    for (let i = 75; i < 150; i++)
      known.set(i, (await env().services.subjects.findByEmail(`${tag}.${i}@example.com`))!);
    // People 75-149 again and 150-224 new, in one batch of 150.
    const second = registrations(`${tag}-b.ndjson`, tag, 75, 225);
    const copied = await copiedInto(() => imports.run({ file: second, format: 'ndjson', batchSize: 150 }));
    if (env().dialect === 'postgres')
      for (const table of ['subject_identifiers', 'subject_records', 'registrations'])
        assert.ok(copied.includes(table), `${table} written with COPY`);
    else assert.deepEqual(copied, []);
    assert.equal((await count(env(), 'subjects')) - people, 225);
    assert.equal((await count(env(), 'registrations')) - regs, 300);
    for (let i = 0; i < 225; i++) {
      const id = await env().services.subjects.findByEmail(`${tag}.${i}@example.com`);
      assert.ok(id, `person ${i} is known`);
      assert.equal(await env().services.subjects.findByAccount(`${tag}-${i}`), id);
      if (known.has(i)) assert.equal(id, known.get(i), `person ${i} is still the person of the first file`);
    }
    const identifiers = await count(env(), 'subject_identifiers');
    const again = await imports.run({ file: second, format: 'ndjson', batchSize: 150 });
    assert.equal(again.alreadyImported, true);
    assert.equal((await count(env(), 'subjects')) - people, 225);
    assert.equal((await count(env(), 'registrations')) - regs, 300);
    assert.equal(await count(env(), 'subject_identifiers'), identifiers);
  });

  it('a batch that fails after its COPYs, before its commit, keeps nothing; continued, every row once', async () => {
    const tag = `fail-${env().dialect}`;
    const people = await count(env(), 'subjects');
    const regs = await count(env(), 'registrations');
    const file = registrations(`${tag}.ndjson`, tag, 0, 400);
    const failing = new ImportService(env().ctx, env().services.collection, env().services.consent, {
      beforeCommit: (n) => {
        if (n === 2) throw new Error('injected crash');
      },
    });
    const copied = await copiedInto(() =>
      assert.rejects(failing.run({ file, format: 'ndjson', batchSize: 150 }), /injected crash/),
    );
    if (env().dialect === 'postgres')
      assert.ok(
        copied.filter((t) => t === 'registrations').length >= 2,
        'the failed batch had written its rows with COPY',
      );
    assert.equal((await count(env(), 'registrations')) - regs, 150, 'only the first batch committed');
    const report = await env().services.imports.run({ file, format: 'ndjson', batchSize: 150 });
    assert.equal(report.resumedFromLine, 150);
    assert.deepEqual(report.counts.collected, { registration: 400 });
    assert.equal((await count(env(), 'registrations')) - regs, 400);
    assert.equal((await count(env(), 'subjects')) - people, 400);
  });
});
