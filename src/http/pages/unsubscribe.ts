// The one-click unsubscribe pages (P10): GET shows a confirmation with a button (a form POSTing to
// the same address; link scanners that prefetch the GET change nothing), POST shows the result.
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

const HOME = html`<ul class="ways-back" data-testid="ways-on"><li><a href="/privacy">Back to the privacy notice</a></li><li><a href="/cookies/preferences">Your Privacy Choices</a></li></ul>`;

function channelName(policy: Policy, channel: string): string {
  return policy.doc.channels[channel]?.description ?? channel;
}

export function renderUnsubscribeConfirm(
  policy: Policy,
  o: { action: string; channel: string; alreadyUnsubscribed: boolean },
  viewer: Viewer = ANONYMOUS,
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
  return shopperPage({ title: 'Unsubscribe', policy, viewer, body: html`${body}${HOME}` });
}

export function renderUnsubscribed(
  policy: Policy,
  o: { channel: string },
  viewer: Viewer = ANONYMOUS,
): string {
  const body = html`<h1>You are unsubscribed</h1>
<p class="ok" role="status" data-testid="unsubscribe-status">You will no longer receive: <strong>${channelName(policy, o.channel)}</strong>.</p>
<p class="small">It can take a moment for a send already on its way to stop. Questions? See the <a href="/privacy">privacy notice</a>.</p>`;
  return shopperPage({ title: 'Unsubscribed', policy, viewer, body: html`${body}${HOME}` });
}

export function renderUnsubscribeInvalid(policy: Policy, viewer: Viewer = ANONYMOUS): string {
  const c = policy.doc.controller;
  const body = html`<h1>This unsubscribe link is not valid</h1>
<p class="error" role="alert" data-testid="unsubscribe-status">The link may have been cut short by your mail program. Open the whole link from the email, or call
${c.phone} or write to ${c.email} and we will remove you.</p>`;
  return shopperPage({ title: 'Unsubscribe', policy, viewer, body: html`${body}${HOME}` });
}
