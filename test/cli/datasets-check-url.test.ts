// `vow datasets check FILE --url URL` against a database it cannot connect to, run as the real
// command: one VOW_DATASET_UNAVAILABLE line saying so, where each annotated table was reported
// missing from the database ("the database has no table customers (connect ECONNREFUSED …)").
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PG_URL, testDialects } from '../helpers/env.js';
import { runVow, STACK_FRAME } from '../helpers/vow-command.js';

const ANNOTATION = fileURLToPath(new URL('../../datasets/example-shop.yaml', import.meta.url));

describe('vow datasets check --url where no database answers', () => {
  it('says it cannot connect, once', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const urls: [string, RegExp][] = [[`postgres://postgres@127.0.0.1:${port}/shop`, /ECONNREFUSED/]];
    if (testDialects().includes('postgres')) {
      const missing = new URL(PG_URL);
      missing.pathname = '/vow_no_such_shop';
      urls.push([missing.toString(), /database "vow_no_such_shop" does not exist/]);
    }
    for (const [url, why] of urls) {
      const r = await runVow(['datasets', 'check', ANNOTATION, '--url', url], {});
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr, STACK_FRAME);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^VOW_DATASET_UNAVAILABLE: Cannot connect to the database to check against: /);
      assert.match(lines[0]!, why);
      assert.doesNotMatch(r.stderr, /has no table/);
    }
  });
});
