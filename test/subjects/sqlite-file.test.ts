// The bytes of the SQLite file (and its write-ahead log) hold no plaintext personal value.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { openStore } from '../../src/platform/store/open-store.js';
import { catalogBody, giftRecipient, orderBody } from '../collection/fixtures.js';
import { testConfig } from '../helpers/env.js';

describe('the SQLite file on disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-subjects-'));
  const file = path.join(dir, 'vow.sqlite');
  after(() => rmSync(dir, { recursive: true, force: true }));

  let phone = '';
  before(async () => {
    const store = await openStore({ sqliteFile: file });
    const ctx = await createContext(testConfig(), {
      store,
      clock: new ManualClock(),
      random: seededRandom(7),
      logger: pino({ level: 'silent' }),
    });
    const services = createServices(ctx);
    const app = await buildApp(ctx, { logger: false, testPrincipal: 'all-roles' }, services);
    await app.ready();
    const order = orderBody('disk', { gift_recipient: giftRecipient('disk', { phone: '+44 20 7946 0958' }) });
    phone = (order.buyer as { phone: string }).phone;
    for (const [url, payload] of [
      ['/v1/orders', order],
      ['/v1/catalog-requests', catalogBody('disk')],
      ['/v1/registrations', { account_id: 'acct-disk', name: 'Dora Disk', email: 'dora.disk@example.com' }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url, payload });
      assert.equal(res.statusCode, 201, res.body);
    }
    await app.close();
    await store.close();
  });

  it('holds no email, name, phone or address in plaintext', () => {
    const bytes = [file, `${file}-wal`]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1').toLowerCase())
      .join('\n');
    assert.ok(bytes.length > 0);
    assert.ok(bytes.includes('subject_identifiers'), 'the file was read');
    const digits = phone.replace(/\D/g, '').slice(-7);
    for (const needle of [
      'ann.buyerdisk@example.com',
      'greta.giftdisk@example.com',
      'cara.catalogdisk@example.com',
      'dora.disk@example.com',
      'ann buyer disk',
      'greta gift disk',
      'dora disk',
      'catalogdisk',
      'disk billing street',
      'disk gift lane',
      'disk catalog road',
      digits,
      '2079460958',
    ]) {
      assert.equal(bytes.includes(needle), false, `"${needle}" is in the SQLite file`);
    }
  });
});
