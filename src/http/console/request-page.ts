// A request's page for staff: its facts, its full timeline (every audit event on the request: who,
// when, what), and the actions its step allows. Every irreversible action goes through a
// confirmation step (confirm.ts) saying what will happen and what cannot be undone; those texts,
// each action's tone and what a done action says are in request-confirmations.ts.

import { categoryName } from '../../modules/policy/index.js';
import type { RequestDetail } from '../../modules/rights/index.js';
import { addressInWords } from '../../modules/subjects/index.js';
import type { AuditRow } from '../../platform/audit/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { personal } from '../layout.js';
import { type FormState, ticked, typed } from '../pages/form-state.js';
import { JURISDICTION_LABELS } from '../request-labels.js';
import { secondaryToneClass, toneClass } from './confirm.js';
import { actorLabel, eventLabel, PENDING_STATUS, STAFF_CHANNEL, STAFF_STATUS, STAFF_TYPE } from './labels.js';
import {
  actionTone,
  DETAIL_WORDS,
  detailsNeeded,
  extendedDue,
  REVERSIBLE,
  type RequestAction,
  VERIFICATION_WORDS,
} from './request-confirmations.js';
import { due } from './requests.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

const minute = (at: string) => `${at.replace('T', ' ').slice(0, 16)} UTC`;

function action(
  r: RequestDetail,
  csrf: string,
  name: RequestAction,
  heading: string,
  label: string,
  fields: SafeHtml | string = '',
  lesser = false,
): SafeHtml {
  const irreversible = !REVERSIBLE.has(name);
  const tone = actionTone(r, name);
  // The lesser of two choices offered together (Reject beside Approve) is outlined.
  const toneAttr = lesser ? secondaryToneClass(tone) : toneClass(tone);
  return html`<form method="post" action="/staff/requests/${r.id}" class="action" data-action="${name}" aria-labelledby="act-${name}">
  <h3 id="act-${name}">${heading}</h3>
  ${csrfField(csrf)}
  <input type="hidden" name="action" value="${name}">
  ${fields}
  <p><button type="submit"${toneAttr} data-tone="${tone}">${label}</button>${irreversible ? html` <span class="small">You confirm on the next page.</span>` : ''}</p>
</form>`;
}

/** A field of the verification form, with what was typed when a refused verification comes back. */
function field(id: string, name: string, label: string, state: FormState, extra: SafeHtml | string = '') {
  return html`<p><label for="${id}">${label}</label><input id="${id}" name="${name}"${extra} autocomplete="off" value="${typed(state, name)}"></p>`;
}

/** Who verified, what matched, and what a privacy officer may do about it (four eyes). */
function pendingSection(
  frame: ConsoleFrame,
  r: RequestDetail,
  p: NonNullable<RequestDetail['pendingVerification']>,
  names: ReadonlyMap<string, string>,
  who: { isOfficer: boolean; mayDecide: boolean; self: boolean },
): SafeHtml[] {
  const verifier = actorLabel(names, 'staff', p.verifiedBy);
  const out: SafeHtml[] = [
    html`<div class="action" data-testid="pending-verification">
  <h3>A verification waits for approval</h3>
  <p><strong>${verifier}</strong> verified the person on ${minute(p.verifiedAt)}, ${VERIFICATION_WORDS[p.method] ?? p.method}. Matching: <span data-testid="pending-matched">${p.matched.map((k) => DETAIL_WORDS[k] ?? k).join(', ')}</span>${p.declarationSigned ? '; the person signed a declaration under penalty of perjury' : ''}.</p>
  ${
    who.mayDecide
      ? html`<p>Check the details against the person's letter or call before you approve: nothing is ${r.type === 'deletion' ? 'deleted' : r.type === 'correction' ? 'corrected' : 'sent'} before then.</p>`
      : html`<p data-testid="pending-who">${
          who.self
            ? `You verified it: a privacy officer other than you (and not an account you issued or were issued by) approves or rejects it.`
            : who.isOfficer
              ? `Another privacy officer must decide: you and ${verifier} issued one another's credentials, or the same privacy officer issued both.`
              : `Waiting for a privacy officer other than ${verifier} to approve or reject it.`
        }</p>`
  }
</div>`,
  ];
  if (!who.mayDecide) return out;
  out.push(
    action(
      r,
      frame.csrf,
      'approve_verification',
      'Approve the verification',
      r.type === 'deletion' ? 'Approve and delete…' : 'Approve…',
    ),
    action(
      r,
      frame.csrf,
      'reject_verification',
      'Reject the verification',
      'Reject…',
      html`<p><label for="rv-reason">Why (the verifier reads it; no email address or phone number)</label><input id="rv-reason" name="reason" required minlength="3" maxlength="1000"></p>`,
      true,
    ),
  );
  return out;
}

