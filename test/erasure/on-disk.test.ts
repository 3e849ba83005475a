// Crypto-shredding holds on disk (P22, P14): after a deletion or the under-13 purge, the SQLite file
// and its write-ahead log no longer hold the person's wrapped data key nor any of their sealed values,
// even in free space or in the log's earlier page versions. Otherwise a copy of the data folder taken
// after the erasure would give, with the master key, the key that opens every backup taken before it.
// SQLite only (PostgreSQL's dead row versions: docs/operations.md, "Erased rows on disk").
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { sql } from 'kysely';
import { address, markUnder13, orderBody, post } from '../collection/fixtures.js';
import type { TestEnv } from '../helpers/env.js';
import { captureMail, verifiedRequest } from '../rights/real-flow.js';
import { fileEnv, onDisk, removeFileEnvs } from './file-env.js';

after(removeFileEnvs);

/** A buyer; returns their id and what of theirs must not outlive the erasure on disk. */
async function buyer(
  e: TestEnv,
  n: string,
): Promise<{ subjectId: string; email: string; secrets: string[] }> {
  const email = `sara.ondisk${n}@example.com`;
  const home = address(`${n}2 Ondisk Way`);
  const r = await post(
    e,
    '/v1/orders',
    orderBody(`disk-${n}`, {
      buyer: {
        name: 'Sara Ondisk',
        email,
        phone: `(608) 265-12${n}`,
        billing_address: home,
        shipping_address: home,
      },
    }),
  );
  assert.equal(r.statusCode, 201, r.body);
  const subjectId = (await e.services.subjects.findByEmail(email))!;
  const db = e.store.db;
  const key = await db
    .selectFrom('data_keys')
    .select('wrapped_key')
    .where('subject_id', '=', subjectId)
    .executeTakeFirstOrThrow();
  const identifiers = await db
    .selectFrom('subject_identifiers')
    .select('sealed_value')
    .where('subject_id', '=', subjectId)
    .execute();
  const order = await db
    .selectFrom('orders')
    .select('buyer_sealed')
    .where('buyer_subject_id', '=', subjectId)
    .executeTakeFirstOrThrow();
  const secrets = [key.wrapped_key, order.buyer_sealed, ...identifiers.map((i) => i.sealed_value)];
  return { subjectId, email, secrets: secrets.filter((s): s is string => !!s).map((s) => s.slice(0, 48)) };
}

it('a completed deletion leaves neither the wrapped key nor a sealed value in the SQLite file or its log', async () => {
  const { e, file, close } = await fileEnv();
  try {
    const sent = captureMail(() => e);
    const p = await buyer(e, '01');
    assert.ok(onDisk(file, p.secrets).length > 0, 'the probe sees the values before');
    await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email: p.email });
    const request = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === p.subjectId && r.type === 'deletion',
    );
    assert.equal(request?.status, 'completed');
    // While Vow runs (a copy of the folder taken now), and after it stopped.
    assert.deepEqual(onDisk(file, p.secrets), []);
    await close();
    assert.deepEqual(onDisk(file, p.secrets), []);
  } finally {
    await close();
  }
});

it('the under-13 purge leaves neither the wrapped key nor a sealed value in the SQLite file or its log', async () => {
  const { e, file, close } = await fileEnv();
  try {
    const p = await buyer(e, '02');
    const purged = await markUnder13(e, p.subjectId);
    assert.equal(purged.statusCode, 200);
    assert.deepEqual(onDisk(file, p.secrets), []);
    await close();
    assert.deepEqual(onDisk(file, p.secrets), []);
  } finally {
    await close();
  }
});

it('emptying the log waits for no reader: with one in an older snapshot it leaves the log and keeps the busy timeout', async () => {
  const { e, file, close } = await fileEnv();
  try {
    const { forgetOldPages } = await import('../../src/platform/store/index.js');
    const Database = (await import('better-sqlite3')).default;
    const reader = new Database(file);
    try {
      reader.prepare('begin').run();
      reader.prepare('select count(*) from vow_meta').get();
      await post(e, '/v1/contest-entries', { name: 'Rea Der', email: 'rea.der@example.com' });
      assert.equal(await forgetOldPages(e.store), false, 'a reader keeps the log');
      reader.prepare('commit').run();
    } finally {
      reader.close();
    }
    assert.equal(await forgetOldPages(e.store), true);
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(e.store.db);
    assert.equal(Number(timeout.rows[0]?.timeout), 5000, 'the busy timeout is back');
  } finally {
    await close();
  }
});
