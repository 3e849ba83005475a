// Finds the master key: VOW_MASTER_KEY, VOW_MASTER_KEY_FILE, or (outside production only) a key
// generated once into the data folder with owner-only permissions.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Random } from '../clock.js';
import type { Config } from '../config.js';
import { VowError } from '../errors.js';
import { ensurePrivateDir } from '../private-files.js';

function decodeKey(b64: string, where: string): Buffer {
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== 32)
    throw new VowError('VOW_MASTER_KEY_INVALID', `The master key in ${where} is not 32 bytes of base64`);
  return key;
}

export function resolveMasterKey(config: Config, random: Random): Buffer {
  if (config.masterKey) return decodeKey(config.masterKey, 'VOW_MASTER_KEY');
  if (config.masterKeyFile) {
    let text: string;
    try {
      text = readFileSync(config.masterKeyFile, 'utf8');
    } catch (err) {
      throw new VowError(
        'VOW_MASTER_KEY_MISSING',
        `Cannot read VOW_MASTER_KEY_FILE ${config.masterKeyFile}`,
        undefined,
        { cause: err },
      );
    }
    return decodeKey(text, config.masterKeyFile);
  }
  if (config.env === 'production') {
    throw new VowError(
      'VOW_MASTER_KEY_MISSING',
      'Production needs a master key: set VOW_MASTER_KEY or VOW_MASTER_KEY_FILE (generate one with: openssl rand -base64 32)',
    );
  }
  const file = path.join(config.dataDir, 'master.key');
  if (existsSync(file)) return decodeKey(readFileSync(file, 'utf8'), file);
  ensurePrivateDir(config.dataDir);
  const key = random.bytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