function actions(frame: ConsoleFrame, p: RequestPage): SafeHtml[] {
  const r = p.request;
  const isOfficer = p.isOfficer;
  const csrf = frame.csrf;
  const state = p.typed ?? {};
  const out: SafeHtml[] = [];
  if (r.pendingVerification)
    out.push(
      ...pendingSection(frame, r, r.pendingVerification, p.names, {
        isOfficer,
        mayDecide: isOfficer && p.mayDecideVerification === true,
        self: p.staffId === r.pendingVerification.verifiedBy,
      }),
    );
  else if (r.status === 'awaiting_verification')
    out.push(
      action(
        r,
        csrf,
        'verify_data_points',
        'Verify by matching details',
        'Verify…',
        html`<p data-testid="details-needed">Type the details the person gave you (in their letter, email or call); Vow compares each with what it holds. ${detailsNeeded(r.type)}</p>
${field('v-email', 'email', 'Email', state, html` type="email"`)}
${field('v-phone', 'phone', 'Phone', state, html` type="tel"`)}
${field('v-account', 'accountId', 'Account id', state)}
<fieldset><legend>Postal address <span class="small">(as the person gave it, in a letter or on the phone)</span></legend>
${field('v-line1', 'address_line1', 'Street address', state, html` maxlength="200"`)}
${field('v-line2', 'address_line2', 'Apartment, suite (optional)', state, html` maxlength="200"`)}
${field('v-city', 'address_city', 'City', state, html` maxlength="100"`)}
${field('v-region', 'address_region', 'State or region (optional)', state, html` maxlength="100"`)}
${field('v-postal', 'address_postal_code', 'ZIP or postal code', state, html` maxlength="20"`)}
${field('v-country', 'address_country', 'Country (two letters, such as US)', state, html` maxlength="2" size="3"`)}
</fieldset>
<p class="check"><input type="checkbox" id="v-declared" name="declarationSigned" value="yes"${ticked(state, 'declarationSigned', 'yes') ? html` checked` : ''}><label for="v-declared">The person signed a declaration under penalty of perjury</label></p>`,
      ),
    );
  if (r.isAgent && !r.agentConfirmed)
    out.push(
      action(r, csrf, 'confirm_agent', "The agent's signed permission", "Confirm the agent's permission…"),
    );
  if (r.status === 'awaiting_approval')
    out.push(action(r, csrf, 'approve_correction', 'The correction', 'Approve the correction…'));
  if (r.extensionPossibleUntil)
    out.push(
      action(
        r,
        csrf,
        'extend',
        'Extend the deadline',
        'Extend…',
        html`<p data-testid="extension-hint">Once only, and only by ${r.extensionPossibleUntil}: the deadline moves from ${r.dueOn} to <strong>${extendedDue(r, frame.policy)}</strong>, and the person is emailed your reason.</p>
<p><label for="x-reason">Reason (the person reads it)</label><input id="x-reason" name="reason" required maxlength="1000"></p>`,
      ),
    );
  if (r.ackDueOn && !r.acknowledgedAt)
    out.push(action(r, csrf, 'acknowledge', 'Acknowledgement', 'Mark acknowledged'));
  if (isOfficer && r.status !== 'completed' && r.status !== 'denied')
    out.push(
      action(
        r,
        csrf,
        'deny',
        'Refuse the request',
        'Refuse…',
        html`<p><label for="d-basis">Legal basis (the person reads it)</label><input id="d-basis" name="basis" required maxlength="1000"></p>`,
      ),
    );
  if (isOfficer && r.type === 'restriction' && r.status === 'completed')
    out.push(
      action(
        r,
        csrf,
        'lift',
        'Lift the restriction',
        'Lift…',
        html`<p><label for="l-reason">Reason (the person reads it)</label><input id="l-reason" name="reason" required maxlength="1000"></p>`,
      ),
    );
  return out;
}

/**
 * The timeline's entries, a run of views by the same person folded into one ("3 times", from the
 * first to the last): each reload of the page is audited, and ten lines of "opened" hid the steps.
 */
function foldViews(events: readonly AuditRow[]): { first: AuditRow; last: AuditRow; times: number }[] {
  const out: { first: AuditRow; last: AuditRow; times: number }[] = [];
  for (const e of events) {
    const prev = out.at(-1);
    if (
      prev &&
      e.action === 'request.viewed' &&
      prev.first.action === e.action &&
      prev.first.actor_type === e.actor_type &&
      prev.first.actor_id === e.actor_id
    ) {
      prev.last = e;
      prev.times++;
    } else out.push({ first: e, last: e, times: 1 });
  }
  return out;
}

/** The Verified fact: when and how, or that a staff verification waits for a privacy officer. */
function verifiedFact(r: RequestDetail, names: ReadonlyMap<string, string>): string {
  if (r.verifiedAt)
    return `${r.verifiedAt.slice(0, 10)}, ${VERIFICATION_WORDS[r.verificationMethod ?? ''] ?? r.verificationMethod?.replace(/_/g, ' ')}`;
  const p = r.pendingVerification;
  if (p)
    return `not yet: ${actorLabel(names, 'staff', p.verifiedBy)} verified the person on ${p.verifiedAt.slice(0, 10)}, waiting for a privacy officer's approval`;
  return 'not yet';
}

