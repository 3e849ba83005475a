// Identity: who is calling and how they prove it. Principals and roles, server-side sessions, API keys,
// lock-outs, staff accounts and shopper accounts (P15).

import type { VowContext } from '../policy/index.js';
import { AccountService } from './account-service.js';
import { ApiKeys } from './api-keys.js';
import { AttemptLimiter } from './attempts.js';
import { type AuthCookies, authCookies } from './cookies.js';
import { FormDrafts } from './form-drafts.js';
import { KeptAddresses } from './kept-addresses.js';
import { StaffSso } from './oidc.js';
import { SessionStore } from './sessions.js';
import { StaffService } from './staff-service.js';

export interface IdentityServices {
  readonly sessions: SessionStore;
  readonly apiKeys: ApiKeys;
  /** Limits on guessing secrets and on mail to one address (attempts.ts); the composition root lends it to the rights module's code checks. */
  readonly attempts: AttemptLimiter;
  readonly staff: StaffService;
  readonly accounts: AccountService;
  /** Staff single sign-on (OpenID Connect); undefined when VOW_OIDC_* is not configured. */
  readonly sso: StaffSso | undefined;
  /** The names of the authentication cookies (`__Host-` when served over https; cookies.ts). */
  readonly cookies: AuthCookies;
  /** Console forms posted after their session lapsed, kept for their owner's next sign-in (form-drafts.ts). */
  readonly drafts: FormDrafts;
  /** Console addresses (a list's filters) asked for with no live session, kept for the next sign-in (kept-addresses.ts). */
  readonly addresses: KeptAddresses;
}

export function createIdentityServices(ctx: VowContext): IdentityServices {
  const sessions = new SessionStore(ctx);
  const attempts = new AttemptLimiter(ctx);
  return {
    sessions,
    attempts,
    apiKeys: new ApiKeys(ctx),
    staff: new StaffService(ctx, sessions, attempts),
    accounts: new AccountService(ctx, sessions, attempts),
    sso: ctx.config.oidc ? new StaffSso(ctx, sessions, ctx.config.oidc) : undefined,
    cookies: authCookies(ctx.config.publicUrl),
    drafts: new FormDrafts(ctx),
    addresses: new KeptAddresses(ctx),
  };
}

export { accountKeyId } from './account-service.js';
export { API_KEY_PREFIX, type ApiKeyInfo } from './api-keys.js';
export {
  API_SCOPE_LABELS,
  API_SCOPES,
  type ApiScope,
  checkScopes,
  isApiScope,
  scopeBit,
  scopeMask,
} from './api-scopes.js';
export {
  type Attempt,
  type AttemptLimiter,
  CODE_PAIR,
  CODE_THROTTLE,
  codeTarget,
  LOGIN_PAIR,
  LOGIN_THROTTLE,
  MAIL_BUDGET,
  type MailboxIndexes,
  mailBudgetTarget,
  mailboxLink,
} from './attempts.js';
export { type AuthCookies, authCookies, HOST_COOKIE_PREFIX, servedOverHttps } from './cookies.js';
export { accountEmailIndexes, identityEraser } from './erasure.js';
export { IDENTITY_ERROR_CODES } from './errors.js';
export { consoleReturnPath, FORM_DRAFT_TTL_MS, type FormDraft, type FormDrafts } from './form-drafts.js';
export { checkFormToken, FORM_TOKEN_WINDOW_MS, issueFormToken } from './form-tokens.js';
export {
  type ConsoleAddress,
  consoleReturnAddress,
  KEPT_ADDRESSES_PER_OWNER,
  KEPT_ADDRESSES_UNOWNED,
  KEPT_QUERY_MAX,
  type KeptAddresses,
  type NotKept,
} from './kept-addresses.js';
export { identityMigrations } from './migrations/index.js';
export type { MyDataValue, MyDataView } from './my-data.js';
export { buildMyData, type DatasetExportSource, type SubjectIdentifierSource } from './my-data.js';
export {
  isLoopbackHttp,
  SSO_COOKIE,
  SSO_FLOW_TTL_MS,
  type SsoCarry,
  type SsoRefusal,
  type StaffSso,
} from './oidc.js';
export {
  allows,
  auditActor,
  type Principal,
  type ServicePrincipal,
  STAFF_ROLES,
  type StaffRole,
} from './principal.js';
export {
  type ActiveSession,
  csrfTokenFor,
  LAST_SEEN_STEP_MS,
  type LookupOptions,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type SessionKind,
  STAFF_TOKEN_PREFIX,
} from './sessions.js';
export type { StaffActor } from './staff-service.js';
export { ONE_TIME_PASSWORD_TTL_MS } from './staff-service.js';
export type { IdentityTables } from './tables.js';
