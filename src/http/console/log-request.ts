// Customer service logs a request that arrived by email or postal mail (P24), with the day it was
// received (the deadline runs from then). The form posts; the new request's page follows.
import { JURISDICTIONS, REQUEST_TYPES } from '../../modules/rights/index.js';
import { html } from '../../platform/html.js';
import { JURISDICTION_LABELS, TYPE_LABELS } from '../request-labels.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

export interface LogRequestValues {
  readonly type?: string;
  readonly jurisdiction?: string;
  readonly channel?: string;
  readonly receivedOn?: string;
  readonly email?: string;
  readonly name?: string;
  readonly details?: string;
  readonly correctionCategory?: string;
  readonly correctionValue?: string;
}

const selected = (a: string | undefined, b: string) => (a === b ? html` selected` : '');

export function renderLogRequest(
  frame: ConsoleFrame,
  today: string,
  values: LogRequestValues = {},
  message?: { ok: boolean; text: string },
): string {
  const categories = Object.keys(frame.policy.doc.categories).filter((c) => c.includes('.'));
  return consolePage(frame, {
    title: 'Log a request',
    section: '/staff/requests',
    body: html`<h1>Log a request received by email or post</h1>
<p>The deadline runs from the day the email or letter arrived. The person is asked to confirm their
identity by email when an address is given; otherwise verify them from the request's page.</p>
${flash(message)}
<form method="post" action="/staff/log-request" data-testid="log-request">
  ${csrfField(frame.csrf)}
  <p><label for="type">What the person asks</label><select id="type" name="type">${REQUEST_TYPES.map(
    (t) => html`<option value="${t}"${selected(values.type, t)}>${TYPE_LABELS[t] ?? t}</option>`,
  )}</select></p>
  <p><label for="jurisdiction">Where the person lives</label><select id="jurisdiction" name="jurisdiction">${JURISDICTIONS.map(
    (j) =>
      html`<option value="${j}"${selected(values.jurisdiction, j)}>${JURISDICTION_LABELS[j] ?? j}</option>`,
  )}</select></p>
  <p><label for="channel">Arrived by</label><select id="channel" name="channel">
    <option value="email"${selected(values.channel, 'email')}>Email</option>
    <option value="postal"${selected(values.channel, 'postal')}>Postal mail</option>
  </select></p>
  <p><label for="receivedOn">Received on</label><input id="receivedOn" name="receivedOn" type="date" required max="${today}" value="${values.receivedOn ?? today}"></p>
  <p><label for="email">The person's email (if they gave one)</label><input id="email" name="email" type="email" autocomplete="off" value="${values.email ?? ''}"></p>
  <p><label for="name">Their name</label><input id="name" name="name" autocomplete="off" value="${values.name ?? ''}"></p>
  <p><label for="details">What they wrote (summary)</label><textarea id="details" name="details" rows="3" maxlength="2000">${values.details ?? ''}</textarea></p>
  <fieldset><legend>Corrections only</legend>
    <p><label for="correctionCategory">Data to correct</label><select id="correctionCategory" name="correctionCategory"><option value="">—</option>${categories.map(
      (c) => html`<option value="${c}"${selected(values.correctionCategory, c)}>${c}</option>`,
    )}</select></p>
    <p><label for="correctionValue">The correct value</label><input id="correctionValue" name="correctionValue" autocomplete="off" value="${values.correctionValue ?? ''}"></p>
  </fieldset>
  <p><button type="submit">Log the request</button></p>
</form>`,
  });
}
