// The security module's services: sessions, API keys, lock-outs, staff and shopper accounts.

import type { VowContext } from '../../app/context.js';
import { registerAnchorJob } from '../../platform/audit/anchor-job.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import { AccountService } from './account-service.js';
import { ApiKeys } from './api-keys.js';
import { AttemptLimiter } from './attempts.js';
import { SessionStore } from './sessions.js';
import { StaffService } from './staff-service.js';

export interface SecurityServices {
  readonly sessions: SessionStore;
  readonly apiKeys: ApiKeys;
  /** Lock-out with back-off per identifier; other modules use it for their codes (CODE_ATTEMPTS). */
  readonly attempts: AttemptLimiter;
  readonly staff: StaffService;
  readonly accounts: AccountService;
  /** Queues the hourly audit anchor job (idempotent; `vow serve` calls it). */
  readonly scheduleAuditAnchors: () => Promise<void>;
}

export function createSecurityServices(ctx: VowContext, jobs?: JobRunner): SecurityServices {
  const sessions = new SessionStore(ctx);
  const attempts = new AttemptLimiter(ctx);
  const anchors = jobs ? registerAnchorJob(ctx, jobs) : undefined;
  return {
    scheduleAuditAnchors: async () => anchors?.schedule(),
    sessions,
    attempts,
    apiKeys: new ApiKeys(ctx),
    staff: new StaffService(ctx, sessions, attempts),
    accounts: new AccountService(ctx, sessions, attempts),
  };
}

export { CODE_ATTEMPTS, LOGIN_ATTEMPTS } from './attempts.js';
export { allows, auditActor, type Principal, STAFF_ROLES, type StaffRole } from './principal.js';
