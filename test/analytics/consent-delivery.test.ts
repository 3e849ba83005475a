// How the consent script and its config reach the browser: minified, precompressed (brotli and
// gzip, chosen by Accept-Encoding), with per-encoding ETags, Vary, an immutable cache on the
// versioned URL, a cacheable config with 304s, and a tag that never blocks the page.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { createContext, runInContext } from 'node:vm';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CONSENT_DEFAULTS_SNIPPET, etagMatches, pickEncoding } from '../../src/http/consent-script.js';
import { describeEachDialect } from '../helpers/env.js';

it('picks brotli, then gzip, by Accept-Encoding and its q-values', () => {
  assert.equal(pickEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(pickEncoding('gzip, br;q=0'), 'gzip');
  assert.equal(pickEncoding('GZIP'), 'gzip');
  assert.equal(pickEncoding('identity'), undefined);
  assert.equal(pickEncoding('*'), 'br');
  assert.equal(pickEncoding('*;q=0, identity'), undefined);
  assert.equal(pickEncoding(undefined), undefined);
  assert.ok(etagMatches('W/"a", "b"', '"b"'));
  assert.ok(!etagMatches('"a"', '"b"'));
});

describeEachDialect('consent script delivery', (env) => {
  const get = (url: string, headers: Record<string, string> = {}) =>
    env().app.inject({ method: 'GET', url, headers });

  it('serves the script minified and precompressed, one SRI hash for every encoding', async () => {
    const info = (await get('/v1/consent/script-info')).json();
    const src = new URL(info.src);
    const url = `${src.pathname}${src.search}`;
    const plain = await get(url);
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    const body = plain.rawPayload;
    assert.deepEqual(brotliDecompressSync(br.rawPayload), body);
    assert.deepEqual(gunzipSync(gz.rawPayload), body);
    assert.equal(`sha384-${createHash('sha384').update(body).digest('base64')}`, info.integrity);
    const source = readFileSync(new URL('../../src/web/assets/consent.js', import.meta.url));
    assert.ok(body.length < source.length * 0.75, `minified: ${body.length} of ${source.length} bytes`);
    assert.ok(br.rawPayload.length < gz.rawPayload.length && gz.rawPayload.length < body.length / 2);
    for (const res of [plain, br, gz]) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.vary, 'accept-encoding');
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(res.headers['content-type']), /^text\/javascript/);
    }
    // One ETag per representation, and a 304 for the one the client holds.
    const tags = new Set([plain, br, gz].map((r) => r.headers.etag));
    assert.equal(tags.size, 3);
    const again = await get(url, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    const otherEncoding = await get(url, {
      'accept-encoding': 'gzip',
      'if-none-match': String(br.headers.etag),
    });
    assert.equal(otherEncoding.statusCode, 200);
  });

  it('revalidates an unversioned or outdated script URL instead of caching it for a year', async () => {
    for (const url of ['/consent.js', '/consent.js?v=000000000000']) {
      const res = await get(url, { 'accept-encoding': 'br' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
    }
  });

  it('compresses the banner stylesheet too', async () => {
    const res = await get('/consent.css', { 'accept-encoding': 'br' });
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(brotliDecompressSync(res.rawPayload).toString(), /\.vow-cc/);
  });

  it('hands out a deferred tag after an inline snippet that sets the Consent Mode defaults', async () => {
    const info = (await get('/v1/consent/script-info')).json();
    const lines = info.tag.split('\n');
    const [first, config, second] = lines;
    assert.equal(lines.length, 3);
    assert.equal(first, `<script>${CONSENT_DEFAULTS_SNIPPET}</script>`);
    assert.equal(first, info.defaults);
    assert.equal(config, info.preload);
    // The first banner's config; its stylesheet travels inside the script.
    assert.match(
      config,
      /^<link rel="preload" href="[^"]+\/v1\/consent\/banner" as="fetch" crossorigin="anonymous">$/,
    );
    assert.equal(second, info.script);
    assert.match(second, / defer><\/script>$/);
    assert.ok(second.includes(`integrity="${info.integrity}"`));
    assert.equal(
      info.defaultsCsp,
      `'sha256-${createHash('sha256').update(CONSENT_DEFAULTS_SNIPPET).digest('base64')}'`,
    );
    // The snippet really sets every signal to denied, synchronously (run as a page would: the
    // global object is `window`).
    const page = createContext({});
    runInContext('var window = this;', page);
    runInContext(CONSENT_DEFAULTS_SNIPPET, page);
    const pushed = (page.dataLayer as IArguments[]).map((args) => [...args]);
    assert.deepEqual(pushed[0]?.slice(0, 2), ['consent', 'default']);
    assert.equal(Object.values(pushed[0]?.[2] as object).filter((v) => v === 'denied').length, 4);
  });

  it('sends the first banner only its words and categories; the choices’ details wait in the full config', async () => {
    const first = (await get('/v1/consent/banner')).json();
    const full = (await get('/v1/consent/config')).json();
    assert.equal(first.consentVersion, full.consentVersion);
    assert.equal(first.controller, full.controller);
    type Category = { id: string; title: string; required: boolean; gpcOptOut: boolean };
    const categories: Category[] = full.categories;
    assert.deepEqual(
      first.optional,
      categories.filter((c) => !c.required).map((c) => c.id),
    );
    assert.deepEqual(first.gpcOff, ['Advertising']);
    assert.equal(first.categories, undefined, 'no descriptions, channels or cookie lists');
    assert.deepEqual(Object.keys(first.text).sort(), [
      'accept',
      'choose',
      'close',
      'gpcApplied',
      'gpcStaysOff',
      'intro',
      'loadFailed',
      'loading',
      'notice',
      'problem',
      'reject',
      'retry',
      'settings',
      'title',
    ]);
    for (const [key, words] of Object.entries(first.text)) assert.equal(words, full.text[key], key);
    assert.ok(JSON.stringify(first).length < JSON.stringify(full).length / 2);
    const es = await get('/v1/consent/banner', { 'accept-language': 'es-MX,es;q=0.9' });
    assert.equal(es.json().locale, 'es-US');
    assert.equal(es.json().text.choose, 'Elegir');
    assert.equal(es.json().text.retry, 'Reintentar');
    assert.equal(es.headers.vary, 'Origin, accept-language, cookie, accept-encoding');
    const etag = String(es.headers.etag);
    const again = await get('/v1/consent/banner', { 'accept-language': 'es', 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
  });

  it('serves the choices’ script and stylesheet on versioned addresses, the script named with its SRI hash', async () => {
    const script = (await get('/consent.js', { 'accept-encoding': 'identity' })).body;
    const where = /\{js:"([^"]+)",sri:"([^"]+)"\}/.exec(script);
    assert.ok(where, 'the script carries its choices’ address');
    const [, js, sri] = where;
    const css = js!.replace('.js', '.css').replace(/\?v=.*/, '');
    const chunk = await get(js!, { 'accept-encoding': 'gzip, br' });
    assert.equal(chunk.statusCode, 200);
    assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(chunk.headers['access-control-allow-origin'], '*');
    const body = brotliDecompressSync(chunk.rawPayload);
    assert.equal(`sha384-${createHash('sha384').update(body).digest('base64')}`, sri);
    // Its stylesheet is inside it (and in its own file, for browsers without constructed stylesheets).
    const sheet = await get(css);
    assert.equal(sheet.headers['cache-control'], 'public, max-age=300');
    assert.ok(body.toString().includes(sheet.body.slice(0, 40)), 'the chunk carries its stylesheet');
    assert.equal((await get('/consent-choices.js')).headers['cache-control'], 'public, max-age=300');
    // The first script carries the first banner's stylesheet the same way.
    assert.ok(script.includes((await get('/consent.css')).body.slice(0, 40)));
  });

  it('lets the browser cache the config, with an ETag and a 304', async () => {
    const first = await get('/v1/consent/config');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['cache-control'], 'public, max-age=300');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const again = await get('/v1/consent/config', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal((await get('/v1/consent/config', { 'if-none-match': '"stale"' })).statusCode, 200);
    // Compressed like the script, and still under Vow's CORS rules (no wildcard), varying by both.
    const br = await get('/v1/consent/config', { 'accept-encoding': 'br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(JSON.parse(brotliDecompressSync(br.rawPayload).toString()), first.json());
    assert.equal(br.headers['access-control-allow-origin'], undefined);
    // And by language: the banner's words follow Accept-Language (or the switch's cookie).
    assert.equal(br.headers.vary, 'Origin, accept-language, cookie, accept-encoding');
    const es = await get('/v1/consent/config', { 'accept-language': 'es-MX,es;q=0.9' });
    assert.equal(es.json().locale, 'es-US');
    assert.equal(es.json().text.accept, 'Aceptar todo');
    assert.notEqual(es.headers.etag, etag, 'each language has its own ETag');
  });
});

describeEachDialect("the banner's responses' headers", (env) => {
  const get = (url: string) =>
    env().app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'br', origin: 'https://shop.example.com' },
    });
  /** The headers that only govern a rendered document (and HSTS, which Vow's pages and API carry). */
  const DOCUMENT_HEADERS = [
    'content-security-policy',
    'x-frame-options',
    'referrer-policy',
    'strict-transport-security',
    'cross-origin-opener-policy',
    'x-dns-prefetch-control',
  ];

  it('sends a script, a stylesheet or the banner’s JSON without a document’s headers, keeping what they need', async () => {
    const info = (await get('/v1/consent/script-info')).json();
    const src = new URL(info.src);
    const scriptUrl = `${src.pathname}${src.search}`;
    const script = await get(scriptUrl);
    const chunkUrl = /"(\/consent-choices\.js\?v=[0-9a-f]+)"/.exec(
      brotliDecompressSync(script.rawPayload).toString(),
    )?.[1];
    assert.ok(chunkUrl, 'the script names its choices');
    for (const [url, type, anyOrigin] of [
      [scriptUrl, /^text\/javascript/, true],
      ['/consent.css', /^text\/css/, true],
      [chunkUrl, /^text\/javascript/, true],
      ['/consent-choices.css', /^text\/css/, true],
      ['/v1/consent/banner', /^application\/json/, false],
      ['/v1/consent/config', /^application\/json/, false],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      for (const h of DOCUMENT_HEADERS) assert.equal(res.headers[h], undefined, `${url}: no ${h}`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.match(String(res.headers['content-type']), type, url);
      assert.match(String(res.headers['cache-control']), /max-age=\d+/, url);
      assert.match(String(res.headers.etag), /^"[0-9a-f]{12}-br"$/, url);
      assert.equal(res.headers['content-encoding'], 'br', url);
      assert.match(String(res.headers.vary), /accept-encoding/, url);
      // The script and stylesheets load from any shop; the config answers only the shop's origins.
      assert.equal(res.headers['access-control-allow-origin'], anyOrigin ? '*' : undefined, url);
    }
  });

  it('keeps every page’s and every other API answer’s headers', async () => {
    const page = await get('/privacy');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(page.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
    for (const url of ['/v1/policy', '/v1/consent/script-info']) {
      const api = await get(url);
      assert.equal(api.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", url);
      assert.equal(api.headers['x-frame-options'], 'DENY', url);
      assert.equal(api.headers['referrer-policy'], 'no-referrer', url);
      assert.match(String(api.headers['strict-transport-security']), /max-age=\d+/, url);
    }
  });
});
