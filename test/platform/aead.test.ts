// The vault's sealed-value format (src/platform/crypto/aead.ts) against an implementation it does
// not share code with: WebCrypto's AES-GCM. Every stored value is in this format, so a change to it
// (the parts' order, their encoding, the additional data) would leave existing stores unreadable;
// a round trip through seal and open alone cannot see that, as both sides would change together.
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import { open, openText, seal } from '../../src/platform/crypto/aead.js';

const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const iv = Buffer.from(Array.from({ length: 12 }, (_, i) => 0xa0 + i));

/** `v1.<iv>.<tag>.<ciphertext>` as WebCrypto computes AES-256-GCM (128-bit tag appended to its output). */
async function expected(plaintext: Buffer, aad: string): Promise<string> {
  const k = await webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const out = Buffer.from(
    await webcrypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: Buffer.from(aad, 'utf8'), tagLength: 128 },
      k,
      plaintext,
    ),
  );
  const ct = out.subarray(0, out.length - 16);
  const tag = out.subarray(out.length - 16);
  return ['v1', iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

const CASES: [name: string, plaintext: string, aad: string][] = [
  ['an email address', 'ann.bench.12345@example.com', 'value:0190abcd-1234-7abc-8def-0123456789ab'],
  ['nothing', '', 'value:p-1'],
  ['text beyond ASCII, in the value and the additional data', 'Zoë Ångström, 東京 🎁', 'value:müller'],
  ['more than one AES block', 'x'.repeat(1000), 'data-key:p-2'],
];

describe('sealed values (AES-256-GCM, v1)', () => {
  for (const [name, plaintext, aad] of CASES)
    it(`seals ${name} exactly as WebCrypto's AES-GCM does, and opens it again`, async () => {
      const sealed = seal(key, Buffer.from(plaintext, 'utf8'), aad, iv);
      assert.equal(sealed, await expected(Buffer.from(plaintext, 'utf8'), aad));
      assert.equal(openText(key, sealed, aad), plaintext);
      assert.equal(open(key, sealed, aad).toString('utf8'), plaintext);
    });

  it('refuses a value opened with other additional data, or with any part changed', () => {
    const sealed = seal(key, Buffer.from('secret@example.com'), 'value:a', iv);
    assert.throws(() => openText(key, sealed, 'value:b'), { code: 'VOW_DECRYPTION_FAILED' });
    const parts = sealed.split('.');
    for (const at of [1, 2, 3]) {
      const part = parts[at]!;
      // The first character of a part: its six bits all count, whatever the part's length.
      const changed = [...parts];
      changed[at] = `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
      assert.notEqual(changed.join('.'), sealed);
      assert.throws(() => openText(key, changed.join('.'), 'value:a'), { code: 'VOW_DECRYPTION_FAILED' });
    }
    assert.throws(() => openText(key, `v2.${parts.slice(1).join('.')}`, 'value:a'), {
      code: 'VOW_DECRYPTION_FAILED',
    });
  });
});
