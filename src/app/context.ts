// The running application's shared parts, built once at start and passed to every service.
// (VowContext is declared by the policy module: the platform's parts plus the policy in force.)
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import pino from 'pino';
import { loadPolicy, type Policy, recordPolicyVersion, type VowContext } from '../modules/policy/index.js';
import { AuditTrail, FileAnchorStore, MemoryAnchorStore } from '../platform/audit/index.js';
import { type Clock, cryptoRandom, type Random, systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { resolveMasterKey, Vault, type VaultOptions } from '../platform/crypto/index.js';
import { isVowError, VowError } from '../platform/errors.js';
import { openStore, type Store } from '../platform/store/index.js';
import { migrate } from './migrations.js';

export interface ContextOverrides {
  readonly policy?: Policy;
  readonly store?: Store;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  readonly masterKey?: Buffer;
  /** How the vault opens large batches (tests force its worker thread with a small threshold). */
  readonly vault?: VaultOptions;
}

/** Opens the store, applies migrations and loads the policy: everything a Vow process needs. */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<VowContext> {
  const policy = overrides.policy ?? loadPolicy(config.policyPath);
  const store =
    overrides.store ??
    (await openStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      namedStatements: config.databasePrepare,
    }));
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  let vault: Vault;
  // Outside production, with no key configured, a key is generated into the data folder: for a new
  // store. One that already holds data was made with another key, and the key generated for it is
  // taken back, so the next start does not read it as this store's key.
  const generatedKey =
    overrides.masterKey || config.masterKey || config.masterKeyFile || config.env === 'production'
      ? undefined
      : path.join(config.dataDir, 'master.key');
  const generating = generatedKey !== undefined && !existsSync(generatedKey);
  try {
    const masterKey = overrides.masterKey ?? resolveMasterKey(config, cryptoRandom);
    // The key is checked before the migrations: a start with the wrong key changes nothing.
    await Vault.checkKey(store, masterKey);
    await migrate(store);
    await recordPolicyVersion(store, policy, clock);
    vault = new Vault(store, masterKey, random, clock, overrides.vault);
    await vault.init();
  } catch (err) {
    if (!overrides.store) await store.close();
    if (generating && isVowError(err) && err.code === 'VOW_DECRYPTION_FAILED') {
      rmSync(generatedKey, { force: true });
      throw new VowError(
        'VOW_MASTER_KEY_MISSING',
        'No master key is set (VOW_MASTER_KEY or VOW_MASTER_KEY_FILE), and this store was made with one: set it to the key the store was made with',
        undefined,
        { cause: err },
      );
    }
    throw err;
  }
  return {
    config,
    policy,
    store,
    clock,
    random,
    logger: overrides.logger ?? pino({ level: config.logLevel }),
    vault,
    // Anchors outside the database: the configured file, or memory for a store in memory (nothing
    // of it outlives the process anyway).
    audit: new AuditTrail(
      store,
      clock,
      store.location === ':memory:' ? new MemoryAnchorStore() : new FileAnchorStore(config.auditAnchorFile),
    ),
  };
}

export type { VowContext };
