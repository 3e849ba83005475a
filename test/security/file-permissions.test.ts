// Data at rest on the disk (P13): the data folder is the owner's only (0700) and every file Vow
// writes into it (the SQLite database and its journals, the generated master key, the development
// mailbox) is 0600 whatever the umask; a folder or file left looser by an older version is tightened
// when Vow opens it. SQLite syncs every commit (synchronous=FULL), so a commit survives a power cut.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { ManualClock } from '../../src/platform/clock.js';
import { transportFromConfig } from '../../src/platform/mail/index.js';
import { openStore } from '../../src/platform/store/index.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;
const octal = (mode: number) => `0${mode.toString(8)}`;

describe('the data folder on disk [sqlite file]', () => {
  let root: string;
  let umask: number;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vow-perms-'));
    // The usual umask, under which a plain mkdir or open gives 0755 and 0644.
    umask = process.umask(0o022);
  });
  after(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the folder 0700 and the database, its WAL, the master key and the mailbox 0600', async () => {
    const dir = path.join(root, 'fresh', 'data');
    const config = testConfig({ VOW_DATA_DIR: dir, VOW_MASTER_KEY: '', VOW_ENV: 'development' });
    const ctx = await createContext(config, { logger: pino({ level: 'silent' }) });
    try {
      const services = createServices(ctx);
      services.mail.useTransport(transportFromConfig(config, ctx.clock));
      await services.mail.enqueue({ to: 'perm.check@example.com', subject: 'Hi', text: 'x', kind: 'test' });
      await services.jobs.drain();
      assert.equal(octal(modeOf(dir)), '0700', 'data folder');
      for (const name of ['vow.sqlite', 'vow.sqlite-wal', 'vow.sqlite-shm', 'master.key', 'mail.jsonl'])
        assert.equal(octal(modeOf(path.join(dir, name))), '0600', name);
      const [row] = (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(ctx.store.db)).rows;
      assert.equal(Number(row?.synchronous), 2, 'synchronous=FULL (2)');
    } finally {
      await ctx.store.close();
    }
  });

  it('tightens a folder and files an older version left 0755 and 0644', async () => {
    const dir = path.join(root, 'older');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'vow.sqlite');
    for (const f of [file, `${file}-wal`]) {
      writeFileSync(f, '');
      chmodSync(f, 0o644);
    }
    const store = await openStore({ sqliteFile: file });
    try {
      assert.equal(octal(modeOf(dir)), '0700');
      assert.equal(octal(modeOf(file)), '0600');
      assert.equal(octal(modeOf(`${file}-wal`)), '0600');
    } finally {
      await store.close();
    }
  });
});

describeEachDialect('the development mailbox file', (env) => {
  let root: string;
  let umask: number;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vow-mailbox-'));
    umask = process.umask(0o022);
  });
  after(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('is written 0600 in a 0700 folder, and comes back 0600 after being removed', async () => {
    const dir = path.join(root, env().dialect);
    const config = testConfig({ VOW_DATA_DIR: dir, VOW_ENV: 'development' });
    const transport = transportFromConfig(config, new ManualClock());
    assert.equal(transport.name, 'file');
    const send = (n: number) =>
      transport.send({ from: 'a@b.example', to: 'c@d.example', subject: 'Hi', text: 'x', outboxId: `o${n}` });
    await send(1);
    assert.equal(octal(modeOf(dir)), '0700');
    assert.equal(octal(modeOf(path.join(dir, 'mail.jsonl'))), '0600');
    rmSync(path.join(dir, 'mail.jsonl'));
    await send(2);
    assert.equal(octal(modeOf(path.join(dir, 'mail.jsonl'))), '0600');
  });
});
