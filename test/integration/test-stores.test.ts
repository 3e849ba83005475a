// The throw-away stores of the tests (test/helpers/env.ts). PostgreSQL: each commit returns
// without waiting for the disk (synchronous_commit off on the database, so a `vow` child process
// connecting to it has it too), and what one connection commits another reads at once.
// SQLite: a copy in memory of one store migrated once per process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { MIGRATIONS } from '../../src/app/migrations.js';
import { createTestStore, testDialects } from '../helpers/env.js';

describe('a PostgreSQL test database', {
  skip: testDialects().includes('postgres') ? false : 'PostgreSQL is not under test',
}, () => {
  let made: Awaited<ReturnType<typeof createTestStore>>;
  let other: pg.Client;
  before(async () => {
    made = await createTestStore('postgres', { migrated: true });
    other = new pg.Client({ connectionString: made.url });
    await other.connect();
  });
  after(async () => {
    await other?.end();
    await made?.drop();
  });

  it('commits without waiting for the disk, on every connection to it', async () => {
    const shown = await other.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    assert.equal(shown.rows[0]!.synchronous_commit, 'off');
  });

  it('shows what one connection committed to another at once', async () => {
    await made.store.db
      .insertInto('vow_meta')
      .values({ key: 'seen', value: 'yes', updated_at: 'now' })
      .execute();
    const read = await other.query<{ value: string }>("SELECT value FROM vow_meta WHERE key = 'seen'");
    assert.deepEqual(
      read.rows.map((r) => r.value),
      ['yes'],
    );
  });
});

describe('a migrated SQLite test store', () => {
  it('is a copy of one migrated store: every migration applied, and what one copy writes no other sees', async () => {
    const a = await createTestStore('sqlite', { migrated: true });
    const b = await createTestStore('sqlite', { migrated: true });
    try {
      const applied = await a.store.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      assert.equal(applied.length, Object.keys(MIGRATIONS).length);
      await a.store.db
        .insertInto('vow_meta')
        .values({ key: 'seen', value: 'yes', updated_at: 'now' })
        .execute();
      const inB = await b.store.db.selectFrom('vow_meta').select('value').where('key', '=', 'seen').execute();
      assert.deepEqual(inB, []);
      const c = await createTestStore('sqlite', { migrated: true });
      const inC = await c.store.db.selectFrom('vow_meta').select('value').where('key', '=', 'seen').execute();
      await c.drop();
      assert.deepEqual(inC, []);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});
