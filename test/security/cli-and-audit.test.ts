// `vow keys rotate`, `vow audit verify|anchor`, `vow staff …` on a real SQLite file, and the audit
// trail over HTTP (paginated, auditors only) with anchors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/platform/config.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const OLD = Buffer.alloc(32, 21).toString('base64');
const NEW = Buffer.alloc(32, 22).toString('base64');

async function vow(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(['node', 'vow', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('the test principal', () => {
  it('cannot be switched on in production', async () => {
    const { createTestStore, testConfig } = await import('../helpers/env.js');
    const { buildApp } = await import('../../src/http/app.js');
    const { store, drop } = await createTestStore('sqlite');
    try {
      const ctx = await createContext(testConfig({ VOW_ENV: 'production' }), {
        store,
        logger: pino({ level: 'silent' }),
      });
      await assert.rejects(buildApp(ctx, { logger: false, testPrincipal: 'all-roles' }), /for tests only/);
    } finally {
      await drop();
    }
  });
});

describeEachDialect(
  'the first start',
  (env) => {
    it('creates one admin with a one-time password printed once, never a fixed default', async () => {
      const { announceSecurity } = await import('../../src/cli/security.js');
      const lines: string[] = [];
      const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
      await announceSecurity(env().services, io);
      const password = /one-time password (\S+)/.exec(lines.join('\n'))?.[1];
      assert.ok(password && password.length >= 20);
      // It stops working after 7 days (security.md #39): the message says so, and what to do then.
      assert.match(lines.join('\n'), /within 7 days.*vow staff reset-password admin prints a new one/s);
      lines.length = 0;
      await announceSecurity(env().services, io);
      assert.deepEqual(lines, [], 'only the very first start creates and prints it');
      const login = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        payload: { username: 'admin', password },
      });
      assert.equal(login.statusCode, 201);
      assert.equal(login.json().mustChangePassword, true);
      const staffList = await env().services.identity.staff.list();
      assert.deepEqual(
        staffList.map((s) => [s.username, s.roles]),
        [['admin', ['admin']]],
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);

describe('the vow security commands', () => {
  let dir: string;
  let env: Record<string, string>;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vow-cli-'));
    env = { VOW_DATA_DIR: dir, VOW_MASTER_KEY: OLD, VOW_LOG_LEVEL: 'silent', VOW_ENV: 'test' };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists, re-roles and disables staff; creates and revokes API keys shown once', async () => {
    const add = await vow(['staff', 'add', 'carol', '--roles', 'customer_service,auditor'], env);
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /One-time password \(shown once\): \S{20,}/);
    const bad = await vow(['staff', 'add', 'dave', '--roles', 'superuser'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /VOW_UNKNOWN_ROLE/);
    assert.equal((await vow(['staff', 'set-roles', 'carol', 'marketing'], env)).code, 0);
    const list = await vow(['staff', 'list'], env);
    assert.match(list.out, /carol\tmarketing\tmust-change-password/);
    const reset = await vow(['staff', 'reset-password', 'carol', '--clear-totp'], env);
    assert.match(reset.out, /New one-time password for carol \(shown once\): \S{20,}/);
    assert.equal((await vow(['staff', 'disable', 'carol'], env)).code, 0);
    assert.match((await vow(['staff', 'list'], env)).out, /carol\tmarketing\tdisabled/);
    const key = await vow(['staff', 'api-key', 'create', 'shop backend', '--scope', 'collect'], env);
    const m = /API key (\S+) \(shown once\): (vow_sk_\S+)/.exec(key.out);
    assert.ok(m, key.out);
    const keys = await vow(['staff', 'api-key', 'list'], env);
    assert.ok(keys.out.includes(m[1]!));
    assert.ok(!keys.out.includes(m[2]!), 'the key itself is never shown again');
    assert.equal((await vow(['staff', 'api-key', 'revoke', m[1]!], env)).code, 0);
    assert.equal((await vow(['staff', 'api-key', 'revoke', m[1]!], env)).code, 1);
  });

  it('verifies the audit trail, anchors it, and exits 1 naming the first edited entry', async () => {
    const ok = await vow(['audit', 'verify'], env);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^OK: \d+ entries/);
    const anchor = await vow(['audit', 'anchor'], env);
    assert.match(anchor.out, /anchor seq=\d+ hash=[0-9a-f]{64}/);
    const ctx = await createContext(loadConfig({ ...env }), { logger: pino({ level: 'silent' }) });
    try {
      await sql`update audit_log set action = ${'staff.account.innocent'} where seq = 2`.execute(
        ctx.store.db,
      );
    } finally {
      await ctx.store.close();
    }
    const broken = await vow(['audit', 'verify'], env);
    assert.equal(broken.code, 1);
    assert.match(broken.err, /BROKEN at entry 2: the entry was changed after it was written/);
  });

  it('rotates the master key without touching values: the new key opens everything, the old key nothing', async () => {
    const ctx = await createContext(loadConfig(env), { logger: pino({ level: 'silent' }) });
    const sealed = await ctx.vault.encrypt('subject-rot', 'Rita Rotation');
    const index = ctx.vault.blindIndex('email', 'rita@example.com');
    await ctx.store.close();

    const missing = await vow(['keys', 'rotate'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /VOW_MASTER_KEY_MISSING/);
    const keyFile = path.join(dir, 'new.key');
    writeFileSync(keyFile, `${NEW}\n`);
    const viaFile = await vow(['keys', 'rotate', '--new-key-file', keyFile], env);
    assert.equal(viaFile.code, 0, viaFile.err);
    assert.match(viaFile.out, /Re-wrapped \d+ keys? under the new master key/);
    assert.match(viaFile.out, /set VOW_MASTER_KEY .*to the NEW key/);

    const withNew = await createContext(loadConfig({ ...env, VOW_MASTER_KEY: NEW }), {
      logger: pino({ level: 'silent' }),
    });
    try {
      assert.equal(await withNew.vault.decrypt('subject-rot', sealed), 'Rita Rotation');
      assert.equal(withNew.vault.blindIndex('email', 'rita@example.com'), index);
    } finally {
      await withNew.store.close();
    }
    await assert.rejects(
      createContext(loadConfig(env), { logger: pino({ level: 'silent' }) }),
      /does not open this store/,
      'the old key opens nothing',
    );
    // The environment variable works too (rotating back).
    const back = await vow(['keys', 'rotate'], { ...env, VOW_MASTER_KEY: NEW, VOW_NEW_MASTER_KEY: OLD });
    assert.equal(back.code, 0, back.err);
  });

  it('keeps the generated development key file in step when that is the key in use', async () => {
    const dev = mkdtempSync(path.join(tmpdir(), 'vow-cli-dev-'));
    try {
      const devEnv = { VOW_DATA_DIR: dev, VOW_LOG_LEVEL: 'silent', VOW_ENV: 'development' };
      assert.equal((await vow(['audit', 'anchor'], devEnv)).code, 0);
      const rotated = await vow(['keys', 'rotate'], { ...devEnv, VOW_NEW_MASTER_KEY: NEW });
      assert.equal(rotated.code, 0, rotated.err);
      assert.match(rotated.out, /master\.key now holds the new key/);
      assert.equal((await vow(['audit', 'verify'], devEnv)).code, 0, 'the next start opens everything');
    } finally {
      rmSync(dev, { recursive: true, force: true });
    }
  });
});

describeEachDialect(
  'the audit trail over HTTP',
  (env) => {
    it('anchors the chain head from the hourly job, which schedules its next run', async () => {
      const { AUDIT_ANCHOR_JOB } = await import('../../src/platform/audit/anchor-job.js');
      await env().services.scheduleAuditAnchors();
      await env().services.scheduleAuditAnchors();
      const queued = await env().services.jobs.list({ name: AUDIT_ANCHOR_JOB });
      assert.equal(queued.length, 1, 'one job per hour, however often it is scheduled');
      await env().services.jobs.drain();
      const anchors = await env().store.db.selectFrom('audit_anchors').selectAll().execute();
      assert.equal(anchors.length, 1);
      const head = await env().store.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      assert.equal(Number(anchors[0]!.seq), Number(head.seq));
      const next = (await env().services.jobs.list({ name: AUDIT_ANCHOR_JOB })).filter(
        (j) => j.status !== 'done',
      );
      assert.equal(next.length, 1);
      assert.ok(
        new Date(next[0]!.runAt).getTime() > env().clock.now().getTime(),
        'the next run is in the future',
      );
    });

    it('pages through the trail for auditors, oldest first, and reports a tampered row and a rewritten anchor', async () => {
      const auditor = await staffCaller(env(), ['auditor']);
      for (let i = 0; i < 7; i++)
        await env().ctx.audit.record({ actor: { type: 'system' }, action: 'test.page', details: { i } });
      const seen: number[] = [];
      let after = 0;
      for (let page = 0; page < 20; page++) {
        const res = await env().app.inject({
          method: 'GET',
          url: `/v1/audit?after=${after}&limit=3`,
          headers: auditor.headers,
        });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json();
        assert.ok(body.entries.length <= 3);
        seen.push(...body.entries.map((e: { seq: number }) => e.seq));
        if (body.next === null) break;
        after = body.next;
      }
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => a - b),
      );
      assert.equal(new Set(seen).size, seen.length);
      assert.ok(seen.length >= 7);

      const anchor = await env().ctx.audit.anchor();
      const good = await env().app.inject({
        method: 'GET',
        url: '/v1/audit/verify',
        headers: auditor.headers,
      });
      assert.equal(good.json().ok, true);
      assert.ok(good.json().anchors >= 1);

      // Someone rewrites history and recomputes every hash after entry 3: the chain is whole again,
      // but the anchor taken earlier no longer matches.
      const { hashEntry } = await import('../../src/platform/audit/audit.js');
      const rows = await env().store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      let prev = 'genesis';
      for (const r of rows) {
        const seq = Number(r.seq);
        const row = { ...r, seq, reason: seq === 3 ? 'rewritten' : r.reason };
        const { prev_hash: _p, hash: _h, ...rest } = row;
        const hash = hashEntry(prev, rest);
        await env()
          .store.db.updateTable('audit_log')
          .set({ reason: row.reason, prev_hash: prev, hash })
          .where('seq', '=', seq)
          .execute();
        prev = hash;
      }
      await env().store.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
      const res = await env().ctx.audit.verify();
      assert.equal(res.ok, false);
      assert.ok(!res.ok && res.brokenAt === anchor.seq, JSON.stringify(res));
      assert.match(!res.ok ? res.problem : '', /anchor/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
