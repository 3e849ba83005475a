// Audit anchors outside the database: the file is appended to, read per chain, and `verify()` (vow
// audit verify, GET /v1/audit/verify) checks the chain against it.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrate } from '../../src/app/migrations.js';
import { AuditTrail, FileAnchorStore } from '../../src/platform/audit/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { openStore } from '../../src/platform/store/index.js';

async function trail() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vow-anchors-')), 'anchors.jsonl');
  const store = await openStore({ sqliteFile: ':memory:' });
  await migrate(store);
  const audit = new AuditTrail(store, new ManualClock(), new FileAnchorStore(file));
  for (let i = 0; i < 3; i++) await audit.record({ actor: { type: 'system' }, action: `test.entry${i}` });
  return { file, store, audit };
}

describe('audit anchors in a file', () => {
  it('each anchor is a line of its chain; other chains and unreadable lines are told apart', async () => {
    const { file, store, audit } = await trail();
    const a = await audit.anchor('cli');
    appendFileSync(
      file,
      '{"chain":"another-store","seq":99,"hash":"x","at":"2026-01-01T00:00:00.000Z","by":"job"}\nnot json\n',
    );
    const kept = await audit.keptAnchors();
    assert.deepEqual(
      kept.anchors.map((k) => [k.seq, k.hash, k.by]),
      [[a.seq, a.hash, 'cli']],
    );
    assert.equal(kept.unreadable, 1);
    assert.equal(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!).chain, await audit.chainId());
    assert.equal((await audit.verify()).ok, true);
    await store.close();
  });

  it('verify() finds a trail truncated past an anchor, even with its head and database anchors fixed', async () => {
    const { store, audit } = await trail();
    const a = await audit.anchor('job');
    await sql`delete from audit_log where seq = ${a.seq}`.execute(store.db);
    const prev = await store.db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('audit_head')
      .set({ seq: Number(prev.seq), hash: prev.hash })
      .where('id', '=', 1)
      .execute();
    await sql`delete from audit_anchors`.execute(store.db);
    const v = await audit.verify();
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.problem, /anchor file recorded entry 3/);
    await store.close();
  });
});
