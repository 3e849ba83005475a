// The running application's shared parts, built once at start and passed to every service.
// (VowContext is declared by the policy module: the platform's parts plus the policy in force.)
import type { Logger } from 'pino';
import pino from 'pino';
import { loadPolicy, type Policy, recordPolicyVersion, type VowContext } from '../modules/policy/index.js';
import { AuditTrail, FileAnchorStore, MemoryAnchorStore } from '../platform/audit/index.js';
import { type Clock, cryptoRandom, type Random, systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { resolveMasterKey, Vault, type VaultOptions } from '../platform/crypto/index.js';
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
  try {
    const masterKey = overrides.masterKey ?? resolveMasterKey(config, cryptoRandom);
    await migrate(store);
    await recordPolicyVersion(store, policy, clock);
    vault = new Vault(store, masterKey, random, clock, overrides.vault);
    await vault.init();
  } catch (err) {
    if (!overrides.store) await store.close();
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
