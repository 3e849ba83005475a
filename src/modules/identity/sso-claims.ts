// What a single sign-on sign-in and its re-checks (sso-recheck.ts, sso-silent.ts) share: the claims
// of a provider's answer to an authorization code, the Vow staff roles those claims grant, and the
// claim replacing an account's roles, down to none (security.md #38), audited as
// `staff.account.roles_set`.
import type { Transaction } from 'kysely';
import * as oidc from 'openid-client';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { isStaffRole, type StaffRole } from './principal.js';

/**
 * The provider's answer to `callbackUrl` (openid-client checks its PKCE verifier, state and nonce,
 * and the ID token): the ID token's claims, completed from the userinfo endpoint when they lack
 * `rolesClaim` (providers that keep custom claims out of the ID token), and the refresh token if
 * one was granted. Throws what openid-client throws.
 */
export async function claimsOfCodeGrant(
  provider: oidc.Configuration,
  callbackUrl: URL,
  flow: { verifier: string; state: string; nonce: string },
  rolesClaim: string,
): Promise<{ claims: Record<string, unknown>; refreshToken: string | undefined }> {
  const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
  if (!(rolesClaim in claims) && typeof claims.sub === 'string') {
    const info = await oidc.fetchUserInfo(provider, tokens.access_token, claims.sub);
    claims = { ...info, ...claims };
  }
  return { claims, refreshToken: tokens.refresh_token };
}

/** The Vow staff roles named by `claim` (a list, or a space- or comma-separated string); others ignored. */
export function rolesFromClaims(claims: Record<string, unknown>, claim: string): StaffRole[] {
  const raw = claims[claim];
  const names = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  const roles: StaffRole[] = [];
  for (const r of names) if (typeof r === 'string' && isStaffRole(r) && !roles.includes(r)) roles.push(r);
  return roles;
}

/**
 * Replaces an enabled account's roles by the claim's when they differ (audited, `reason` saying
 * which: a sign-in or a re-check). Returns whether they changed.
 */
export async function setClaimedRoles(
  ctx: VowContext,
  trx: Transaction<Database>,
  account: { id: string; roles: string; disabled: number },
  roles: readonly StaffRole[],
  reason: string,
): Promise<boolean> {
  const before = JSON.parse(account.roles) as string[];
  if (JSON.stringify(before) === JSON.stringify(roles) || account.disabled !== 0) return false;
  await trx
    .updateTable('staff_accounts')
    .set({ roles: JSON.stringify(roles), updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', account.id)
    .execute();
  await ctx.audit.record(
    {
      actor: { type: 'system' },
      action: 'staff.account.roles_set',
      target: { type: 'staff', id: account.id },
      reason,
      details: { from: before, to: roles },
    },
    trx,
  );
  return true;
}

/** setClaimedRoles for the account `staffId`, read in `trx` (none: nothing to replace). */
export async function setClaimedRolesOf(
  ctx: VowContext,
  trx: Transaction<Database>,
  staffId: string,
  roles: readonly StaffRole[],
  reason: string,
): Promise<void> {
  const account = await trx
    .selectFrom('staff_accounts')
    .select(['id', 'roles', 'disabled'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (account) await setClaimedRoles(ctx, trx, account, roles, reason);
}
