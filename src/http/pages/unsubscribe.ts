// The one-click unsubscribe pages (P10): GET shows a confirmation with a button (a form POSTing to
// the same address; link scanners that prefetch the GET change nothing), POST shows the result
// (the button's post is redirected to the GET, which shows it).
import { channelName, type Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import type { Catalog, Locale } from '../../platform/i18n/index.js';
import { ANONYMOUS, navWords, shopperPage, type Viewer } from './shopper-layout.js';

interface UnsubscribeWords {
  readonly back: string;
  readonly already: string;
  noLonger(name: SafeHtml): SafeHtml;
  readonly unsubscribe: string;
  stop(name: SafeHtml): SafeHtml;
  permanent(shop: string): string;
  readonly done: string;
  readonly doneTitle: string;
  willNoLonger(name: SafeHtml): SafeHtml;
  readonly moment: SafeHtml;
  readonly invalid: string;
  invalidText(phone: string, email: string): string;
}

const WORDS: Catalog<UnsubscribeWords> = {
  'en-US': {
    back: 'Back to the privacy notice',
    already: 'You are already unsubscribed',
    noLonger: (n) => html`You no longer receive: <strong>${n}</strong>. Nothing more to do.`,
    unsubscribe: 'Unsubscribe',
    stop: (n) => html`Stop receiving: <strong>${n}</strong>?`,
    permanent: (shop) =>
      `Unsubscribing is permanent: ${shop} will not add you back unless you enter another contest or ask for promotional material again.`,
    done: 'You are unsubscribed',
    doneTitle: 'Unsubscribed',
    willNoLonger: (n) => html`You will no longer receive: <strong>${n}</strong>.`,
    moment: html`It can take a moment for a send already on its way to stop. Questions? See the <a href="/privacy">privacy notice</a>.`,
    invalid: 'This unsubscribe link is not valid',
    invalidText: (phone, email) =>
      `The link may have been cut short by your mail program. Open the whole link from the email, or call
${phone} or write to ${email} and we will remove you.`,
  },
  'es-US': {
    back: 'Volver al aviso de privacidad',
    already: 'Ya canceló su suscripción',
    noLonger: (n) => html`Ya no recibe: <strong>${n}</strong>. No tiene que hacer nada más.`,
    unsubscribe: 'Cancelar la suscripción',
    stop: (n) => html`¿Dejar de recibir: <strong>${n}</strong>?`,
    permanent: (shop) =>
      `La cancelación es permanente: ${shop} no volverá a incluirle salvo que participe en otro concurso o vuelva a pedir material promocional.`,
    done: 'Su suscripción está cancelada',
    doneTitle: 'Suscripción cancelada',
    willNoLonger: (n) => html`Ya no recibirá: <strong>${n}</strong>.`,
    moment: html`Un envío que ya esté en camino puede tardar un momento en detenerse. ¿Preguntas? Consulte el <a href="/privacy">aviso de privacidad</a>.`,
    invalid: 'Este enlace para cancelar la suscripción no es válido',
    invalidText: (phone, email) =>
      `Puede que su programa de correo haya cortado el enlace. Abra el enlace completo del correo, o llame al
${phone} o escriba a ${email} y le daremos de baja.`,
  },
};

function home(locale: Locale): SafeHtml {
  return html`<ul class="ways-back" data-testid="ways-on"><li><a href="/privacy">${WORDS[locale].back}</a></li><li><a href="/cookies/preferences">${navWords(locale).choices}</a></li></ul>`;
}

export function renderUnsubscribeConfirm(
  policy: Policy,
  o: { action: string; channel: string; alreadyUnsubscribed: boolean },
  viewer: Viewer = ANONYMOUS,
): string {
  const w = WORDS[viewer.locale];
  const name = html`${channelName(policy, o.channel, viewer.locale)}`;
  const body = o.alreadyUnsubscribed
    ? html`<h1>${w.already}</h1>
<p data-testid="unsubscribe-status">${w.noLonger(name)}</p>`
    : html`<h1>${w.unsubscribe}</h1>
<p>${w.stop(name)}</p>
<form method="post" action="${o.action}">
  <input type="hidden" name="List-Unsubscribe" value="One-Click">
  <input type="hidden" name="via" value="page">
  <button type="submit" data-testid="unsubscribe-button">${w.unsubscribe}</button>
</form>
<p class="small">${w.permanent(policy.doc.controller.name)}</p>`;
  // The tab names what the page says: "Unsubscribe" while it asks, "Unsubscribed" once it is so.
  const title = o.alreadyUnsubscribed ? w.doneTitle : w.unsubscribe;
  return shopperPage({ title, policy, viewer, body: html`${body}${home(viewer.locale)}` });
}

export function renderUnsubscribed(
  policy: Policy,
  o: { channel: string },
  viewer: Viewer = ANONYMOUS,
): string {
  const w = WORDS[viewer.locale];
  const body = html`<h1>${w.done}</h1>
<p class="ok" role="status" data-testid="unsubscribe-status">${w.willNoLonger(html`${channelName(policy, o.channel, viewer.locale)}`)}</p>
<p class="small">${w.moment}</p>`;
  return shopperPage({ title: w.doneTitle, policy, viewer, body: html`${body}${home(viewer.locale)}` });
}

export function renderUnsubscribeInvalid(policy: Policy, viewer: Viewer = ANONYMOUS): string {
  const c = policy.doc.controller;
  const w = WORDS[viewer.locale];
  const body = html`<h1>${w.invalid}</h1>
<p class="error" role="alert" data-testid="unsubscribe-status">${w.invalidText(c.phone, c.email)}</p>`;
  return shopperPage({ title: w.invalid, policy, viewer, body: html`${body}${home(viewer.locale)}` });
}
