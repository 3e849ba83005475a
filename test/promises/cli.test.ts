import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/app/context.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/platform/config.js';

describe('vow promises check', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-promises-'));
  const env = {
    VOW_DATA_DIR: dir,
    VOW_LOG_LEVEL: 'silent',
    VOW_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
  };
  const saved = { ...process.env };
  before(() => Object.assign(process.env, env));
  after(() => {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  const run = async () => {
    const out: string[] = [];
    const code = await main(['node', 'vow', 'promises', 'check'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    return { code, text: out.join('\n') };
  };

  it('prints the table and exits 0 when every promise is kept', async () => {
    const { code, text } = await run();
    assert.equal(code, 0, text);
    assert.match(text, /^promise\s+status/m);
    assert.match(text, /P13\s+kept/);
    assert.match(text, /P18\s+tests only/);
  });

  it('exits 1 and names the promise and the record when one is broken', async () => {
    const ctx = await createContext(loadConfig(env));
    await ctx.store.db
      .insertInto('under13_markers')
      .values({ kind: 'email', blind_index: 'bi-child', marked_at: '2026-01-01T00:00:00.000Z' })
      .execute();
    await ctx.store.db
      .insertInto('subject_identifiers')
      .values({
        id: 'ident-7',
        subject_id: 's7',
        kind: 'email',
        blind_index: 'bi-child',
        sealed_value: 'v1.a.b.c',
        field: 'email',
        subject_kind: 'contestant',
        collection_point: 'contest_entry',
        record_type: 'contest_entry',
        record_id: 'r7',
        policy_version: ctx.policy.version,
        collected_at: '2026-01-02T00:00:00.000Z',
      })
      .execute();
    await ctx.store.close();
    const { code, text } = await run();
    assert.equal(code, 1);
    assert.match(text, /P14\s+broken\s+1\s+under13\.identifier_returned ×1/);
    assert.match(
      text,
      /subject_identifiers:ident-7\s+under13\.identifier_returned\s+\{"subject":"s7","kind":"email"\}/,
    );
    assert.match(text, /\(full check of \d+ people and visitors in [\d.]+ s\)/);
  });
});
