import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { Vault } from '../../src/platform/crypto/vault.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('vault', (env) => {
  it('seals values per person: no plaintext stored, decrypts only for that person', async () => {
    const { vault } = env().ctx;
    const sealed = await vault.encrypt('subject-a', 'ann@example.com');
    assert.doesNotMatch(sealed, /ann|example/);
    assert.equal(await vault.decrypt('subject-a', sealed), 'ann@example.com');
    await assert.rejects(
      vault
        .decrypt('subject-b', sealed)
        .then(() => vault.encrypt('subject-b', 'x'))
        .then(() => vault.decrypt('subject-b', sealed)),
      /could not be decrypted/,
    );
  });

  it('crypto-shreds: after the key is destroyed the value is gone, even from a saved copy', async () => {
    const { vault } = env().ctx;
    const sealed = await vault.encrypt('subject-c', 'Carol Jones');
    await vault.destroyKey('subject-c');
    assert.equal(await vault.decrypt('subject-c', sealed), null);
    await assert.rejects(vault.encrypt('subject-c', 'again'), /deleted/);
  });

  it('gives stable blind indexes per kind that reveal nothing', () => {
    const { vault } = env().ctx;
    const a = vault.blindIndex('email', 'ann@example.com');
    assert.equal(a, vault.blindIndex('email', 'ann@example.com'));
    assert.notEqual(a, vault.blindIndex('phone', 'ann@example.com'));
    assert.doesNotMatch(a, /ann/);
    assert.ok(Vault.equal(a, a));
    assert.ok(!Vault.equal(a, `${a}x`));
  });

  it('rotates the master key without touching sealed values', async () => {
    const { vault } = env().ctx;
    const sealed = await vault.encrypt('subject-d', '+14155550123');
    const before = vault.blindIndex('phone', '+14155550123');
    const n = await vault.rotateMasterKey(Buffer.alloc(32, 9));
    assert.ok(n >= 2);
    assert.equal(await vault.decrypt('subject-d', sealed), '+14155550123');
    assert.equal(vault.blindIndex('phone', '+14155550123'), before, 'look-ups survive rotation');
  });
});

describeEachDialect('audit trail', (env) => {
  it('chains entries and verifies', async () => {
    const { audit } = env().ctx;
    for (let i = 0; i < 5; i++) {
      await audit.record({
        actor: { type: 'staff', id: `staff-${i}` },
        action: 'test.did',
        target: { type: 'subject', id: `s${i}` },
        reason: 'testing',
        details: { n: i },
      });
    }
    const v = await audit.verify();
    assert.deepEqual(v.ok, true);
  });

  it('finds a row edited directly in the database, naming the first broken link', async () => {
    const { audit, store } = env().ctx;
    await sql`update audit_log set reason = ${'edited'} where seq = 3`.execute(store.db);
    const v = await audit.verify();
    assert.equal(v.ok, false);
    assert.equal(v.ok ? 0 : v.brokenAt, 3);
  });

  it('refuses personal values in an entry', async () => {
    await assert.rejects(
      env().ctx.audit.record({
        actor: { type: 'system' },
        action: 'x',
        details: { email: 'ann@example.com' },
      }),
      /personal value/,
    );
  });
});
