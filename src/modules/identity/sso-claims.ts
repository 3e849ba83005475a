// What a single sign-on sign-in and its re-checks (sso-recheck.ts) share: the Vow staff roles a
// provider's claims grant, and the claim replacing an account's roles, down to none (security.md
// #38), audited as `staff.account.roles_set`.
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { isStaffRole, type StaffRole } from './principal.js';

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
