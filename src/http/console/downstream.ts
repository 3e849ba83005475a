// The console's pages of the retailer's systems: the webhook endpoints and the outbox's dead-letter
// list (admins), and the open downstream tasks with what each waits on (privacy staff), where a task
// for a system without an API shows its drafted email and is closed with evidence.
import type { DeliveryView, EndpointView, TaskKind, TaskView } from '../../modules/downstream/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { type FilterRefusal, filterAlert, filterSelect } from './filter-refusal.js';
import { stamp } from './labels.js';
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

/** A task's kind in words. */
export const TASK_KIND: Readonly<Record<TaskKind, string>> = {
  deletion: 'Deletion',
  correction: 'Correction',
  restriction: 'Restriction',
  opt_out: 'Opt-out',
};

/** What the Recipient tasks page shows: which tasks, out of how many, and the filter. */
export interface TaskList {
  readonly tasks: readonly TaskView[];
  readonly counts: {
    total: number;
    holding: number;
    overdue: number;
    byKind: Partial<Record<TaskKind, number>>;
  };
  readonly filter: { readonly kind?: TaskKind | undefined; readonly recipient?: string | undefined };
  /** The recipients the policy names (id and name), for the filter. */
  readonly recipients: readonly { id: string; name: string }[];
  /** Parameters of the address the page could not use (shown without them, marked). */
  readonly refusal?: FilterRefusal | undefined;
}

const FILTER_LABELS: Record<string, string> = { kind: 'kind', recipient: 'recipient' };

function taskFilter(list: TaskList): SafeHtml {
  const { kind, recipient } = list.filter;
  return html`<form method="get" action="/staff/downstream" class="filters" role="search" aria-label="Filter recipient tasks">
  ${filterSelect({
    name: 'kind',
    id: 't-kind',
    label: 'Kind',
    choices: [
      ['', 'Every kind'],
      ...Object.entries(TASK_KIND).map(
        ([k, v]) => [k, `${v} (${list.counts.byKind[k as TaskKind] ?? 0} open)`] as const,
      ),
    ],
    current: kind,
    refusal: list.refusal,
  })}
  ${filterSelect({
    name: 'recipient',
    id: 't-recipient',
    label: 'Recipient',
    choices: [['', 'Every recipient'], ...list.recipients.map((r) => [r.id, r.name] as const)],
    current: recipient,
    refusal: list.refusal,
  })}
  <p><button type="submit">Show</button> <a href="/staff/downstream">Clear</a></p>
</form>`;
}

/**
 * The drafted email the address names (`?draft=<task id>`), or why none can be shown: no task has
 * that id, the task is passed on by webhook, or the outbox no longer keeps the text.
 */
export type TaskDraft =
  | { readonly taskId: string; readonly to: string; readonly subject: string; readonly text: string }
  | { readonly taskId: string; readonly missing: 'unknown' | 'webhook' | 'not-kept' };

const MISSING_DRAFT: Record<'unknown' | 'webhook' | 'not-kept', string> = {
  unknown:
    'No task has this id: the link may be cut short, or come from another Vow. The tasks below are unchanged.',
  webhook:
    'This task is passed on by webhook (its recipient has an API), so Vow drafted no email for it: it closes when the recipient acknowledges the event.',
  'not-kept':
    'This task has no drafted email Vow still keeps: its recipient is reached by webhook, or the text has left the mail outbox. Record the confirmation you hold as evidence to close it.',
};

function draftSection(draft: TaskDraft, back: string): SafeHtml {
  if ('missing' in draft) {
    return html`<section aria-labelledby="draft-title" id="draft"><h2 id="draft-title">Drafted email</h2>
<div class="flash bad" role="alert" data-testid="draft-error" data-status="404" data-missing="${draft.missing}"><p>No drafted email to show for task <code><bdi>${draft.taskId.length > 80 ? `${draft.taskId.slice(0, 80)}…` : draft.taskId}</bdi></code>. ${MISSING_DRAFT[draft.missing]}</p>
<p><a href="/staff/downstream${back ? `?${back}` : ''}" data-testid="draft-back">Close this notice</a></p></div></section>`;
  }
  return html`<section aria-label="Drafted email" id="draft"><h2>Drafted email</h2><p>To: <code>${draft.to}</code><br>Subject: ${draft.subject}</p><pre>${draft.text}</pre></section>`;
}

