// Public surface of src/platform/crypto.

export { openText as openSealedText, seal as sealWithKey } from './aead.js';
export { cryptoTables } from './erasure.js';
export { CRYPTO_ERROR_CODES } from './errors.js';
export { resolveMasterKey } from './master-key.js';
export { cryptoMigrations } from './migrations/index.js';
export {
  checkPasswordStrength,
  dummyPasswordHash,
  hashPassword,
  issueSecret,
  parseSecret,
  sameSecretAt,
  secretMatches,
  sha256,
  verifyPassword,
} from './secrets.js';
export { type IndexKind, type OpenItem, Vault, type VaultOptions } from './vault.js';
