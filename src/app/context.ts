// The running application's shared parts, built once at start and passed to every service.
import type { Logger } from 'pino';
import pino from 'pino';
import { loadPolicy, type Policy, recordPolicyVersion } from '../modules/policy/index.js';
import { AuditTrail } from '../platform/audit/audit.js';
import { type Clock, cryptoRandom, type Random, systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { resolveMasterKey } from '../platform/crypto/master-key.js';
import { Vault } from '../platform/crypto/vault.js';
import { migrateToLatest, openStore, type Store } from '../platform/store/open-store.js';

export interface VowContext {
  readonly config: Config;
  readonly policy: Policy;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Field encryption and blind indexes (P13). */
  readonly vault: Vault;
  /** The hash-chained audit trail. */
  readonly audit: AuditTrail;
}

export interface ContextOverrides {
  readonly policy?: Policy;
  readonly store?: Store;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  readonly masterKey?: Buffer;
}

/** Opens the store, applies migrations and loads the policy: everything a Vow process needs. */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<VowContext> {
  const policy = overrides.policy ?? loadPolicy(config.policyPath);
  const store =
    overrides.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  let vault: Vault;
  try {
    const masterKey = overrides.masterKey ?? resolveMasterKey(config, cryptoRandom);
    await migrateToLatest(store);
    await recordPolicyVersion(store, policy, clock);
    vault = new Vault(store, masterKey, random, clock);
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
    audit: new AuditTrail(store, clock),
  };
}
