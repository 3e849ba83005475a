// Staff accounts as the rest of Vow sees them, and the two rules on what an account may be called
// and hold: a user name's shape and a known, non-empty set of roles.
import { VowError } from '../../platform/errors.js';
import { isStaffRole, type StaffRole } from './principal.js';

/** Who acts on staff accounts: their id and roles (null where the command line acts: trusted). */
export interface StaffActor {
  readonly id: string;
  readonly roles: readonly string[];
}

export interface StaffInfo {
  readonly id: string;
  readonly username: string;
  readonly roles: StaffRole[];
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly totp: boolean;
  readonly createdAt: string;
}

export const USERNAME = /^[a-z][a-z0-9._-]{1,63}$/;

export function parseRoles(roles: readonly string[]): StaffRole[] {
  const out: StaffRole[] = [];
  for (const r of roles) {
    if (!isStaffRole(r)) throw new VowError('VOW_UNKNOWN_ROLE', `Unknown staff role "${r}"`, { role: r });
    if (!out.includes(r)) out.push(r);
  }
  if (out.length === 0) throw new VowError('VOW_UNKNOWN_ROLE', 'A staff account needs at least one role');
  return out;
}
