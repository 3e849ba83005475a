// Who is calling: the principal every request is authenticated as, and what each may reach.
import type { AuditEntry } from '../../platform/audit/index.js';
import type { ApiScope } from './api-scopes.js';

/** The staff roles (fixed; shared by every module). */
export const STAFF_ROLES = ['privacy_officer', 'customer_service', 'marketing', 'auditor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

export type Principal =
  | {
      readonly kind: 'staff';
      readonly staffId: string;
      /** The account's user name (the console's header names who is signed in). */
      readonly username: string;
      readonly roles: readonly StaffRole[];
      readonly via: 'cookie' | 'bearer';
      readonly sessionId: string;
      /** True until the first-login one-time password is replaced. */
      readonly mustChangePassword: boolean;
    }
  | {
      readonly kind: 'shopper';
      readonly accountId: string;
      /** The person (subjects.id) once the account's email is verified and matched; else null. */
      readonly subjectId: string | null;
      readonly via: 'cookie';
      readonly sessionId: string;
    }
  | ServicePrincipal
  /** Tests only (createTestEnv): holds every role; never reachable through configuration. */
  | { readonly kind: 'test'; readonly roles: readonly StaffRole[]; readonly subjectId: string | null };

/** The shop backend's systems, by API key: what the key may do is its scopes (api-scopes.ts). */
export interface ServicePrincipal {
  readonly kind: 'service';
  readonly keyId: string;
  /** The key's scopes, as it was given them. */
  readonly scopes: readonly ApiScope[];
  /** Those scopes and what they include, as bits (scopeMask): a route's check is one AND. */
  readonly scopeMask: number;
}

/** Whether a principal may call a route declared with `access`. Unknown declarations deny. */
export function allows(principal: Principal | null, access: string): boolean {
  if (access === 'public') return true;
  if (!principal) return false;
  if (principal.kind === 'test') return true;
  if (access === 'service') return principal.kind === 'service';
  if (access === 'shopper') return principal.kind === 'shopper';
  if (access.startsWith('staff:')) {
    const role = access.slice('staff:'.length);
    if (principal.kind !== 'staff') return false;
    // `staff:any`: any staff member (their own session, password, second factor).
    if (role === 'any') return principal.roles.length > 0;
    if (!isStaffRole(role)) return false;
    return principal.roles.includes('privacy_officer') || principal.roles.includes(role);
  }
  return false;
}

/** The audit actor for a principal (ids only). */
export function auditActor(principal: Principal | null): AuditEntry['actor'] {
  if (!principal) return { type: 'system' };
  switch (principal.kind) {
    case 'staff':
      return { type: 'staff', id: principal.staffId };
    case 'shopper':
      return { type: 'subject', id: principal.subjectId ?? `account:${principal.accountId}` };
    case 'service':
      return { type: 'service', id: principal.keyId };
    case 'test':
      return { type: 'staff', id: 'test-principal' };
  }
}
