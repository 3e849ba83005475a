// The security module's services: sessions, API keys, lock-outs, staff and shopper accounts.
import { AccountService } from '../accounts/account-service.js';
import type { VowContext } from '../context.js';
import { StaffService } from '../staff/staff-service.js';
import { ApiKeys } from './api-keys.js';
import { AttemptLimiter } from './attempts.js';
import { SessionStore } from './sessions.js';

export interface SecurityServices {
  readonly sessions: SessionStore;
  readonly apiKeys: ApiKeys;
  /** Lock-out with back-off per identifier; other modules use it for their codes (CODE_ATTEMPTS). */
  readonly attempts: AttemptLimiter;
  readonly staff: StaffService;
  readonly accounts: AccountService;
}

export function createSecurityServices(ctx: VowContext): SecurityServices {
  const sessions = new SessionStore(ctx);
  const attempts = new AttemptLimiter(ctx);
  return {
    sessions,
    attempts,
    apiKeys: new ApiKeys(ctx),
    staff: new StaffService(ctx, sessions, attempts),
    accounts: new AccountService(ctx, sessions, attempts),
  };
}

export { CODE_ATTEMPTS, LOGIN_ATTEMPTS } from './attempts.js';
export { allows, auditActor, type Principal, STAFF_ROLES, type StaffRole } from './principal.js';
