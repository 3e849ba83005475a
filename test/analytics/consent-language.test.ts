// The banner's config in the page's language: `?lang=` (what the consent script sends, from the
// tag's data-lang or the page's <html lang>) picks a language Vow has and is part of the address,
// so every cache keeps one answer per language without varying by the visitor; a language Vow does
// not have, or a value that is no language, falls back to the visitor's (Accept-Language, the
// vow_lang cookie) without an error. Vow never sets a cookie for it. The browser's side:
// test/e2e/consent-language.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('the banner’s config in the page’s language', (env) => {
  const get = (url: string, headers: Record<string, string> = {}) =>
    env().app.inject({ method: 'GET', url, headers });

  for (const path of ['/v1/consent/banner', '/v1/consent/config'])
    it(`answers ${path}?lang= in the page’s language, cacheable, with no cookie`, async () => {
      const english = { 'accept-language': 'en-US,en;q=0.9' };
      for (const lang of ['es', 'es-MX', 'ES', 'es_US']) {
        const res = await get(`${path}?lang=${lang}`, english);
        assert.equal(res.statusCode, 200, lang);
        assert.equal(res.json().locale, 'es-US', lang);
        assert.equal(res.headers['cache-control'], 'public, max-age=300');
        assert.equal(res.headers['set-cookie'], undefined, 'no cookie for the language');
        // The language is in the address: the answer does not vary by the visitor's.
        assert.doesNotMatch(String(res.headers.vary), /accept-language|cookie/, String(res.headers.vary));
        assert.match(String(res.headers.vary), /accept-encoding/);
        const again = await get(`${path}?lang=${lang}`, {
          ...english,
          'if-none-match': String(res.headers.etag),
        });
        assert.equal(again.statusCode, 304);
      }
      // The page's language wins over the browser's and over the language switch's cookie.
      const en = await get(`${path}?lang=en`, { 'accept-language': 'es', cookie: 'vow_lang=es-US' });
      assert.equal(en.json().locale, 'en-US');
      assert.notEqual(en.headers.etag, (await get(`${path}?lang=es`)).headers.etag, 'one ETag per language');
    });

  it('falls back to the visitor’s language for a language Vow does not have, or no language at all', async () => {
    for (const lang of ['fr', 'x'.repeat(80), '', 'zz-ZZ', '%E2%80%AE']) {
      const res = await get(`/v1/consent/banner?lang=${lang}`, { 'accept-language': 'es-MX,es;q=0.9' });
      assert.equal(res.statusCode, 200, lang);
      assert.equal(res.json().locale, 'es-US', lang);
      assert.match(String(res.headers.vary), /accept-language, cookie/, 'varies by the visitor, as before');
      const en = await get(`/v1/consent/banner?lang=${lang}`, { 'accept-language': 'en' });
      assert.equal(en.json().locale, 'en-US', lang);
    }
  });

  it('hands out a tag whose preload asks in the page’s language, when Vow has it', async () => {
    const plain = (await get('/v1/consent/script-info')).json();
    assert.match(plain.preload, /\/v1\/consent\/banner" as="fetch"/);
    const es = (await get('/v1/consent/script-info?lang=es-MX')).json();
    assert.match(es.preload, /\/v1\/consent\/banner\?lang=es" as="fetch"/);
    assert.ok(es.tag.includes(es.preload));
    assert.equal(es.script, plain.script, 'the script tag is the same for every language');
    const fr = (await get('/v1/consent/script-info?lang=fr')).json();
    assert.equal(fr.preload, plain.preload);
  });
});
