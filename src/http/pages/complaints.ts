// The shopper's complaint pages (P25): the form, and the status page reached by its unguessable
// token, naming the authority to turn to if the answer does not satisfy.
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import {
  errorSummary,
  type FieldRef,
  type FormState,
  fieldError,
  invalidAttrs,
  typed,
} from './form-state.js';
import { REQUEST_WORDS } from './i18n/requests.js';
import { dayIn, placeOptions, waysOn } from './requests.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

/** The complaint form's fields, as its list of mistakes names them. */
function complaintFields(w: (typeof REQUEST_WORDS)['en-US']): FieldRef[] {
  return [
    { name: 'jurisdiction', id: 'c-jurisdiction', label: w.whereLive },
    { name: 'email', id: 'c-email', label: w.complaintEmail },
    { name: 'message', id: 'c-message', label: w.complaintText },
  ];
}

/** The body keys of the complaint form. */
export const COMPLAINT_FIELDS: readonly string[] = complaintFields(REQUEST_WORDS['en-US']).map((f) => f.name);

export function renderComplaintForm(
  policy: Policy,
  csrf: string,
  viewer: Viewer = ANONYMOUS,
  state: FormState = {},
): string {
  const w = REQUEST_WORDS[viewer.locale];
  const v = (name: string) => typed(state, name);
  return shopperPage({
    title: w.complaintTitle,
    policy,
    viewer,
    body: html`<h1>${w.complaintTitle}</h1>
<p>${w.complaintIntro}</p>
${errorSummary(state, complaintFields(w), viewer.locale)}
<form method="post" action="/privacy/complaint" data-testid="complaint-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="c-jurisdiction">${w.whereLive}</label>${fieldError(state, 'jurisdiction', 'c-jurisdiction')}
  <select id="c-jurisdiction" name="jurisdiction" required${invalidAttrs(state, 'jurisdiction', 'c-jurisdiction')}>${placeOptions(w.chooseWhere, viewer.locale, v('jurisdiction'))}</select></p>
  <p><label for="c-email">${w.complaintEmail}</label>${fieldError(state, 'email', 'c-email')}
  <input id="c-email" name="email" type="email" autocomplete="email" maxlength="254" value="${v('email')}"${invalidAttrs(state, 'email', 'c-email')}></p>
  <p><label for="c-message">${w.complaintText}</label>${fieldError(state, 'message', 'c-message')}
  <textarea id="c-message" name="message" rows="6" required maxlength="8000"${invalidAttrs(state, 'message', 'c-message')}>${v('message')}</textarea></p>
  <p><button type="submit">${w.sendComplaint}</button></p>
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
  const w = REQUEST_WORDS[viewer.locale];
  return shopperPage({
    title: w.yourComplaint,
    policy,
    viewer,
    body: html`<h1>${w.yourComplaint}</h1>
<dl class="fields">
  <dt>${w.status}</dt><dd data-testid="complaint-status" data-status="${v.status}">${w.complaintStatus[v.status] ?? v.status}</dd>
  <dt>${w.received}</dt><dd>${dayIn(v.receivedOn, viewer.locale)}</dd>
  <dt>${w.weAnswerBy}</dt><dd>${dayIn(v.replyDueOn, viewer.locale)}</dd>
</dl>
${v.regulator ? html`<p>${w.complaintRegulator(html`<a href="${v.regulator.url}" rel="noopener" data-testid="regulator">${v.regulator.name}</a>`)}</p>` : ''}
<p class="small">${w.complaintKeepPrivate}</p>
${waysOn(viewer)}`,
  });
}
