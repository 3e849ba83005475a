// `vow datasets seed-example --url` with a URL that names no database, run as the real command in a
// folder of its own: refused in one line with VOW_DATASET_UNAVAILABLE, and no file left behind,
// where any scheme it did not know (http://, a typo such as postgress://) was taken for a SQLite
// path and a database file named after the URL was created and reported "ready".
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertOneLine, runVow } from '../helpers/vow-command.js';

/** One refusal line (test/helpers/vow-command.ts), and no "ready" on stdout. */
function assertRefused(r: { code: number | null; stderr: string; stdout: string }, message: RegExp): void {
  assertOneLine(r, message);
  assert.doesNotMatch(r.stdout, /ready/);
}

describe('vow datasets seed-example --url that names no database', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'vow-seed-url-'));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('an unknown scheme is refused and creates no file', async () => {
    for (const url of ['http://shop.example.com/db', 'postgress://postgres@127.0.0.1/shop']) {
      const r = await runVow(['datasets', 'seed-example', '--url', url], {}, { cwd });
      assertRefused(
        r,
        /^VOW_DATASET_UNAVAILABLE: Cannot open the dataset at .*: not a database URL \(use postgres:\/\/…/,
      );
    }
    assert.deepEqual(readdirSync(cwd), [], 'nothing was created');
  });

  it('a folder given as the SQLite file: one line, no stack trace', async () => {
    mkdirSync(path.join(cwd, 'shop'));
    const r = await runVow(['datasets', 'seed-example', '--url', 'sqlite:shop'], {}, { cwd });
    assertRefused(r, /^VOW_DATASET_UNAVAILABLE: Cannot create the example shop at shop: it is a folder$/);
    rmSync(path.join(cwd, 'shop'), { recursive: true });
  });

  it('a database out of reach is not told to --reset', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const r = await runVow(
      ['datasets', 'seed-example', '--url', `postgres://postgres@127.0.0.1:${port}/shop`],
      {},
      { cwd },
    );
    assertRefused(
      r,
      /^VOW_DATASET_UNAVAILABLE: Cannot create the example shop at .*ECONNREFUSED.*\(check the URL and that the database is running\)$/,
    );
  });
});
