// What each action on a request's page is called and says: its tone, the confirmation step of an
// irreversible one (confirm.ts: what will happen, what cannot be undone), what a done one says, and
// the words for verifications and the details staff match. The page itself is request-page.ts.

import { categoryName, type Policy } from '../../modules/policy/index.js';
import { deadlinesFor, type RequestDetail } from '../../modules/rights/index.js';
import { addressInWords } from '../../modules/subjects/index.js';
import type { Confirmation, Tone } from './confirm.js';
import { STAFF_TYPE } from './labels.js';

export type RequestAction =
  | 'verify_data_points'
  | 'approve_verification'
  | 'reject_verification'
  | 'confirm_agent'
  | 'approve_correction'
  | 'extend'
  | 'acknowledge'
  | 'deny'
  | 'lift';

/** What a done action says on the page it redirects to (`?done=<action>`). */
export const DONE_TEXT: Record<RequestAction | 'verify_pending', string> = {
  verify_data_points: 'Verified: Vow fulfils the request now (its status below says where it stands).',
  verify_pending:
    'The details match. The verification now waits for a privacy officer other than you to approve it; nothing is sent, changed or deleted before then.',
  approve_verification: 'Verification approved: the request goes on (its status below says where it stands).',
  reject_verification: 'Verification rejected: the request waits for its identity to be verified again.',
  confirm_agent: "The agent's permission is confirmed; the request is being fulfilled.",
  approve_correction: 'Correction approved; it is being applied.',
  extend: 'Deadline extended; the person was told why.',
  acknowledge: 'Marked acknowledged.',
  deny: 'Request refused; the person was told why and where to complain.',
  lift: 'The person was told; the restriction is lifted.',
};

/** Actions that change nothing for good (no confirmation step). */
export const REVERSIBLE: ReadonlySet<RequestAction> = new Set(['acknowledge']);

/**
 * Each action's colour (confirm.ts, Tone): refusing the request, rejecting a verification and lifting
 * a restriction (a protection the person asked for, taken away) are red, and so is what starts a
 * deletion (approving a deletion's verification or confirming its agent); verifying (which starts
 * nothing before a privacy officer approves what it would let through), approving a correction,
 * extending the deadline and acknowledging go ahead with what the person asked: blue.
 */
export function actionTone(r: Pick<RequestDetail, 'type'>, action: RequestAction): Tone {
  switch (action) {
    case 'deny':
    case 'lift':
    case 'reject_verification':
      return 'destructive';
    case 'approve_verification':
    case 'confirm_agent':
      return r.type === 'deletion' ? 'destructive' : 'proceed';
    case 'verify_data_points':
    case 'approve_correction':
    case 'extend':
    case 'acknowledge':
      return 'proceed';
  }
}

/** How many matching details verify a request of this type, and what they let it answer. */
export function detailsNeeded(type: string): string {
  return ['access', 'restriction', 'objection'].includes(type)
    ? type === 'access'
      ? 'Two matching details verify it, answered with the kinds of data Vow holds, not the values; three and a signed declaration give the values.'
      : 'Two matching details verify it.'
    : 'It needs three matching details and the person’s declaration, signed under penalty of perjury.';
}

/** Whether three matching details and the declaration verify this type only with a privacy officer's approval. */
export function approvalNeededFor(type: string): boolean {
  return type !== 'restriction' && type !== 'objection';
}

/** The kinds of details staff match, in words. */
export const DETAIL_WORDS: Readonly<Record<string, string>> = {
  email: 'email address',
  phone: 'phone number',
  account: 'shop account id',
  address: 'postal address',
};

/** How the identity was verified, in words. */
export const VERIFICATION_WORDS: Readonly<Record<string, string>> = {
  email_code: 'by the code emailed to them',
  session: 'signed in to their account',
  data_points_2: 'by staff, two matching details',
  data_points_3: 'by staff, three matching details and a signed declaration',
};

/** The deadline an extension would give this request (the law's longest), or none. */
export function extendedDue(r: Pick<RequestDetail, 'jurisdiction' | 'receivedOn'>, policy: Policy): string {
  return deadlinesFor(r.jurisdiction, r.receivedOn, policy).extendedDueOn;
}

const WHAT_DELETION_DOES =
  'Fulfilment starts at once: everything held about the person is deleted from every copy, except what the law makes us keep (orders for tax, the request log).';

