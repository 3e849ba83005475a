// VOW_DATABASE_URL pointing where there is no database to use, run as the real command: a port
// where nothing listens, a database that does not exist, a user PostgreSQL does not know. One line
// with VOW_DATABASE_UNAVAILABLE saying what to check, where it was VOW_MIGRATION_FAILED for a
// migration "(unknown)" (no migration had run, and none was wrong).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import pg from 'pg';
import { PG_URL, testDialects } from '../helpers/env.js';
import { COMMAND_MASTER_KEY, runVow, STACK_FRAME } from '../helpers/vow-command.js';

/** A loopback port nothing listens on (taken from the system, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function urlWith(change: (u: URL) => void): string {
  const u = new URL(PG_URL);
  change(u);
  return u.toString();
}

describe('vow with VOW_DATABASE_URL where no database answers [postgres]', {
  skip: !testDialects().includes('postgres') && 'PostgreSQL is not under test',
}, () => {
  it('names VOW_DATABASE_UNAVAILABLE, the place (without a password) and what to check', async () => {
    const port = await closedPort();
    const cases = [
      [
        urlWith((u) => {
          u.port = String(port);
          u.password = 'secret';
        }),
        /ECONNREFUSED/,
      ],
      [
        urlWith((u) => {
          u.pathname = '/vow_no_such_database';
        }),
        /database "vow_no_such_database" does not exist/,
      ],
      [
        urlWith((u) => {
          u.username = 'vow_no_such_user';
        }),
        /"vow_no_such_user"/,
      ],
    ] as const;
    for (const [url, why] of cases) {
      for (const args of [['migrate'], ['staff', 'list']]) {
        const r = await runVow(args, { VOW_DATABASE_URL: url, VOW_MASTER_KEY: COMMAND_MASTER_KEY });
        assert.equal(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stderr, STACK_FRAME);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!, /^VOW_DATABASE_UNAVAILABLE: Cannot connect to the database at postgres:\/\//);
        assert.match(lines[0]!, why);
        assert.match(lines[0]!, /Check VOW_DATABASE_URL/);
        assert.doesNotMatch(lines[0]!, /secret/, 'the password is not printed');
      }
    }
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const r = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'vow_no_such_database'");
      assert.equal(r.rowCount, 0, 'no database was created');
    } finally {
      await admin.end();
    }
  });
});
