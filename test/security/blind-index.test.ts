// The vault's blind indexes (Vault.blindIndex) against an implementation they share no code with:
// WebCrypto's HKDF and HMAC. Every look-up, suppression and under-13 marker is found by these
// values, so a change to how they are made (the per-kind key's derivation, the text's encoding)
// would leave every stored person unfindable; tests that index and look up through the same code
// cannot see that.
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { it } from 'node:test';
import { seededRandom } from '../../src/platform/clock.js';
import { open } from '../../src/platform/crypto/aead.js';
import { type IndexKind, Vault } from '../../src/platform/crypto/index.js';
import { readMeta } from '../../src/platform/store/index.js';
import { describeEachDialect } from '../helpers/env.js';

/** The test environment's master key (test/helpers/env.ts). */
const MASTER = Buffer.alloc(32, 7);

/** HMAC-SHA-256 of the value under HKDF-SHA-256(index key, no salt, "vow-index:<kind>"), base64url. */
async function expected(indexKey: Buffer, kind: IndexKind, value: string): Promise<string> {
  const { subtle } = webcrypto;
  const base = await subtle.importKey('raw', indexKey, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: Buffer.from(`vow-index:${kind}`, 'utf8'),
    },
    base,
    256,
  );
  const key = await subtle.importKey('raw', bits, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Buffer.from(await subtle.sign('HMAC', key, Buffer.from(value, 'utf8'))).toString('base64url');
}

describeEachDialect('blind indexes', (env) => {
  it('are HMAC-SHA-256 under a per-kind key derived with HKDF, as WebCrypto computes them', async () => {
    const { ctx } = env();
    const wrapped = await readMeta(ctx.store.db, 'vault.index_key');
    assert.ok(wrapped, 'the vault stores its index key, wrapped under the master key');
    const indexKey = open(MASTER, wrapped, 'vault.index_key');
    const cases: [IndexKind, string][] = [
      ['email', 'ann@example.com'],
      ['phone', '+16082654401'],
      ['address', 'zoë müller\n12 rue de l’église\n75004 paris'],
      ['token', ''],
    ];
    for (const [kind, value] of cases)
      assert.equal(ctx.vault.blindIndex(kind, value), await expected(indexKey, kind, value), `${kind}`);
    // One value, two kinds: two indexes (a phone number's index says nothing of an email's).
    assert.notEqual(
      ctx.vault.blindIndex('email', 'x@example.com'),
      ctx.vault.blindIndex('account', 'x@example.com'),
    );
  });

  it('stay the same for another process on the same store (the index key is stored, not made again)', async () => {
    const { ctx } = env();
    const other = new Vault(ctx.store, MASTER, seededRandom(99), ctx.clock);
    await other.init();
    assert.equal(
      other.blindIndex('email', 'ann@example.com'),
      ctx.vault.blindIndex('email', 'ann@example.com'),
    );
  });
});
