// `vow webhooks`: an admin adds an endpoint (secret printed once), lists it, rotates its secret.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';

describe('vow webhooks', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-webhooks-'));
  const env = {
    VOW_DATA_DIR: dir,
    VOW_LOG_LEVEL: 'silent',
    VOW_ENV: 'test',
    VOW_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'vow', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('adds, lists and rotates an endpoint; a bad event type is refused with its code', async () => {
    const migrate = await run('migrate');
    assert.equal(migrate.code, 0, migrate.err);
    const added = await run(
      'webhooks',
      'add',
      'https://crm.example/hooks/vow',
      '--events',
      'deletion.requested,consent.withdrawn',
      '--recipient',
      'email_service',
    );
    assert.equal(added.code, 0, added.err);
    const [, id, secret] =
      /Endpoint (whep_\w+); signing secret \(shown once\): (whsec_\S+)/.exec(added.out) ?? [];
    assert.ok(id && secret, added.out);
    const listed = await run('webhooks', 'list');
    assert.match(
      listed.out,
      new RegExp(
        `${id}\\thttps://crm.example/hooks/vow\\temail_service\\tdeletion.requested,consent.withdrawn\\tactive`,
      ),
    );
    assert.ok(!listed.out.includes('whsec_'), 'the secret is never listed');
    const rotated = await run('webhooks', 'rotate', id);
    assert.match(rotated.out, /New signing secret \(shown once\): whsec_/);
    assert.match((await run('webhooks', 'list')).out, /\trotating/);
    const bad = await run('webhooks', 'add', 'https://crm.example/x', '--events', 'order.placed');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^VOW_WEBHOOK_EVENT_UNKNOWN/);
  });
});
