// A bookmarked, hand-edited or cut-short link to a console or shopper page answers a page that says
// what is wrong and where to go, never JSON, a bare "Invalid request querystring" or validator text.
// Every GET page route with a query or path schema is taken from the registered routes (a page
// added later is covered without a line here) and sent a value its own schema refuses; the router's
// own refusals (a malformed %-encoding, a part over 100 characters) are sent to a page of each kind.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify, { type RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROUTES } from '../../src/http/routes.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Schema {
  safeParse(v: unknown): { success: boolean };
  readonly shape?: Record<string, Schema>;
}

interface PageRoute {
  readonly url: string;
  readonly query?: Record<string, Schema>;
  readonly params?: Record<string, Schema>;
}

/** Every GET route of the pages and the console with a query or path schema, as registered. */
async function pageRoutes(env: TestEnv): Promise<PageRoute[]> {
  const found: PageRoute[] = [];
  const probe = Fastify({ logger: false });
  probe.setValidatorCompiler(() => () => true);
  probe.setSerializerCompiler(() => (data) => JSON.stringify(data));
  probe.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const schema = r.schema as { querystring?: Schema; params?: Schema } | undefined;
    const page =
      !r.url.startsWith('/v1/') && !/\.(js|css|csv|json)$/.test(r.url) && !r.url.startsWith('/assets/');
    if (!methods.includes('GET') || !page || !(schema?.querystring?.shape || schema?.params?.shape)) return;
    found.push({ url: r.url, query: schema.querystring?.shape, params: schema.params?.shape });
  });
  for (const register of ROUTES)
    await probe.register(async (scope) =>
      register(scope.withTypeProvider<ZodTypeProvider>(), env.ctx, env.services),
    );
  await probe.ready();
  await probe.close();
  return found;
}

/** A value the field's own schema refuses (a word where a choice or number goes, else too long). */
function refused(field: Schema): string | undefined {
  for (const v of ['zz-not-valid', '-1', 'x'.repeat(99), '', 'x'.repeat(2100), 'a\u0001b'])
    if (!field.safeParse(v).success) return v;
  return undefined;
}

/** A link of the route with one bad parameter (the first that its schema refuses), and its name. */
function badLinks(route: PageRoute): { url: string; name: string }[] {
  const params = Object.fromEntries(
    Object.entries(route.params ?? {}).map(([k, s]) => [
      k,
      s.safeParse('a'.repeat(24)).success ? 'a'.repeat(24) : refused(s),
    ]),
  );
  const path = route.url.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(params[k] ?? 'x'));
  const out: { url: string; name: string }[] = [];
  for (const [name, s] of Object.entries(route.query ?? {})) {
    const value = refused(s);
    if (value !== undefined) out.push({ url: `${path}?${new URLSearchParams({ [name]: value })}`, name });
  }
  for (const [name, s] of Object.entries(route.params ?? {}))
    if (!s.safeParse(params[name]).success) out.push({ url: path, name });
  return out;
}

function mainOf(body: string): string {
  return /<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '';
}

