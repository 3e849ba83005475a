// Words staff read: a request's type and status as the team talks about them (the shopper pages
// word them for the person, src/http/request-labels.ts), the events of a request's timeline, and
// staff members by user name instead of their id.

import type { Services } from '../../app/services.js';
import type { IdentifierView } from '../../modules/subjects/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { personal } from '../layout.js';

/**
 * A moment in a table cell, in UTC: its date and its time are each kept whole, so the cell takes at
 * most two lines (a squeezed column broke "2026-12-06" at its hyphens: three lines at 1280 px) and
 * needs no more width than its longer half (one unbreakable "2026-12-06 04:44 UTC" pushed a phone's
 * table past the screen). The full ISO value is the `datetime` and the title.
 */
export function stamp(iso: string, seconds = false): SafeHtml {
  return html`<time class="stamp" datetime="${iso}" title="${iso}"><span>${iso.slice(0, 10)}</span> <span>${iso.slice(11, seconds ? 19 : 16)} UTC</span></time>`;
}

/** A value Vow holds of a person, decrypted: text, an address on one line, or "erased". */
export function heldValue(v: IdentifierView['value']): SafeHtml | string {
  if (v === null) return html`<em>erased</em>`;
  if (typeof v === 'string') return personal(v);
  return personal([v.line1, v.line2, v.city, v.region, v.postal_code, v.country].filter(Boolean).join(', '));
}

export const STAFF_TYPE: Record<string, string> = {
  access: 'Access (copy of data)',
  portability: 'Portability (machine-readable copy)',
  correction: 'Correction',
  deletion: 'Deletion',
  restriction: 'Restriction of processing',
  objection: 'Objection to direct marketing',
};

/** How a request came in, after "received": "by post", not "by postal". */
export const STAFF_CHANNEL: Record<string, string> = {
  web: 'on the website',
  account: "from the person's account",
  email: 'by email',
  postal: 'by post',
};

export const STAFF_STATUS: Record<string, string> = {
  awaiting_verification: 'Identity not yet verified',
  awaiting_agent_confirmation: "Agent's permission to check",
  awaiting_approval: 'Correction to approve',
  in_progress: 'Being fulfilled',
  completed: 'Answered',
  denied: 'Refused',
};

/** The status of a request whose staff verification waits for a privacy officer (four eyes). */
export const PENDING_STATUS = 'Verification to approve';

export const EVENT_LABELS: Record<string, string> = {
  'request.received': 'Request received',
  'request.viewed': 'Request opened by staff',
  'request.verified': 'Identity verified',
  'request.verification_failed': 'Identity check failed',
  'request.verification_awaiting_approval': 'Identity verified by staff, waiting for approval',
  'request.verification_approved': 'Verification approved',
  'request.verification_rejected': 'Verification rejected',
  'request.agent_confirmed': "Agent's permission confirmed",
  'request.correction_approved': 'Correction approved',
  'request.corrected': 'Correction applied',
  'request.extended': 'Deadline extended',
  'request.acknowledged': 'Acknowledgement sent',
  'request.denied': 'Request refused',
  'request.completed': 'Request answered',
  'request.recipients_notified': 'Recipients told',
  'request.log_pruned': 'Log entry pruned',
  'restriction.started': 'Restriction started',
  'restriction.lift_notified': 'Person told of the lifting',
  'restriction.lifted': 'Restriction lifted',
  'complaint.received': 'Complaint received',
  'complaint.viewed': 'Complaint opened by staff',
  'complaint.replied': 'Reply sent',
  'complaint.closed': 'Complaint closed',
  'disclosure.export_downloaded': 'Export downloaded',
};

/** An audit action in words: the known ones by name, others from their dotted code. */
export function eventLabel(action: string): string {
  const known = EVENT_LABELS[action];
  if (known) return known;
  const words = action.replace(/^[a-z0-9]+\./, '').replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Staff ids to user names, for histories and the audit trail (no UUIDs shown to people). */
export async function staffNames(services: Services): Promise<ReadonlyMap<string, string>> {
  const list = await services.identity.staff.list();
  return new Map(list.map((s) => [s.id, s.username]));
}

/**
 * A record id shortened for a list: its last 8 characters. Ids are UUIDv7, whose first characters
 * are the time of creation: every request of the same minute began with the same 8, so the queue
 * showed one "019b76da" on every row. The end is random. The queue's search finds an id by any part.
 */
export function shortId(id: string): string {
  return id.slice(-8);
}

/** Who did it, in words: a staff member's user name, the person, the system, the shop's backend. */
export function actorLabel(
  names: ReadonlyMap<string, string>,
  type: string,
  id: string | null | undefined,
): string {
  if (type === 'staff') {
    if (!id) return 'A staff member';
    if (id === 'test-principal') return 'Test staff';
    return names.get(id) ?? 'A former staff member';
  }
  if (type === 'subject') return 'The person';
  if (type === 'system') return 'Vow (automatic)';
  if (type === 'service') return "The shop's systems";
  if (type === 'recipient') return 'A recipient';
  return type;
}
