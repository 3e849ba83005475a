// What every part of a running Vow shares, below the domain: configuration, the store, time and
// randomness, the logger, the vault and the audit trail. The policy module adds the policy on top
// (VowContext, in src/modules/policy/context.ts); src/app/context.ts builds both once at start.
import type { Logger } from 'pino';
import type { AuditTrail } from './audit/index.js';
import type { Clock, Random } from './clock.js';
import type { Config } from './config.js';
import type { Vault } from './crypto/index.js';
import type { Store } from './store/index.js';

export interface PlatformContext {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Field encryption and blind indexes (P13). */
  readonly vault: Vault;
  /** The hash-chained audit trail. */
  readonly audit: AuditTrail;
}
