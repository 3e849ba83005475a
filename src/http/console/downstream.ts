// The console's pages of the retailer's systems: the webhook endpoints and the outbox's dead-letter
// list (admins), and the open downstream tasks with what each waits on (privacy staff), where a task
// for a system without an API shows its drafted email and is closed with evidence.
import type { DeliveryView, EndpointView, TaskView } from '../../modules/downstream/index.js';
import { html } from '../../platform/html.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

export function renderWebhooks(
  frame: ConsoleFrame,
  endpoints: readonly EndpointView[],
  failed: readonly DeliveryView[],
  message?: { ok: boolean; text: string },
): string {
  return consolePage(frame, {
    title: 'Webhooks',
    section: '/staff/webhooks',
    body: html`<h1>Webhooks</h1>
<p>Signed events (Standard Webhooks) to the retailer's systems. Add endpoints with
<code>POST /v1/webhooks</code> or <code>vow webhooks add</code>; each receives only what its recipient may.</p>
${flash(message)}
<h2>Endpoints</h2>
${
  endpoints.length === 0
    ? html`<p>No endpoint is configured.</p>`
    : html`<div class="scroll" tabindex="0"><table class="stack" data-testid="webhook-endpoints">
  <thead><tr><th scope="col">Id</th><th scope="col">URL</th><th scope="col">Recipient</th><th scope="col">Events</th><th scope="col">State</th></tr></thead>
  <tbody>${endpoints.map(
    (e) =>
      html`<tr><td data-label="Id"><code>${e.id}</code></td><td data-label="URL">${e.url}</td><td data-label="Recipient">${e.recipient ?? '—'}</td><td data-label="Events">${e.events.join(', ')}</td><td data-label="State">${e.disabled ? 'disabled' : e.rotating ? 'rotating secret' : 'active'}</td></tr>`,
  )}</tbody>
</table></div>`
}
<h2>Failed deliveries (dead letters)</h2>
${
  failed.length === 0
    ? html`<p>No delivery has failed.</p>`
    : html`<div class="scroll" tabindex="0"><table class="stack" data-testid="webhook-dead-letters">
  <thead><tr><th scope="col">Delivery</th><th scope="col">Event</th><th scope="col">Endpoint</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Action</th></tr></thead>
  <tbody>${failed.map(
    (
      d,
    ) => html`<tr><td data-label="Delivery"><code>${d.id}</code></td><td data-label="Event">${d.eventType}</td><td data-label="Endpoint">${d.url}</td><td data-label="Attempts">${d.attempts}</td><td data-label="Last error">${d.lastError ?? '—'}</td><td>
<form method="post" action="/staff/webhooks/retry" class="inline">${csrfField(frame.csrf)}
<input type="hidden" name="deliveryId" value="${d.id}"><button type="submit">Retry</button></form></td></tr>`,
  )}</tbody>
</table></div>`
}`,
  });
}

export function renderTasks(
  frame: ConsoleFrame,
  tasks: readonly TaskView[],
  draft?: { taskId: string; to: string; subject: string; text: string },
  message?: { ok: boolean; text: string },
): string {
  return consolePage(frame, {
    title: 'Recipient tasks',
    section: '/staff/downstream',
    body: html`<h1>Recipient tasks</h1>
<p>Each deletion, correction, restriction and opt-out is passed on to every system the policy names
as a recipient of the person's data (GDPR Art. 19). A system with a webhook confirms by a signed callback;
for one without an API, send the drafted email, then record its confirmation as evidence.</p>
${flash(message)}
${
  draft
    ? html`<section aria-label="Drafted email"><h2>Drafted email</h2><p>To: <code>${draft.to}</code><br>Subject: ${draft.subject}</p><pre>${draft.text}</pre></section>`
    : ''
}
${
  tasks.length === 0
    ? html`<p>No task is open.</p>`
    : html`<div class="scroll" tabindex="0"><table class="stack" data-testid="downstream-tasks">
  <thead><tr><th scope="col">Request</th><th scope="col">Kind</th><th scope="col">Recipient</th><th scope="col">Status</th><th scope="col">Waiting on</th><th scope="col">Close</th></tr></thead>
  <tbody>${tasks.map(
    (
      t,
    ) => html`<tr><td data-label="Request">${t.requestId ? html`<a href="/staff/requests/${t.requestId}"><code>${t.requestId}</code></a>` : '—'}</td><td data-label="Kind">${t.kind}</td><td data-label="Recipient">${t.recipientName}${t.blocking ? '' : ' (not holding the request)'}</td><td data-label="Status">${t.status}</td><td data-label="Waiting on">${t.waitingOn ?? '—'}${
      t.method === 'email' ? html` <a href="/staff/downstream?draft=${t.id}">Show the drafted email</a>` : ''
    }</td><td>
<form method="post" action="/staff/downstream/complete" class="inline">${csrfField(frame.csrf)}
<input type="hidden" name="taskId" value="${t.id}">
<label>Evidence <input name="evidence" required minlength="3" maxlength="2000"></label>
<button type="submit" name="outcome" value="done">Done</button>
<button type="submit" name="outcome" value="explained">Explained</button></form></td></tr>`,
  )}</tbody>
</table></div>`
}`,
  });
}
