// Two helpers of the hot routes: oneByte (a compact copy of a text sent again and again) and
// sameSecretAt (a remembered API key's secret compared in constant time, without hashing it again).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cryptoRandom } from '../../src/platform/clock.js';
import { parseSecret, sameSecretAt } from '../../src/platform/crypto/index.js';
import { issueSecret } from '../../src/platform/crypto/secrets.js';
import { oneByte } from '../../src/platform/strings.js';

describe('oneByte', () => {
  it('returns the same text, Latin-1 or not, and the same UTF-8 bytes', () => {
    // Built from a source holding a wider character: V8 keeps such substrings two bytes wide.
    const wide = 'Rule buyer-completes-order: necessary — for order.fulfilment'.slice(0, 40);
    for (const text of [wide, '', 'café', 'naïve crème brûlée', 'Seguimos tu elección ✓', '😀 emoji']) {
      const compact = oneByte(text);
      assert.equal(compact, text);
      assert.deepEqual(Buffer.from(compact), Buffer.from(text));
    }
  });
});

describe('issueSecret', () => {
  it('never gives an id starting with "-" (it would read as an option on the command line)', () => {
    // The first draw of 12 bytes starts with 0xf8: base64url "-".
    const draws = [Buffer.alloc(12, 0xf8), Buffer.alloc(12, 0x41), Buffer.alloc(32, 0x42)];
    const random = {
      uuid: () => cryptoRandom.uuid(),
      bytes: (n: number) => draws.shift() ?? Buffer.alloc(n),
    };
    assert.equal(Buffer.alloc(12, 0xf8).toString('base64url')[0], '-');
    const { id, token } = issueSecret(random, 'vow_sk_');
    assert.equal(id, Buffer.alloc(12, 0x41).toString('base64url'));
    assert.equal(parseSecret(token, 'vow_sk_')?.id, id);
  });
});

describe('sameSecretAt', () => {
  const { token } = issueSecret(cryptoRandom, 'vow_sk_');
  const secret = parseSecret(token, 'vow_sk_')!.secret;
  const at = token.length - secret.length;

  it('accepts the secret that was verified, read in place from the presented key, and nothing else', () => {
    assert.equal(sameSecretAt(token, at, secret), true);
    assert.equal(sameSecretAt(secret, 0, secret), true);
    const other = parseSecret(issueSecret(cryptoRandom, 'vow_sk_').token, 'vow_sk_')!.secret;
    assert.equal(sameSecretAt(other, 0, secret), false);
    // One character changed, at the start and at the end.
    assert.equal(sameSecretAt(`${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`, 0, secret), false);
    assert.equal(
      sameSecretAt(`${secret.slice(0, -1)}${secret.at(-1) === 'A' ? 'B' : 'A'}`, 0, secret),
      false,
    );
    // The right characters at the wrong place.
    assert.equal(sameSecretAt(`x${token}`, at, secret), false);
  });

  it('refuses a shorter or longer secret, and one that only shares a prefix', () => {
    assert.equal(sameSecretAt(token.slice(0, -1), at, secret), false);
    assert.equal(sameSecretAt(`${token}A`, at, secret), false);
    assert.equal(sameSecretAt('', 0, secret), false);
    assert.equal(sameSecretAt(token, token.length, secret), false);
    // A wider character is not taken for the byte it would be truncated to in Latin-1.
    assert.equal(
      sameSecretAt(`${secret.slice(0, -1)}${String.fromCharCode(0x100 + secret.charCodeAt(42))}`, 0, secret),
      false,
    );
  });
});