/** The confirmation step of an irreversible action on this request. */
export function requestConfirmation(
  r: RequestDetail,
  action: RequestAction,
  fields: Readonly<Record<string, string | undefined>>,
  policy: Policy,
): Confirmation {
  const base = {
    tone: actionTone(r, action),
    section: '/staff/requests',
    action: `/staff/requests/${r.id}`,
    back: `/staff/requests/${r.id}`,
    fields,
  };
  const starts =
    r.type === 'deletion'
      ? WHAT_DELETION_DOES
      : `Fulfilment starts at once: the ${STAFF_TYPE[r.type] ?? r.type} request is answered and the person is told.`;
  const waits = approvalNeededFor(r.type) && (r.type !== 'access' || fields.declarationSigned === 'yes');
  switch (action) {
    case 'verify_data_points':
      return {
        ...base,
        title: 'verify by matching details',
        willHappen: [
          'The details you typed are compared with what Vow holds about the person.',
          waits
            ? `${detailsNeeded(r.type)} If enough match, the verification waits for a privacy officer other than you to approve it; only then ${r.type === 'deletion' ? 'is anything deleted' : r.type === 'correction' ? 'can the correction be applied' : 'is the copy of the data sent'}.${r.type === 'access' ? ' With two matching details only, the request is verified at once and answered with the kinds of data held.' : ''}`
            : `${detailsNeeded(r.type)} If enough match, the request counts as verified. ${starts}`,
          fields.declarationSigned === 'yes'
            ? 'You record that the person signed a declaration under penalty of perjury.'
            : 'No signed declaration is recorded.',
        ],
        cannotUndo: waits
          ? 'The verification is recorded under your name; a privacy officer approves or rejects it.'
          : 'A verified request cannot be unverified, and what fulfilment does cannot be reversed.',
        confirmLabel: waits ? 'Verify and ask for approval' : 'Verify and start fulfilment',
      };
    case 'approve_verification': {
      const p = r.pendingVerification;
      return {
        ...base,
        title: 'approve the verification',
        willHappen: [
          `You confirm that the ${(p?.matched ?? []).map((k) => DETAIL_WORDS[k] ?? k).join(', ')} ${p?.matched.length === 1 ? 'matches' : 'match'} what Vow holds${p?.declarationSigned ? ' and the person signed a declaration under penalty of perjury' : ''}: the request counts as verified.`,
          starts,
        ],
        cannotUndo:
          'A verified request cannot be unverified, and what fulfilment does (a deletion above all) cannot be reversed.',
        confirmLabel: r.type === 'deletion' ? 'Approve and delete' : 'Approve and start fulfilment',
      };
    }
    case 'reject_verification':
      return {
        ...base,
        title: 'reject the verification',
        willHappen: [
          'The request is not verified: it waits for its identity to be verified again (by the emailed code, or by matching details anew).',
          `Your reason is kept in the request's timeline: “${fields.reason ?? ''}”.`,
        ],
        cannotUndo: 'A rejected verification cannot be approved later: it has to be made again.',
        confirmLabel: 'Reject the verification',
      };
    case 'confirm_agent':
      return {
        ...base,
        title: "confirm the agent's permission",
        willHappen: [
          `You state that you have seen the person's signed permission for ${r.contact.agent?.name ?? 'the agent'} to act for them.`,
          starts,
          r.contact.email
            ? `The answer is emailed to the address the request gave (${r.contact.email}).`
            : 'The request gave no email address: the answer is recorded on the request.',
        ],
        cannotUndo:
          'The confirmation is recorded under your name, and what fulfilment does (a deletion above all) cannot be reversed.',
        confirmLabel: "Confirm the agent's permission",
      };
    case 'approve_correction':
      return {
        ...base,
        title: 'approve the correction',
        willHappen: [
          `The held ${r.contact.correction ? `“${categoryName(policy, r.contact.correction.category)}”` : 'value'} is replaced by “${addressInWords(r.contact.correction?.value) ?? r.contact.correction?.value ?? ''}” everywhere Vow holds it.`,
          'The person and the recipients the data went to are told.',
        ],
        cannotUndo: 'The old value is overwritten; Vow keeps no copy of it.',
        confirmLabel: 'Approve and apply the correction',
      };
    case 'extend':
      return {
        ...base,
        title: 'extend the deadline',
        willHappen: [
          `The deadline moves from ${r.dueOn} to ${extendedDue(r, policy)}, the longest the law allows.`,
          `The person is emailed now with your reason: “${fields.reason ?? ''}”.`,
        ],
        cannotUndo: 'A request can be extended only once, and the email cannot be recalled.',
        confirmLabel: 'Extend and tell the person',
      };
    case 'deny':
      return {
        ...base,
        title: 'refuse the request',
        willHappen: [
          `The request is closed as refused on this legal basis: “${fields.basis ?? ''}”.`,
          'The person is emailed the reason and their right to complain to the regulator.',
        ],
        cannotUndo: 'A refused request cannot be reopened: the person would have to ask again.',
        confirmLabel: 'Refuse the request',
      };
    case 'lift':
      return {
        ...base,
        title: 'lift the restriction',
        willHappen: [
          'The person is told first, as the law requires.',
          'Then the restriction ends and processing of their data resumes.',
        ],
        cannotUndo: 'The email cannot be recalled; restricting again needs a new request.',
        confirmLabel: 'Tell the person and lift the restriction',
      };
    case 'acknowledge':
      return {
        ...base,
        title: 'mark acknowledged',
        willHappen: ['The request is marked as acknowledged.'],
        cannotUndo: 'Nothing.',
        confirmLabel: 'Mark acknowledged',
      };
  }
}
