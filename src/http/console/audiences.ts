// Audiences for marketing: per channel and purpose, links to the streamed exports (NDJSON or CSV)
// of who a send may go to now. The export itself (GET /v1/audiences/:channel) decides membership
// and audits each download; this page only explains and links.
import { html, type SafeHtml } from '../../platform/html.js';
import { type ConsoleFrame, consolePage } from './shell.js';

export interface AudienceLink {
  readonly channel: string;
  readonly description: string;
  readonly purpose: string;
  /** The contact category the send goes to (contact.email, contact.phone, contact.postal_address). */
  readonly contact: string;
}

export function renderAudiences(
  frame: ConsoleFrame,
  links: readonly AudienceLink[],
  charts: SafeHtml | string = '',
): string {
  return consolePage(frame, {
    title: 'Audiences',
    section: '/staff/audiences',
    body: html`<h1>Audiences</h1>
<p>Who a marketing send may go to now: enrolled or granted, not unsubscribed or suppressed, not restricted,
not under 13, and only contact values collected under a kind the purpose may use. Each download is
recorded in the audit trail. Files stream, so large audiences download without waiting.</p>
<div class="scroll" tabindex="0"><table class="stack" data-testid="audiences">
  <thead><tr><th scope="col">Channel</th><th scope="col">Purpose</th><th scope="col">Sent to</th><th scope="col">Download</th></tr></thead>
  <tbody>${links.map((l) => {
    const base = `/v1/audiences/${encodeURIComponent(l.channel)}?purpose=${encodeURIComponent(l.purpose)}`;
    return html`<tr><th scope="row">${l.channel.replace(/_/g, ' ')}<br><span class="small">${l.description}</span></th><td data-label="Purpose">${l.purpose}</td><td data-label="Sent to">${l.contact}</td><td data-label="Download"><a href="${base}&format=csv" download>CSV<span class="visually-hidden"> of ${l.channel} for ${l.purpose}</span></a> · <a href="${base}&format=ndjson" download>NDJSON<span class="visually-hidden"> of ${l.channel} for ${l.purpose}</span></a></td></tr>`;
  })}</tbody>
</table></div>
${charts}`,
  });
}
