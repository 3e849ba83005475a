// The one-click unsubscribe pages (P10): GET shows a confirmation with a button (a form POSTing to
// the same address; link scanners that prefetch the GET change nothing), POST shows the result.
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import { page } from '../layout.js';

function channelName(policy: Policy, channel: string): string {
  return policy.doc.channels[channel]?.description ?? channel;
}

export function renderUnsubscribeConfirm(
  policy: Policy,
  o: { action: string; channel: string; alreadyUnsubscribed: boolean },
): string {
  const name = channelName(policy, o.channel);
  const body = o.alreadyUnsubscribed
    ? html`<h1>You are already unsubscribed</h1>
<p data-testid="unsubscribe-status">You no longer receive: <strong>${name}</strong>. Nothing more to do.</p>`
    : html`<h1>Unsubscribe</h1>
<p>Stop receiving: <strong>${name}</strong>?</p>
<form method="post" action="${o.action}">
  <input type="hidden" name="List-Unsubscribe" value="One-Click">
  <button type="submit" data-testid="unsubscribe-button">Unsubscribe</button>
</form>
<p class="small">Unsubscribing is permanent: ${policy.doc.controller.name} will not add you back unless you enter another contest or ask for promotional material again.</p>`;
  return page({ title: 'Unsubscribe', policy, body });
}

export function renderUnsubscribed(policy: Policy, o: { channel: string }): string {
  const body = html`<h1>You are unsubscribed</h1>
<p data-testid="unsubscribe-status">You will no longer receive: <strong>${channelName(policy, o.channel)}</strong>.</p>
<p class="small">It can take a moment for a send already on its way to stop. Questions? See the <a href="/privacy">privacy notice</a>.</p>`;
  return page({ title: 'Unsubscribed', policy, body });
}

export function renderUnsubscribeInvalid(policy: Policy): string {
  const c = policy.doc.controller;
  const body = html`<h1>This unsubscribe link is not valid</h1>
<p data-testid="unsubscribe-status">The link may have been cut short by your mail program. Open the whole link from the email, or call
${c.phone} or write to ${c.email} and we will remove you.</p>`;
  return page({ title: 'Unsubscribe', policy, body });
}