export function renderTasks(
  frame: ConsoleFrame,
  list: TaskList,
  draft?: TaskDraft,
  message?: { ok: boolean; text: string },
): string {
  const { tasks, counts, filter } = list;
  const filtered = Boolean(filter.kind || filter.recipient);
  const back = new URLSearchParams(
    Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  return consolePage(frame, {
    title: 'Recipient tasks',
    section: '/staff/downstream',
    body: html`<h1>Recipient tasks</h1>
<p>Each deletion, correction, restriction and opt-out is passed on to every system the policy names
as a recipient of the person's data (GDPR Art. 19). A system with a webhook confirms by a signed callback;
for one without an API, send the drafted email, then record its confirmation as evidence.</p>
${flash(message)}
<p data-testid="task-counts"><strong>${counts.total}</strong> open ${noun(counts.total, 'task')}; <strong class="${counts.holding ? 'bad-text' : ''}">${counts.holding}</strong> ${counts.holding === 1 ? 'holds' : 'hold'} a request's answer (listed first: the request is answered when they close, and its deadline runs meanwhile).</p>
<p data-testid="task-overdue"><strong class="${counts.overdue ? 'bad-text' : ''}">${counts.overdue}</strong> ${counts.overdue === 1 ? 'is' : 'are'} past the deadline of ${counts.overdue === 1 ? 'its request' : 'their requests'}: chase the recipient, retry a failed delivery, or close the task with the evidence you have. A webhook task whose delivery failed for good is closed by Vow the day after its request's deadline, its event dropped (informing the recipient proved impossible, GDPR Art. 19).</p>
${filterAlert(list.refusal, FILTER_LABELS)}
${taskFilter(list)}
${draft ? draftSection(draft, back) : ''}
${
  tasks.length === 0
    ? html`<p class="empty">${filtered ? 'No open task matches.' : 'No task is open.'}</p>`
    : html`<p class="small" data-testid="task-shown">${tasks.length < counts.total ? `Showing ${tasks.length} of ${filtered ? 'the matching' : counts.total} open tasks, those a request's answer waits on first, then the other tasks of a request, then the oldest.` : "Those a request's answer waits on first, then the other tasks of a request, then the oldest."}</p>
<p class="small" id="evidence-rule">A task's evidence is kept for good: say what the recipient confirmed, with their ticket's number if they gave one (ticket #4521003317), never the person's email address or phone number.</p>
<div class="scroll" tabindex="0"><table class="stack" data-testid="downstream-tasks">
  <thead><tr><th scope="col">Opened</th><th scope="col">Kind</th><th scope="col">Recipient</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col">Waiting on</th><th scope="col">Close</th></tr></thead>
  <tbody>${tasks.map(
    (
      t,
    ) => html`<tr data-task="${t.id}"${t.overdue ? html` class="overdue"` : ''}><td data-label="Opened">${stamp(t.createdAt)}</td><td data-label="Kind">${TASK_KIND[t.kind] ?? t.kind}</td><td data-label="Recipient">${t.recipientName}</td><td data-label="Request">${t.requestId ? html`<a href="/staff/requests/${t.requestId}">The request</a><br><span class="small">${t.blocking ? 'its answer waits for this' : 'its answer does not wait for this'}</span>` : html`<span class="empty">none (an opt-out)</span>`}</td><td data-label="Status">${t.status}</td><td data-label="Due">${t.dueOn ?? '—'}${t.overdue ? html` <strong class="bad-text">overdue</strong>` : ''}</td><td data-label="Waiting on">${t.waitingOn ?? '—'}${
      t.method === 'email'
        ? html` <a href="/staff/downstream?${back ? `${back}&` : ''}draft=${t.id}#draft">Show the drafted email</a>`
        : ''
    }</td><td>
<form method="post" action="/staff/downstream/complete" class="inline">${csrfField(frame.csrf)}
<input type="hidden" name="taskId" value="${t.id}">
${filter.kind ? html`<input type="hidden" name="kind" value="${filter.kind}">` : ''}${filter.recipient ? html`<input type="hidden" name="recipient" value="${filter.recipient}">` : ''}
<label>Evidence <input name="evidence" required minlength="3" maxlength="2000" aria-describedby="evidence-rule"></label>
<button type="submit" name="outcome" value="done">Done</button>
<button type="submit" name="outcome" value="explained">Explained</button></form></td></tr>`,
  )}</tbody>
</table></div>`
}`,
  });
}
