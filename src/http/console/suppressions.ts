// The suppressions page (customer service, privacy officer): who staff took off which channel, by
// whom and whether it still holds, and the identifiers kept on the suppression list (as keyed
// hashes: only their kind is shown). Suppressing someone happens on their person page.

import type { SuppressionLog } from '../../modules/consent/index.js';
import { html } from '../../platform/html.js';
import { actorLabel, shortId, stamp } from './labels.js';
import { type ConsoleFrame, consolePage } from './shell.js';

/** An entry's channel as staff read it: '*' covers what its medium reaches (consent's list-coverage.ts). */
function channelLabel(kind: string, channel: string): string {
  if (channel !== '*') return channel.replace(/[._]/g, ' ');
  return kind === 'phone' ? 'every marketing text channel' : 'every email marketing channel';
}

export function renderSuppressions(
  frame: ConsoleFrame,
  log: SuppressionLog,
  names: ReadonlyMap<string, string>,
): string {
  return consolePage(frame, {
    title: 'Suppressions',
    section: '/staff/suppressions',
    body: html`<h1>Suppressions</h1>
<p>People taken off a marketing channel by staff, and addresses kept on the suppression list (after a
deletion, so they are never mailed again). To suppress someone, <a href="/staff/people">find them</a> and
use the form on their page.</p>
<h2>People suppressed by staff</h2>
${
  log.people.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="suppressed-people">
<caption class="visually-hidden">People suppressed by staff, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Channel</th><th scope="col">By</th><th scope="col">Person (Vow id)</th><th scope="col">Still in effect</th></tr></thead>
<tbody>${log.people.map(
        (p) =>
          html`<tr><td data-label="When">${stamp(p.at)}</td><td data-label="Channel">${p.channel.replace(/[._]/g, ' ')}</td><td data-label="By">${actorLabel(names, 'staff', p.staffId)}</td><td data-label="Person (Vow id)"><code class="ids">${shortId(p.subjectRef)}</code></td><td data-label="Still in effect">${p.inEffect ? 'yes' : 'no: the person opted in again'}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="empty">No one was suppressed by staff.</p>`
}
<h2>Suppression list</h2>
${
  log.identifiers.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="suppression-list">
<caption class="visually-hidden">Identifiers on the suppression list, newest first</caption>
<thead><tr><th scope="col">Since</th><th scope="col">Identifier kind</th><th scope="col">Channel</th><th scope="col">Why</th></tr></thead>
<tbody>${log.identifiers.map(
        (r) =>
          html`<tr><td data-label="Since">${stamp(r.at)}</td><td data-label="Identifier kind">${r.kind}</td><td data-label="Channel">${channelLabel(r.kind, r.channel)}</td><td data-label="Why" class="values">${r.reason}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="empty">The suppression list is empty.</p>`
}`,
  });
}
