// The privacy officer's page of appeals of refused requests (US state laws): each open appeal with
// its deadline and the statute section, and a form to decide it. The officer who refused the
// request cannot decide its appeal (the service refuses; the page says so). A decision is final
// and emails the person: it has its confirmation step (appealConfirmation).
import type { AppealView } from '../../modules/rights/index.js';
import { html } from '../../platform/html.js';
import { JURISDICTION_LABELS } from '../request-labels.js';
import type { Confirmation } from './confirm.js';
import { actorLabel, shortId } from './labels.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

/** The confirmation step of a decision: granting goes ahead (blue), upholding refuses (red). */
export function appealConfirmation(
  a: AppealView,
  outcome: 'granted' | 'upheld',
  reasons: string,
): Confirmation {
  const base = {
    section: '/staff/appeals',
    action: '/staff/appeals/decide',
    back: '/staff/appeals',
    fields: { appealId: a.id, outcome, reasons },
  };
  return outcome === 'granted'
    ? {
        ...base,
        tone: 'proceed',
        title: 'grant the appeal',
        willHappen: [
          `The refusal of request ${shortId(a.requestId)} is set aside: the request is open again and answered.`,
          `The person is emailed your reasons: “${reasons}”.`,
        ],
        cannotUndo: 'An appeal is decided once, and the email cannot be recalled.',
        confirmLabel: 'Grant the appeal',
      }
    : {
        ...base,
        tone: 'destructive',
        title: 'uphold the refusal',
        willHappen: [
          `The refusal of request ${shortId(a.requestId)} stands.`,
          `The person is emailed your reasons: “${reasons}”, with the attorney general's contact where their state's law asks for it.`,
        ],
        cannotUndo:
          'An appeal is decided once: the person can then only complain to the attorney general. The email cannot be recalled.',
        confirmLabel: 'Uphold the refusal',
      };
}

export function renderAppeals(
  frame: ConsoleFrame,
  appeals: readonly AppealView[],
  names: ReadonlyMap<string, string>,
  message?: { ok: boolean; text: string },
  /** The officer looking: the refusals they made themselves are decided by a colleague. */
  viewerId?: string,
): string {
  return consolePage(frame, {
    title: 'Appeals',
    section: '/staff/appeals',
    body: html`<h1>Appeals</h1>
<p>People whose request was refused appealed under their state's law. Someone other than the
officer who refused decides; upholding the refusal sends the reasons and, where the law requires
it, the attorney general's contact. Granting reopens the request.</p>
${flash(message)}
${
  appeals.length === 0
    ? html`<p class="empty">No appeal is waiting.</p>`
    : html`<div class="scroll" tabindex="0"><table class="stack" data-testid="appeals">
  <thead><tr><th scope="col">Received</th><th scope="col">Decide by</th><th scope="col">Where</th><th scope="col">Request</th><th scope="col">Refused by</th><th scope="col">Decision</th></tr></thead>
  <tbody>${appeals.map(
    (
      a,
    ) => html`<tr${a.overdue ? html` class="overdue"` : ''}><td data-label="Received">${a.receivedOn}</td><td data-label="Decide by">${a.dueOn}${a.extended ? ' (extended)' : ''}${a.cite ? html`<br><span class="small">${a.cite}</span>` : ''}</td><td data-label="Where">${JURISDICTION_LABELS[a.jurisdiction] ?? a.jurisdiction}</td><td data-label="Request"><a href="/staff/requests/${a.requestId}">${shortId(a.requestId)}</a></td><td data-label="Refused by">${a.firstDecider ? actorLabel(names, 'staff', a.firstDecider) : 'unknown'}</td><td data-label="Decision">
${
  viewerId !== undefined && a.firstDecider === viewerId
    ? html`<p class="small" data-testid="own-refusal">You refused this request: a colleague decides the appeal.</p>`
    : html`<form method="post" action="/staff/appeals/decide">
  ${csrfField(frame.csrf)}
  <input type="hidden" name="appealId" value="${a.id}">
  <label for="reasons-${a.id}">Reasons</label> <input id="reasons-${a.id}" name="reasons" required minlength="3" maxlength="2000">
  <button type="submit" name="outcome" value="granted" data-tone="proceed">Grant (reopen)…</button>
  <button type="submit" name="outcome" value="upheld" class="danger secondary" data-tone="destructive">Uphold the refusal…</button>
</form>`
}</td></tr>`,
  )}</tbody>
</table></div>`
}`,
  });
}
