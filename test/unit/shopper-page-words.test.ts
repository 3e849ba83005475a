// What a shopper reads, rendered without a browser: the notice's contents follow the page's order,
// each page's tab names what the page says, and the notice's promises read in the page's language
// and in plain words (no purpose ids, rule kinds or engineering terms); an error page gives a shopper
// the reference to quote, not a status number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderErrorPage } from '../../src/http/pages/error-page.js';
import { REQUEST_WORDS } from '../../src/http/pages/i18n/requests.js';
import { plainData } from '../../src/http/pages/plain-data.js';
import { plainDataView } from '../../src/http/pages/plain-data-view.js';
import { renderPrivacyPage } from '../../src/http/pages/privacy.js';
import { renderUnsubscribeConfirm, renderUnsubscribeInvalid } from '../../src/http/pages/unsubscribe.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { VowError } from '../../src/platform/errors.js';
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

  it('gives a shopper on an error page the reference to quote, never a status number; staff keep both', () => {
    const error = new VowError('VOW_NOT_FOUND', 'Not found');
    const en = renderErrorPage(policy, { status: 404, error, path: '/privcy' });
    assert.match(en, /If you contact us about this, quote the reference <code>VOW_NOT_FOUND<\/code>/);
    assert.doesNotMatch(en, /Error 404/);
    const es = renderErrorPage(policy, { status: 404, error, path: '/privcy', locale: 'es-US' });
    assert.match(es, /indique la referencia <code>VOW_NOT_FOUND<\/code>/);
    assert.doesNotMatch(es, /Error 404/);
    const staff = renderErrorPage(policy, { status: 404, error, path: '/staff/nothing' });
    assert.match(staff, /Error 404 · reference <code>VOW_NOT_FOUND<\/code>/);
  });

  it("shows the notice's promises in the page's language and in plain words: no ids, rule kinds or table names", () => {
    const section = (page: string) => /<section id="promises"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    const en = section(renderPrivacyPage(policy, { viewer: viewer('en-US') }));
    const es = section(renderPrivacyPage(policy, { viewer: viewer('es-US') }));
    for (const [locale, text] of [
      ['en-US', en],
      ['es-US', es],
    ] as const) {
      // How each promise is kept (the second column); the titles are the policy's lines, which the
      // console and the API name too.
      const words = [...text.matchAll(/data-label="[^"]*">((?:(?!<\/td>)[\s\S])*)<\/td><\/tr>/g)]
        .map((m) => m[1])
        .join(' ');
      assert.ok(words.length > 1000, `${locale}: ${words.length}`);
      assert.equal([...text.matchAll(/<tr id="promise-/g)].length, Object.keys(policy.doc.promises).length);
      // A dotted purpose id (order.fulfilment), a rule kind in code, the engine's or the tables' terms.
      for (const jargon of [
        /\b[a-z_]+\.[a-z_]+\b/,
        /`/,
        /collection point|annotated|dataset|deny by default|subject/i,
      ])
        assert.doesNotMatch(words, jargon, locale);
    }
    assert.match(es, /Seguridad de los datos/);
    assert.match(es, /Su información se guarda cifrada/);
    for (const english of [/ is used only /, /Data security/, /Every /]) assert.doesNotMatch(es, english);
  });

  it('shows a kind of record first, then folds what it is for and how long it is kept under it (My data, the export)', () => {
    const section = {
      id: 'vow-orders',
      title: 'Your orders',
      heldIn: 'Held in our privacy records',
      information: ['Orders, items, totals and their dates'],
      usedFor: ['Packing and shipping an order', 'Taking payment for an order'],
      keptOnDeletion: { title: 'Order history', source: 'Exclusions include order history.' },
      records: [{ fields: [{ label: 'Order number', value: 'SO-1' }] }],
    };
    const data = { controller: 'Shop', generatedAt: '', sections: [section], exemptions: [], notShown: [] };
    for (const [locale, summary] of [
      ['en-US', 'What it is, what we use it for and how long we keep it'],
      ['es-US', 'Qué es, para qué la usamos y cuánto tiempo la conservamos'],
    ] as const) {
      const view = String(plainDataView(data, '', locale));
      const record = view.indexOf('SO-1');
      const fold = view.indexOf('<details class="about-data"');
      assert.ok(record > 0 && fold > record, `${locale}: the record, then the fold`);
      assert.match(
        view.slice(fold),
        new RegExp(`^<details class="about-data"[^>]*>\\s*<summary>${summary}</summary>`),
      );
      for (const words of ['Packing and shipping an order', 'Exclusions include order history.'])
        assert.ok(view.indexOf(words) > fold, `${locale}: ${words} folded`);
    }
  });

  it('tells a shopper whose code is refused what to do next: type it again, or ask for a new code once it has run out', () => {
    assert.match(
      REQUEST_WORDS['en-US'].messages.invalid,
      /15 minutes: if yours has run out, ask for a new one below/,
    );
    assert.match(
      REQUEST_WORDS['es-US'].messages.invalid,
      /15 minutos: si el suyo caducó, pida uno nuevo abajo/,
    );
    for (const locale of ['en-US', 'es-US'] as const)
      assert.match(REQUEST_WORDS[locale].messages.locked, /new code below|nuevo código abajo/);
  });

  it("lists a value of several parts one a line (a form's fields, an order's items), never a wall joined by semicolons", () => {
    const value = (column: string, v: unknown, table = 'orders', category = 'commerce.order_history') => ({
      dataset: 'vow',
      table,
      column,
      row: 'o-1',
      category,
      purposes: ['order.fulfilment'],
      value: v,
    });
    const data = plainData(
      policy,
      [
        value(
          'items',
          JSON.stringify([
            { sku: 'STUDS-1', quantity: 1 },
            { sku: 'RING-2', quantity: 2 },
          ]),
        ),
        value('shop_order_id', 'SO-1'),
      ],
      '2026-01-15T12:00:00.000Z',
      {},
      'en-US',
    );
    const fields = data.sections.flatMap((s) => s.records.flatMap((r) => r.fields));
    const items = fields.find((f) => f.parts);
    assert.equal(items?.parts?.length, 2, JSON.stringify(fields));
    assert.match(items?.parts?.[0] ?? '', /STUDS-1/);
    assert.match(items?.value ?? '', /STUDS-1.*; .*RING-2/, 'the CSV keeps one cell');
    assert.equal(fields.find((f) => /SO-1/.test(f.value))?.parts, undefined, 'one part: words');
    const view = String(plainDataView(data, ''));
    assert.match(view, /<ul class="plain-list"><li>[^<]*STUDS-1[^<]*<\/li><li>[^<]*RING-2/);
  });
});