function timeline(events: readonly AuditRow[], names: ReadonlyMap<string, string>): SafeHtml {
  if (!events.length) return html`<p class="empty">No events recorded.</p>`;
  return html`<ol class="timeline" data-testid="request-timeline">${foldViews(events).map(
    ({ first: e, last, times }) =>
      html`<li data-event="${e.action}"><time datetime="${e.at}">${minute(e.at)}</time>${times > 1 && minute(last.at) !== minute(e.at) ? html` to <time datetime="${last.at}">${minute(last.at)}</time>` : ''} <strong>${eventLabel(e.action)}</strong>${times > 1 ? ` (${times} times)` : ''} — ${actorLabel(names, e.actor_type, e.actor_id)}${e.reason ? html`<br><span class="small">${e.reason}</span>` : ''}</li>`,
  )}</ol>`;
}

export interface RequestPage {
  readonly request: RequestDetail;
  readonly events: readonly AuditRow[];
  readonly names: ReadonlyMap<string, string>;
  readonly isOfficer: boolean;
  /** Who looks at the page. */
  readonly staffId?: string | undefined;
  /** Whether they are another person than the verifier whose verification waits (four eyes). */
  readonly mayDecideVerification?: boolean | undefined;
  /** What the verification form held when it was refused: it comes back as typed (as shopper forms do). */
  readonly typed?: FormState | undefined;
  readonly message?: { ok: boolean; text: string } | undefined;
}

export function renderStaffRequest(frame: ConsoleFrame, p: RequestPage): string {
  const r = p.request;
  const c = r.contact;
  const acts = actions(frame, p);
  return consolePage(frame, {
    title: `${STAFF_TYPE[r.type] ?? r.type} request`,
    section: '/staff/requests',
    body: html`<p><a href="/staff/requests">← The request queue</a></p>
<h1>${STAFF_TYPE[r.type] ?? r.type} request</h1>
${flash(p.message)}
<dl class="facts">
  <dt>Status</dt><dd data-testid="staff-request-status">${r.pendingVerification ? PENDING_STATUS : (STAFF_STATUS[r.status] ?? r.status)}</dd>
  <dt>Requester</dt><dd data-testid="requester">${
    Object.keys(c).length === 0 && (r.status === 'completed' || r.status === 'denied')
      ? html`<span class="empty">deleted with the person's data once the request was answered</span>`
      : html`${c.name ? personal(c.name) : html`<span class="empty">no name given</span>`}${c.email ? html`<br>${personal(c.email)}` : html`<br><span class="empty">no email (${STAFF_CHANNEL[r.channel] ?? r.channel})</span>`}`
  }</dd>
  <dt>Request id</dt><dd><code>${r.id}</code></dd>
  <dt>Law</dt><dd>${r.law.toUpperCase()} (${JURISDICTION_LABELS[r.jurisdiction] ?? r.jurisdiction})</dd>
  <dt>Received</dt><dd>${r.receivedOn} ${STAFF_CHANNEL[r.channel] ?? `by ${r.channel}`}</dd>
  <dt>Due</dt><dd>${due(r)}${r.extended ? ` (extended from ${r.originalDueOn})` : ''}</dd>
  ${r.ackDueOn ? html`<dt>Acknowledgement</dt><dd>${r.acknowledgedAt ? `sent ${r.acknowledgedAt.slice(0, 10)}` : `due ${r.ackDueOn}`}</dd>` : ''}
  <dt>Verified</dt><dd>${verifiedFact(r, p.names)}</dd>
  ${c.agent ? html`<dt>Agent</dt><dd>${personal(c.agent.name)}: ${personal(c.agent.permission)}${r.agentConfirmed ? ' (confirmed)' : ''}</dd>` : ''}
  ${c.correction ? html`<dt>Correction</dt><dd>${categoryName(frame.policy, c.correction.category)} <span class="small">(<code>${c.correction.category}</code>)</span> → <strong>${personal(addressInWords(c.correction.value) ?? c.correction.value)}</strong>${c.correction.evidence ? html`<br>Evidence: ${personal(c.correction.evidence)}` : ''}</dd>` : ''}
  ${c.details ? html`<dt>Details</dt><dd>${personal(c.details)}</dd>` : ''}
  ${r.responseNature ? html`<dt>Answer</dt><dd>${r.responseNature}${r.denialBasis ? `: ${r.denialBasis}` : ''} (${r.respondedAt?.slice(0, 10) ?? ''})</dd>` : ''}
</dl>
<section aria-labelledby="actions-h">
<h2 id="actions-h">What to do</h2>
${acts.length ? acts : html`<p class="empty">Nothing to do: ${r.status === 'completed' || r.status === 'denied' ? 'the request is closed.' : 'Vow is working on it.'}</p>`}
</section>
<section aria-labelledby="timeline-h">
<h2 id="timeline-h">Timeline</h2>
${timeline(p.events, p.names)}
</section>
${r.result ? html`<section aria-labelledby="result-h"><h2 id="result-h">Result</h2><details><summary>What fulfilment recorded (counts and datasets)</summary><pre class="scroll" data-testid="staff-request-result">${JSON.stringify(r.result, null, 2)}</pre></details></section>` : ''}`,
  });
}
