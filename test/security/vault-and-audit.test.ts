import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
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

describeEachDialect(
  "vault: many people's values opened in a worker thread",
  (env) => {
    /** Seals one value for each person and reads back their wrapped keys, as an audience page does. */
    async function sealed(people: string[]): Promise<[string, string | null, string][]> {
      const { vault, store } = env().ctx;
      const values = await Promise.all(people.map((p) => vault.encrypt(p, `${p}@example.com`)));
      const keys = new Map(
        (await store.db.selectFrom('data_keys').select(['subject_id', 'wrapped_key']).execute()).map((k) => [
          k.subject_id,
          k.wrapped_key,
        ]),
      );
      return people.map((p, i) => [p, keys.get(p) ?? null, values[i]!]);
    }

    it("opens each value with its own person's key, in order, null where the key was destroyed", async () => {
      const { vault } = env().ctx;
      const people = Array.from({ length: 40 }, (_, i) => `bulk-${i}`);
      await vault.destroyKey('bulk-7');
      const items = await sealed(people.filter((p) => p !== 'bulk-7'));
      items.splice(7, 0, ['bulk-7', null, items[0]![2]]);
      const values = await vault.openMany(items);
      assert.ok(vault.openWorkerRunning);
      assert.deepEqual(
        values,
        people.map((p) => (p === 'bulk-7' ? null : `${p}@example.com`)),
      );
    });

    it('refuses a value sealed for someone else or tampered with (VOW_DECRYPTION_FAILED), and goes on', async () => {
      const { vault } = env().ctx;
      const [a, b] = await sealed(['swap-a', 'swap-b']);
      await assert.rejects(vault.openMany([[a![0], a![1], b![2]]]), { code: 'VOW_DECRYPTION_FAILED' });
      const flipped = a![2].at(-2) === 'A' ? 'B' : 'A';
      const tampered = `${a![2].slice(0, -2)}${flipped}${a![2].slice(-1)}`;
      assert.notEqual(tampered, a![2]);
      await assert.rejects(vault.openMany([[a![0], a![1], tampered]]), { code: 'VOW_DECRYPTION_FAILED' });
      assert.deepEqual(await vault.openMany([a!, b!]), ['swap-a@example.com', 'swap-b@example.com']);
    });

    it('opens inline what a stopped worker still held: nothing is lost', async () => {
      const { vault } = env().ctx;
      const items = await sealed(Array.from({ length: 20 }, (_, i) => `held-${i}`));
      const pending = vault.openMany(items);
      await vault.stopWorkers();
      assert.deepEqual(
        await pending,
        items.map(([p]) => `${p}@example.com`),
      );
      assert.equal(vault.openWorkerRunning, false);
      assert.equal(
        (await vault.openMany(items.slice(0, 1)))[0],
        'held-0@example.com',
        'started again on demand',
      );
    });

    it('opens with the new master key after a rotation', async () => {
      const { vault } = env().ctx;
      await sealed(['rotated']);
      await vault.openMany(await sealed(['before-rotation']));
      await vault.rotateMasterKey(Buffer.alloc(32, 11));
      const [item] = await sealed(['rotated']);
      assert.deepEqual(await vault.openMany([item!]), ['rotated@example.com']);
    });
  },
  { vault: { openInWorkerFrom: 1 } },
);

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

  // The chain's format, rebuilt here from its description (docs/operations.md, "Checking the chain
  // yourself") rather than with Vow's code: a change to what is hashed would make every chain
  // written before it fail to verify after an upgrade, and verifying with the same code cannot see it.
  it('hashes each entry as documented: SHA-256 of the previous hash, a newline and the sorted JSON of its fields', async () => {
    const { audit, store } = env().ctx;
    await audit.record({
      actor: { type: 'staff', id: 'staff-ü' },
      action: 'test.format',
      target: { type: 'subject', id: 's-"quoted"' },
      details: { b: [1, 'two'], a: { z: null, y: true } },
    });
    await audit.record({ actor: { type: 'system' }, action: 'test.format', reason: 'line\nbreak' });
    const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    assert.equal(rows[0]!.prev_hash, 'genesis');
    const J = JSON.stringify;
    for (const r of rows) {
      const body =
        `{"action":${J(r.action)},"actor_id":${J(r.actor_id)},"actor_type":${J(r.actor_type)},"at":${J(r.at)},` +
        `"details":${J(r.details)},"reason":${J(r.reason)},"seq":${Number(r.seq)},` +
        `"target_id":${J(r.target_id)},"target_type":${J(r.target_type)}}`;
      const digest = await webcrypto.subtle.digest('SHA-256', Buffer.from(`${r.prev_hash}\n${body}`, 'utf8'));
      assert.equal(r.hash, Buffer.from(digest).toString('hex'), `entry ${r.seq}`);
    }
    const last = rows.at(-1)!;
    assert.equal(last.details, '{}');
    assert.equal(rows.at(-2)!.details, '{"a":{"y":true,"z":null},"b":[1,"two"]}');
    assert.equal((await audit.verify()).ok, true);
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