/** What a refusal page must never show: the validator's words, a stack, the JSON body. */
function assertHelpful(
  url: string,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
) {
  assert.equal(res.statusCode, 400, url);
  assert.match(String(res.headers['content-type']), /^text\/html/, `${url} answers a page`);
  const main = mainOf(res.body);
  assert.match(main, /<a href="\/[^"]*"/, `${url}: a link onward`);
  // A console list answering itself (its own words may say "received"): its alert and field reasons.
  const list = /data-testid="console-error"/.test(main) && !/<h1>Check the address<\/h1>/.test(main);
  const said = list
    ? [
        ...main.matchAll(
          /<div class="flash bad" role="alert"[\s\S]*?<\/div>|<span class="field-error"[\s\S]*?<\/span>/g,
        ),
      ].join('\n')
    : main;
  assert.doesNotMatch(
    said,
    /Invalid request|expected|received|invalid_|Zod|at \w+ \(|"error"/i,
    `${url}: raw text`,
  );
}

describeEachDialect('bad links to pages', (env) => {
  it('every console page refused for its address names the parameter, what it takes, and links to the list', async () => {
    const routes = (await pageRoutes(env())).filter((r) => r.url.startsWith('/staff'));
    assert.ok(routes.length >= 12, `console routes found: ${routes.map((r) => r.url)}`);
    let tried = 0;
    for (const route of routes)
      for (const link of badLinks(route)) {
        const res = await env().app.inject({ method: 'GET', url: link.url, headers: { accept: BROWSER } });
        if (res.statusCode !== 400 && link.name !== 'id' && link.name !== 'token')
          assert.fail(`${link.url}: ${res.statusCode}`);
        if (res.statusCode !== 400) continue; // a path id its schema takes any of: the page's own 404
        tried++;
        assertHelpful(link.url, res);
        const main = mainOf(res.body);
        assert.match(main, /data-testid="address-problems"/, link.url);
        assert.match(main, new RegExp(`data-name="${link.name}"`), `${link.url} names ${link.name}`);
        assert.match(main, /data-testid="address-list"/, `${link.url} links to its list`);
      }
    assert.ok(tried >= 20, `bad links tried: ${tried}`);
  });

  it('a console link with several bad filters names each and keeps the good ones in the link without them', async () => {
    const res = await env().app.inject({
      method: 'GET',
      url: '/staff/requests?status=nonsense&show=open&zzz=1',
      headers: { accept: BROWSER },
    });
    assertHelpful('/staff/requests', res);
    const main = mainOf(res.body);
    assert.match(
      main,
      /<code>status<\/code> <code><bdi>nonsense<\/bdi><\/code>: it takes one of awaiting_verification,/,
    );
    assert.match(main, /<code>zzz<\/code> <code><bdi>1<\/bdi><\/code>: this page does not take it/);
    assert.match(main, /<a href="\/staff\/requests\?show=open" data-testid="address-without">/);
    // The queue answers itself (console-filter-refusals.test.ts), linking to itself unfiltered.
    assert.match(main, /<a href="\/staff\/requests" data-testid="address-list">the whole list, unfiltered/);
    // A 300-character value is shown cut short.
    const long = await env().app.inject({
      method: 'GET',
      url: `/staff/audit?who=${'w'.repeat(300)}`,
      headers: { accept: BROWSER },
    });
    assertHelpful('/staff/audit', long);
    assert.match(mainOf(long.body), new RegExp(`<bdi>${'w'.repeat(80)}…</bdi>`));
  });

  it('every shopper page refused for its address answers a page in the shopper’s language with ways onward', async () => {
    const routes = (await pageRoutes(env())).filter((r) => !r.url.startsWith('/staff'));
    assert.ok(routes.length >= 8, `shopper routes found: ${routes.map((r) => r.url)}`);
    let tried = 0;
    for (const route of routes)
      for (const link of badLinks(route)) {
        for (const [language, lang] of [
          ['es-US,es;q=0.9', 'es'],
          ['en-US,en;q=0.9', 'en'],
        ] as const) {
          const res = await env().app.inject({
            method: 'GET',
            url: link.url,
            headers: { accept: BROWSER, 'accept-language': language },
          });
          if (res.statusCode !== 400) continue; // a token its schema takes any of: the page's own answer
          tried++;
          assertHelpful(link.url, res);
          assert.match(res.body, new RegExp(`<html lang="${lang}">`), `${link.url} in ${lang}`);
        }
      }
    // A shopper page's optional parameters read a value they refuse as absent (optional-query.ts;
    // test/unit/shopper-page-queries), so only required ones are refused: /language's `to`.
    assert.ok(tried >= 2, `bad links tried: ${tried}`);
  });

  it('an address the router refuses (malformed %-encoding, a part over 100 characters) answers a page, not JSON', async () => {
    const long = 'a'.repeat(150);
    for (const url of [
      `/u/${long}`,
      '/u/%ZZ',
      '/privacy/request/status/%C0%AE',
      `/privacy/complaint/status/${long}`,
    ]) {
      const res = await env().app.inject({
        method: 'GET',
        url,
        headers: { accept: BROWSER, 'accept-language': 'es-US' },
      });
      assertHelpful(url, res);
      assert.match(res.body, /<html lang="es">/);
      assert.match(mainOf(res.body), /Este enlace no es válido/);
      // A page's headers: its stylesheet loads (the JSON API's CSP allows nothing).
      assert.match(String(res.headers['content-security-policy']), /style-src 'self'/);
    }
    for (const url of [`/staff/requests/${long}`, '/staff/requests/%ZZ']) {
      const res = await env().app.inject({ method: 'GET', url, headers: { accept: BROWSER } });
      assertHelpful(url, res);
      assert.match(
        mainOf(res.body),
        /The address: (a part of it is longer than 100 characters|it holds a malformed percent-encoding)/,
      );
      assert.match(mainOf(res.body), /<a href="\/staff\/requests" data-testid="address-list">/);
    }
    // An API client keeps the JSON body.
    const api = await env().app.inject({
      method: 'GET',
      url: '/u/%ZZ',
      headers: { accept: 'application/json' },
    });
    assert.equal(api.json().error.code, 'VOW_VALIDATION');
  });
});

describeEachDialect(
  'bad links to console pages, logged in',
  (env) => {
    it('an address the router refuses keeps the staff member’s menu (the session cookie is read)', async () => {
      const staff = await staffCaller(env(), ['customer_service']);
      const res = await env().app.inject({
        method: 'GET',
        url: '/staff/requests/%ZZ',
        headers: { ...staff.headers, accept: BROWSER },
      });
      assertHelpful('/staff/requests/%ZZ', res);
      assert.match(res.body, /<a href="\/staff\/people">People<\/a>/, 'the menu of the role');
    });
  },
  { auth: 'enforced' },
);
