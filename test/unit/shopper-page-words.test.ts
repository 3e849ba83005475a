// What a shopper reads, rendered without a browser: the notice's contents follow the page's order,
// each page's tab names what the page says, and the notice's promises read in the page's language
// and in plain words (no purpose ids, rule kinds or engineering terms).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPrivacyPage } from '../../src/http/pages/privacy.js';
import { renderUnsubscribeConfirm, renderUnsubscribeInvalid } from '../../src/http/pages/unsubscribe.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import type { Locale } from '../../src/platform/i18n/index.js';

const policy = loadPolicy();
const viewer = (locale: Locale) => ({ signedIn: false, locale, path: '/privacy' });
const titleOf = (page: string) => /<title>(.*?) — /.exec(page)?.[1];

describe('shopper page words', () => {
  it("lists the notice's contents in the order the page shows its sections", () => {
    for (const locale of ['en-US', 'es-US'] as const) {
      const page = renderPrivacyPage(policy, { viewer: viewer(locale) });
      const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(page)?.[0] ?? '';
      const listed = [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
      const article = page.slice(page.indexOf('</nav>', page.indexOf('class="toc"')));
      const shown = [...article.matchAll(/<section id="([^"]+)"[^>]*data-section=/g)].map((m) => m[1]);
      assert.deepEqual(listed, shown, locale);
    }
  });

  it('names an unsubscribe page in its tab by what it says', () => {
    const confirm = renderUnsubscribeConfirm(policy, {
      action: '/u/x',
      channel: 'email_marketing',
      alreadyUnsubscribed: false,
    });
    assert.equal(titleOf(confirm), 'Unsubscribe');
    const already = renderUnsubscribeConfirm(policy, {
      action: '/u/x',
      channel: 'email_marketing',
      alreadyUnsubscribed: true,
    });
    assert.equal(titleOf(already), 'Unsubscribed');
    assert.equal(titleOf(renderUnsubscribeInvalid(policy)), 'This unsubscribe link is not valid');
    assert.equal(
      titleOf(renderUnsubscribeInvalid(policy, viewer('es-US'))),
      'Este enlace para cancelar la suscripción no es válido',
    );
  });
});
