// The sealed-value format of the vault (AES-256-GCM, `v1.<iv>.<tag>.<ciphertext>` in base64url,
// bound by its additional data to what it is: `value:<person>`, `data-key:<person>`), kept apart
// from the Vault so the bulk opener's worker thread (open-worker.ts) opens values with the same code.
import { createCipheriv, createDecipheriv, type DecipherGCM } from 'node:crypto';
import { VowError } from '../errors.js';

const CIPHER = 'aes-256-gcm';
const FORMAT = 'v1';

/** Seals `plaintext` under `key`, bound to `aad`; `format` names the kind of sealed text (default v1). */
export function seal(key: Buffer, plaintext: Buffer, aad: string, iv: Buffer, format = FORMAT): string {
  const cipher = createCipheriv(CIPHER, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = cipher.update(plaintext);
  const rest = cipher.final(); // empty for GCM: no copy into a new buffer then
  const ct = rest.length === 0 ? body : Buffer.concat([body, rest]);
  const tag = cipher.getAuthTag().toString('base64url');
  return `${format}.${iv.toString('base64url')}.${tag}.${ct.toString('base64url')}`;
}

/** A decipher set up for one sealed value, and its ciphertext (base64url). */
function decipherOf(
  key: Buffer,
  sealed: string,
  aad: string,
  expected: string,
): { decipher: DecipherGCM; ct: string } {
  const [format, iv, tag, ct] = sealed.split('.');
  if (format !== expected || !iv || !tag || ct === undefined)
    throw new VowError('VOW_DECRYPTION_FAILED', 'Not a Vow ciphertext');
  const decipher = createDecipheriv(CIPHER, key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return { decipher, ct };
}

function decryptionFailed(err: unknown): VowError {
  return new VowError(
    'VOW_DECRYPTION_FAILED',
    'A value could not be decrypted (wrong key or tampered data)',
    undefined,
    { cause: err },
  );
}

export function open(key: Buffer, sealed: string, aad: string): Buffer {
  const { decipher, ct } = decipherOf(key, sealed, aad, FORMAT);
  try {
    const out = decipher.update(ct, 'base64url');
    const rest = decipher.final(); // checks the tag; empty for GCM
    return rest.length === 0 ? out : Buffer.concat([out, rest]);
  } catch (err) {
    throw decryptionFailed(err);
  }
}

/** open() straight to text (no intermediate buffers): what reading a person's values needs. */
export function openText(key: Buffer, sealed: string, aad: string, format = FORMAT): string {
  const { decipher, ct } = decipherOf(key, sealed, aad, format);
  try {
    const text = decipher.update(ct, 'base64url', 'utf8');
    return text + decipher.final('utf8'); // final() checks the tag; nothing is returned before
  } catch (err) {
    throw decryptionFailed(err);
  }
}

/** What one value of a person needs to be opened: their wrapped data key (null once destroyed). */
export type OpenItem = readonly [subjectId: string, wrappedKey: string | null, sealed: string];

/**
 * Opens values of many people with the master key: each person's data key unwrapped once, never
 * kept beyond the call. Null where the person's key was destroyed; throws VOW_DECRYPTION_FAILED on
 * a wrong key or tampered data.
 */
export function openItems(master: Buffer, items: readonly OpenItem[]): (string | null)[] {
  const keys = new Map<string, Buffer>();
  return items.map(([subjectId, wrappedKey, sealed]) => {
    if (wrappedKey === null) return null;
    let key = keys.get(subjectId);
    if (!key) {
      key = open(master, wrappedKey, `data-key:${subjectId}`);
      keys.set(subjectId, key);
    }
    return openText(key, sealed, `value:${subjectId}`);
  });
}
