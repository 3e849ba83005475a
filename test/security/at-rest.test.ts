// Encryption at rest (P13) on a real SQLite file: no plaintext personal value in the file, a copy
// taken after deletion and key destruction cannot be decrypted, production needs a master key.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices, type Services } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { Vault } from '../../src/platform/crypto/vault.js';
import { openStore } from '../../src/platform/store/open-store.js';
import { testConfig } from '../helpers/env.js';

const KEY = Buffer.alloc(32, 7);

const PERSON = {
  name: 'Zelda Quixotewright',
  email: 'zelda.quixotewright@example.com',
  phoneDigits: '6082654321',
  phone: '(608) 265-4321',
  street: '742 Evergreen Terrace',
  giftName: 'Yorick Plumtree',
  giftStreet: '31 Spooner Street',
  catalogStreet: '1640 Riverside Drive',
};

const address = (line1: string) => ({
  line1,
  city: 'Springfield',
  region: 'OR',
  postal_code: '97403',
  country: 'US',
});

function fileBytes(dir: string): string {
  // The database file and any WAL or journal beside it.
  return readdirSync(dir)
    .filter((f) => f.startsWith('vow.sqlite'))
    .map((f) => readFileSync(path.join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('encryption at rest in a real SQLite file', () => {
  let dir: string;
  let ctx: VowContext;
  let services: Services;
  let app: FastifyInstance;
  let subjectId: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vow-at-rest-'));
    const store = await openStore({ sqliteFile: path.join(dir, 'vow.sqlite') });
    ctx = await createContext(testConfig(), {
      store,
      clock: new ManualClock(),
      random: seededRandom(7),
      logger: pino({ level: 'silent' }),
      masterKey: KEY,
    });
    services = createServices(ctx);
    app = await buildApp(ctx, { logger: false, testPrincipal: 'all-roles' }, services);
    await app.ready();
    const post = async (url: string, payload: unknown) => {
      const res = await app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode === 201 || res.statusCode === 202, `${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const order = await post('/v1/orders', {
      shop_order_id: 'SO-AT-REST-1',
      placed_at: '2026-01-10T10:00:00Z',
      currency: 'USD',
      total_cents: 99900,
      items: [{ sku: 'RING-9', quantity: 1, unit_price_cents: 99900 }],
      buyer: {
        name: PERSON.name,
        email: PERSON.email,
        phone: PERSON.phone,
        billing_address: address(PERSON.street),
        shipping_address: address(PERSON.street),
      },
      gift_recipient: { name: PERSON.giftName, shipping_address: address(PERSON.giftStreet) },
    });
    subjectId = order.subjectId as string;
    await post('/v1/catalog-requests', {
      first_name: 'Xanthe',
      last_name: 'Marblecourt',
      postal_address: address(PERSON.catalogStreet),
      email: 'xanthe.marblecourt@example.com',
      relationship_status: 'engaged',
      jewelry_types: ['engagement_ring'],
      budget: '1000_2000',
      age_range: '25_34',
      residence_type: 'suburban',
    });
    await post('/account/register', { email: PERSON.email, password: 'a long enough password' });
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(ctx.store.db);
  });

  after(async () => {
    await app.close();
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no plaintext email, name, phone or address anywhere in the database file', () => {
    const bytes = fileBytes(dir).toLowerCase();
    assert.ok(bytes.length > 10_000, 'the file was written');
    assert.ok(bytes.includes('so-at-rest-1'), 'the search does find plaintext that is allowed to be there');
    for (const value of [
      PERSON.email,
      'quixotewright',
      'zelda',
      PERSON.phoneDigits,
      '265-4321',
      PERSON.street.toLowerCase(),
      'evergreen',
      'yorick',
      'plumtree',
      'spooner street',
      'xanthe',
      'marblecourt',
      'riverside drive',
    ]) {
      assert.ok(!bytes.includes(value.toLowerCase()), `"${value}" is in the database file in plaintext`);
    }
  });

  it('cannot decrypt what is left in a copy of the file taken after deletion and key destruction', async () => {
    const id = subjectId;
    assert.ok(id);
    const sealed = await ctx.vault.encrypt(id, PERSON.email);
    assert.equal(await ctx.vault.decrypt(id, sealed), PERSON.email);
    // A backup taken before the deletion.
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(ctx.store.db);
    const backup = path.join(dir, 'backup-before.sqlite');
    copyFileSync(path.join(dir, 'vow.sqlite'), backup);

    await ctx.vault.destroyKey(id);
    // The master key is rotated after a deletion, so old backups' wrapped keys die with the old key.
    const newMaster = Buffer.alloc(32, 11);
    await ctx.vault.rotateMasterKey(newMaster);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(ctx.store.db);
    const copy = path.join(dir, 'copy-after.sqlite');
    copyFileSync(path.join(dir, 'vow.sqlite'), copy);

    // The copy taken after deletion: the person's key is gone, the ciphertext opens with nothing.
    const copied = await openStore({ sqliteFile: copy });
    try {
      const vault = new Vault(copied, newMaster, seededRandom(3), new ManualClock());
      await vault.init();
      assert.equal(await vault.decrypt(id, sealed), null);
      const keyRow = await copied.db
        .selectFrom('data_keys')
        .selectAll()
        .where('subject_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(keyRow.wrapped_key, null);
      assert.ok(keyRow.destroyed_at);
    } finally {
      await copied.close();
    }
    // The backup from before: its wrapped keys need the old master key, which was destroyed;
    // the current key cannot open them.
    const old = await openStore({ sqliteFile: backup });
    try {
      const vault = new Vault(old, newMaster, seededRandom(4), new ManualClock());
      // Its index key is the first thing a vault opens: the whole store is refused as another key's.
      await assert.rejects(vault.init(), /does not open this store/);
      await assert.rejects(
        (async () => {
          const v = new Vault(old, newMaster, seededRandom(5), new ManualClock());
          return v.decrypt(id, sealed);
        })(),
        /could not be decrypted/,
      );
    } finally {
      await old.close();
    }
  });
});

describe('the master key in production', () => {
  it('refuses to start in production without a master key, and creates no key file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-prod-'));
    try {
      const config = loadConfig({ VOW_ENV: 'production', VOW_DATA_DIR: dir, VOW_LOG_LEVEL: 'silent' });
      await assert.rejects(
        createContext(config),
        (err: { code?: string }) => err.code === 'VOW_MASTER_KEY_MISSING',
      );
      assert.equal(existsSync(path.join(dir, 'master.key')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a master key that is not 32 bytes of base64', () => {
    assert.throws(
      () => loadConfig({ VOW_ENV: 'production', VOW_MASTER_KEY: 'c2hvcnQ=' }),
      (err: { code?: string }) => err.code === 'VOW_CONFIG_INVALID',
    );
  });
});
