// The shopper's complaint pages (P25): the form, and the status page reached by its unguessable
// token, naming the authority to turn to if the answer does not satisfy.
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import { JURISDICTION_LABELS } from '../request-labels.js';
import { options, waysOn } from './requests.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

const COMPLAINT_STATUS: Record<string, string> = {
  open: 'Received: we are looking into it',
  answered: 'Answered: we emailed you our answer',
  closed: 'Closed',
};

export function renderComplaintForm(
  policy: Policy,
  csrf: string,
  error?: string,
  viewer: Viewer = ANONYMOUS,
): string {
  return shopperPage({
    title: 'Make a privacy complaint',
    policy,
    viewer,
    body: html`<h1>Make a privacy complaint</h1>
<p>Tell us what went wrong. We answer by email, and tell you which authority you can turn to if
our answer does not satisfy you.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/privacy/complaint" data-testid="complaint-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="c-jurisdiction">Where do you live?</label>
  <select id="c-jurisdiction" name="jurisdiction" required>${options(JURISDICTION_LABELS)}</select></p>
  <p><label for="c-email">Your email address (for our answer)</label>
  <input id="c-email" name="email" type="email" autocomplete="email"></p>
  <p><label for="c-message">Your complaint</label>
  <textarea id="c-message" name="message" rows="6" required></textarea></p>
  <p><button type="submit">Send complaint</button></p>
</form>`,
  });
}

export function renderComplaintStatus(
  policy: Policy,
  v: {
    status: string;
    receivedOn: string;
    replyDueOn: string;
    regulator: { name: string; url: string } | null;
  },
  viewer: Viewer = ANONYMOUS,
): string {
  return shopperPage({
    title: 'Your privacy complaint',
    policy,
    viewer,
    body: html`<h1>Your privacy complaint</h1>
<dl class="fields">
  <dt>Status</dt><dd data-testid="complaint-status" data-status="${v.status}">${COMPLAINT_STATUS[v.status] ?? v.status}</dd>
  <dt>Received</dt><dd>${v.receivedOn}</dd>
  <dt>We answer by</dt><dd>${v.replyDueOn}</dd>
</dl>
${v.regulator ? html`<p>If our answer does not satisfy you, you may complain to <a href="${v.regulator.url}" rel="noopener" data-testid="regulator">${v.regulator.name}</a>.</p>` : ''}
<p class="small">Keep this page's address private: it is the key to your complaint.</p>
${waysOn(viewer)}`,
  });
}
