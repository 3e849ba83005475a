// The notice's language asked for in its address: `/privacy?lang=es` answers in Spanish (over the
// cookie and the browser's language); a language Vow has not (`?lang=zz`) answers the notice in
// English with a note, in English and in Spanish, naming the languages it is available in as links.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describeEachDialect('the notice in the language its address asks for', (env) => {
  const get = (url: string, headers: Record<string, string> = {}) =>
    env().app.inject({ method: 'GET', url, headers: { accept: BROWSER, ...headers } });

  it('answers a language it has in that language, with no note', async () => {
    for (const lang of ['es', 'es-US', 'ES_mx']) {
      const res = await get(`/privacy?lang=${lang}`, { 'accept-language': 'en-US' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="es">/, lang);
      assert.doesNotMatch(res.body, /data-testid="language-note"/);
    }
    const english = await get('/privacy?lang=en', { 'accept-language': 'es-US', cookie: 'vow_lang=es-US' });
    assert.match(english.body, /<html lang="en">/);
  });

  it('answers a language it has not in English, with a note in both languages linking to each', async () => {
    for (const headers of [{}, { 'accept-language': 'es-US,es;q=0.9' }] as Record<string, string>[]) {
      const res = await get('/privacy?lang=zz', headers);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="en">/);
      const note =
        /<div class="notice-info language-note" role="note"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
      assert.match(
        note,
        /<p lang="en">This page is not available in the language the link asked for, so it is shown in English\./,
      );
      assert.match(
        note,
        /<p lang="es">Esta página no está disponible en el idioma que pedía el enlace, así que se muestra en inglés\./,
      );
      assert.equal(
        (note.match(/<a href="\/privacy\?lang=en-US" hreflang="en-US" lang="en">English<\/a>/g) ?? []).length,
        2,
      );
      assert.equal(
        (note.match(/<a href="\/privacy\?lang=es-US" hreflang="es-US" lang="es">Español<\/a>/g) ?? []).length,
        2,
      );
    }
    // The notice without `lang` has no note.
    assert.doesNotMatch((await get('/privacy')).body, /language-note/);
  });
});
