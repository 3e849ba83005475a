import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { main } from '../../src/cli/main.js';
import { buildApp } from '../../src/http/app.js';
import { testConfig } from '../helpers/env.js';

// The CLI reads its configuration from the environment: point it at a throw-away SQLite folder.
describe('vow email render', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-email-'));
  const env = {
    VOW_DATA_DIR: dir,
    VOW_LOG_LEVEL: 'silent',
    VOW_ENV: 'test',
    VOW_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  const saved: Record<string, string | undefined> = {};
  let subjectId = '';

  before(async () => {
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const ctx = await createContext(testConfig({ VOW_DATA_DIR: dir }));
    const services = createServices(ctx);
    const app = await buildApp(
      ctx,
      { logger: false, testPrincipal: 'all-roles', rateLimits: false },
      services,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/v1/contest-entries',
      payload: { email: 'cli@example.com' },
    });
    subjectId = res.json().subjectId;
    await app.close();
    await ctx.store.close();
  });

  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a message with one-click unsubscribe headers for an enrolled person', async () => {
    const out: string[] = [];
    const code = await main(
      ['node', 'vow', 'email', 'render', '--subject-id', subjectId, '--subject', 'Hi', '--text', 'Hello'],
      {
        out: (t) => out.push(t),
        err: (t) => out.push(t),
      },
    );
    assert.equal(code, 0, out.join('\n'));
    const mail = await simpleParser(out.join(''));
    assert.equal(mail.subject, 'Hi');
    const keys = mail.headerLines.map((h) => h.key);
    assert.ok(keys.includes('list-unsubscribe'));
    assert.ok(keys.includes('list-unsubscribe-post'));
  });

  it('exits 1 with VOW_UNKNOWN_SUBJECT for an unknown person', async () => {
    const err: string[] = [];
    const code = await main(
      ['node', 'vow', 'email', 'render', '--subject-id', 'nobody', '--subject', 'Hi', '--text', 'Hello'],
      { out: () => {}, err: (t) => err.push(t) },
    );
    assert.equal(code, 1);
    assert.match(err.join(''), /VOW_UNKNOWN_SUBJECT/);
  });
});
