// Security #22, as a class: a public write that acts on the session cookie sent with it can be
// forged by a form another page of the same site posts (a sibling subdomain: the SameSite=Lax
// cookie goes along), unless a browser's post from anywhere but Vow's pages is refused. So only a
// forgery-checked public write (`csrf: 'form'`: Sec-Fetch-Site, else Origin, and a form token for a
// form-shaped body) sees the session; every other public write is served as an anonymous caller's,
// its session cookies neither looked up nor visible to the handler. Every route is taken from the
// registered routes, so a new one is covered (and must be given its decision below) from the start.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { declaredRoutes, installAccessControl, requireAccessDeclarations } from '../../src/http/access.js';
import { SESSION_COOKIE } from '../../src/modules/identity/index.js';
import { serviceCaller, shopperCaller, staffCaller } from '../helpers/auth.js';
import { createTestEnv, describeEachDialect, type TestEnv, testDialects } from '../helpers/env.js';
import { marketingUnsubscribePath } from '../helpers/shopper.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every public write and its decision. `form`: forgery-checked, it may act on the session.
 * Otherwise why it needs no check: what identifies whom it acts on instead of a session, and who
 * calls it (some from the shop's own pages, cross-origin, where no check by origin could pass).
 */
const DECISIONS: Record<string, 'form' | `anonymous: ${string}`> = {
  'POST /v1/consent/choices':
    "anonymous: the banner's consent.js on the shop's pages (CORS, VOW_ALLOWED_ORIGINS); the visitor id in the body",
  'POST /v1/consent/state': "anonymous: consent.js on the shop's pages (CORS); the visitor id in the body",
  'POST /v1/collect': "anonymous: the pages' measurements (CORS); the visitor id in the body",
  'POST /v1/experiments/:id/assignment': "anonymous: the shop's pages (CORS); the visitor id in the body",
  'POST /v1/experiments/:id/exposures': "anonymous: the shop's pages (CORS); the visitor id in the body",
  'POST /v1/staff/tokens': 'anonymous: a staff user name and password (and TOTP) in the body',
  'POST /v1/requests': 'anonymous: a new request, verified later by the emailed code',
  'POST /v1/requests/verify': 'anonymous: the status token and the emailed code in the body',
  'POST /v1/requests/resend-code': "anonymous: the status token; the code goes to the request's own address",
  'POST /v1/requests/appeal': 'anonymous: the status token in the body',
  'POST /v1/complaints': 'anonymous: a new complaint, by the address in the body',
  'POST /v1/downstream-tasks/:id/ack': "anonymous: signed with the recipient endpoint's secret",
  'POST /u/:token': 'anonymous: one-click unsubscribe from mail clients (RFC 8058); the token in the link',
  'POST /v1/privacy-choices/opt-out': 'form',
  'POST /v1/privacy-choices/state': 'form',
  'POST /demo/store/contest': 'form',
  'POST /demo/store/sms': 'form',
  'POST /demo/store/catalog': 'form',
  'POST /login': 'form',
  'POST /account/register': 'form',
  'POST /account/verify': 'form',
  'POST /account/reset-request': 'form',
  'POST /account/reset': 'form',
  'POST /privacy/request': 'form',
  'POST /privacy/request/status/:token': 'form',
  'POST /privacy/request/status/:token/resend': 'form',
  'POST /privacy/request/status/:token/appeal': 'form',
  'POST /privacy/complaint': 'form',
  'POST /staff/login': 'form',
};

function publicWrites(env: TestEnv) {
  return declaredRoutes(env.app).filter((r) => r.access === 'public' && UNSAFE.has(r.method));
}

/** A concrete URL for a route pattern: every parameter filled with `value`. */
const fill = (url: string, value: string) => url.replace(/:[A-Za-z_]+/g, encodeURIComponent(value));

describeEachDialect(
  'public writes and the session',
  (env) => {
    let shopper: Awaited<ReturnType<typeof shopperCaller>>;
    let staff: Awaited<ReturnType<typeof staffCaller>>;
    /** The session look-ups made while `fn` ran (the store's, which the access check calls). */
    const lookups = async (fn: () => Promise<void>): Promise<number> => {
      const sessions = env().services.identity.sessions;
      const original = sessions.lookup;
      let count = 0;
      sessions.lookup = (...args: Parameters<typeof original>) => {
        count += 1;
        return original.apply(sessions, args);
      };
      try {
        await fn();
      } finally {
        sessions.lookup = original;
      }
      return count;
    };

    before(async () => {
      shopper = await shopperCaller(env(), 'pat.public-writes@example.com');
      staff = await staffCaller(env(), ['privacy_officer']);
    });

    it('gives every public write a decision: forgery-checked, or anonymous with its reason', () => {
      const registered = publicWrites(env()).map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(
        [...registered].sort(),
        Object.keys(DECISIONS).sort(),
        'a public write was added or removed: decide it in DECISIONS (and in docs/security.md #22)',
      );
      for (const r of publicWrites(env())) {
        const decided = DECISIONS[`${r.method} ${r.url}`];
        assert.equal(r.csrf === 'form', decided === 'form', `${r.method} ${r.url}: ${decided}`);
      }
    });

    it('refuses a form posted from a sibling subdomain with a session cookie, on every public write that sees the session', async () => {
      const checked = publicWrites(env()).filter((r) => r.csrf === 'form');
      assert.ok(checked.length >= 16, `only ${checked.length} checked public writes`);
      for (const r of checked)
        for (const [who, cookie] of [
          ['shopper', shopper.headers],
          ['staff', staff.headers],
        ] as const)
          for (const [how, headers] of [
            ['Sec-Fetch-Site', { 'sec-fetch-site': 'same-site' }],
            ['Origin only', { origin: 'https://shop.localhost' }],
          ] as const) {
            const res = await env().app.inject({
              method: r.method as 'POST',
              url: fill(r.url, 'x'),
              headers: {
                ...cookie,
                ...headers,
                accept: 'application/json',
                'content-type': 'application/x-www-form-urlencoded',
              },
              payload: 'jurisdiction=us-co&email=pat.public-writes%40example.com',
            });
            const what = `${r.method} ${r.url} (${who}, ${how})`;
            assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
            assert.equal(res.json().error.code, 'VOW_CSRF', what);
          }
    });

    it('never looks the session up on any other public write, and lets it through from a sibling subdomain', async () => {
      const anonymous = publicWrites(env()).filter((r) => r.csrf !== 'form');
      assert.ok(anonymous.length >= 10, `only ${anonymous.length} unchecked public writes`);
      for (const r of anonymous)
        for (const [who, cookie] of [
          ['shopper', shopper.headers],
          ['staff', staff.headers],
        ] as const) {
          let body = '';
          const seen = await lookups(async () => {
            const res = await env().app.inject({
              method: r.method as 'POST',
              url: fill(r.url, 'x'),
              headers: { ...cookie, 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
              payload: '{}',
            });
            body = res.body;
            assert.notEqual(res.statusCode, 500, `${r.method} ${r.url}: ${res.body}`);
          });
          const what = `${r.method} ${r.url} (${who} cookie)`;
          assert.equal(seen, 0, `${what} looked the session up`);
          assert.doesNotMatch(body, /VOW_CSRF/, what);
        }
    });

    it('still acts on the session where the write is checked and comes from Vow’s own page', async () => {
      const seen = await lookups(async () => {
        const res = await env().app.inject({
          method: 'POST',
          url: '/v1/privacy-choices/state',
          headers: {
            ...shopper.headers,
            'sec-fetch-site': 'same-origin',
            'content-type': 'application/json',
          },
          payload: '{}',
        });
        assert.equal(res.statusCode, 200, res.body);
      });
      assert.equal(seen > 0, true, 'the session was looked up');
    });

    it("answers the unsubscribe page's own button with a redirect to its GET, which shows the shopper signed in; one-click from a mail client still answers 200", async () => {
      const e = env();
      const service = await serviceCaller(e);
      const mail = { subject: 'Spring', text: 'New rings.' };
      const path = await marketingUnsubscribePath(e, service.headers, 'lee.unsub@example.com', mail);
      const signedIn = (body: string) =>
        /href="\/account\/my-data"/.test(body) && !/<a[^>]*href="\/login"/.test(body);
      const page = await e.app.inject({ method: 'GET', url: path, headers: shopper.headers });
      assert.ok(signedIn(page.body), 'the page before: signed in');
      assert.match(page.body, /<input type="hidden" name="via" value="page">/);
      // The button, as the browser posts it: same origin, the session cookie along (never looked up).
      let posted: Awaited<ReturnType<typeof e.app.inject>> | undefined;
      const seen = await lookups(async () => {
        posted = await e.app.inject({
          method: 'POST',
          url: path,
          headers: {
            ...shopper.headers,
            'sec-fetch-site': 'same-origin',
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: 'List-Unsubscribe=One-Click&via=page',
        });
      });
      assert.equal(seen, 0, 'the post never looks the session up');
      assert.equal(posted?.statusCode, 303, posted?.body);
      assert.equal(posted?.headers.location, `${path}?done=1`, 'the token only in the address it had');
      const done = await e.app.inject({ method: 'GET', url: `${path}?done=1`, headers: shopper.headers });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /<h1>You are unsubscribed<\/h1>/);
      assert.ok(signedIn(done.body), 'the confirmation: signed in');
      // One-click (RFC 8058) from a mail client, on a second email: 200 and the page, no redirect.
      const other = await marketingUnsubscribePath(e, service.headers, 'kim.unsub@example.com', mail);
      const oneClick = await e.app.inject({
        method: 'POST',
        url: other,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(oneClick.statusCode, 200, oneClick.body);
      assert.equal(oneClick.headers.location, undefined);
      assert.match(oneClick.body, /You are unsubscribed/);
      // `?done=1` on a link not unsubscribed yet shows the question, and changes nothing.
      const third = await marketingUnsubscribePath(e, service.headers, 'max.unsub@example.com', mail);
      const asked = await e.app.inject({ method: 'GET', url: `${third}?done=1` });
      assert.match(asked.body, /data-testid="unsubscribe-button"/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);

// The mechanism, on routes made for the test: what a public write's handler sees of the caller.
describe('what a public write sees of the caller', () => {
  const dialect = testDialects()[0] ?? 'sqlite';
  let env: Awaited<ReturnType<typeof createTestEnv>>;
  let app: FastifyInstance;
  let shopper: Awaited<ReturnType<typeof shopperCaller>>;

  before(async () => {
    env = await createTestEnv(dialect, { auth: 'enforced', rateLimits: false });
    shopper = await shopperCaller(env, 'lee.probe@example.com');
    app = Fastify();
    requireAccessDeclarations(app);
    await installAccessControl(app, env.ctx, env.services.identity, {});
    const echo = async (req: { principal: { kind: string } | null; cookies: Record<string, unknown> }) => ({
      principal: req.principal?.kind ?? null,
      cookies: Object.keys(req.cookies).sort(),
    });
    app.post('/probe/unchecked', { config: { access: 'public' } }, echo);
    app.get('/probe/unchecked', { config: { access: 'public' } }, echo);
    app.post('/probe/checked', { config: { access: 'public', csrf: 'form' } }, echo);
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await env?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>) =>
    app.inject({
      method,
      url,
      headers: {
        ...headers,
        cookie: `${headers.cookie ?? ''}; theme=dark`,
        'content-type': 'application/json',
      },
      ...(method === 'POST' ? { payload: '{}' } : {}),
    });

  it('serves an unchecked public write as an anonymous caller’s, without its session cookies', async () => {
    const res = await call('POST', '/probe/unchecked', shopper.headers);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { principal: null, cookies: ['theme'] });
    assert.ok(!res.json().cookies.includes(SESSION_COOKIE.shopper));
  });

  it('still knows the session on reads and on checked writes', async () => {
    const read = await call('GET', '/probe/unchecked', shopper.headers);
    assert.deepEqual(read.json(), {
      principal: 'shopper',
      cookies: ['theme', SESSION_COOKIE.shopper].sort(),
    });
    const checked = await call('POST', '/probe/checked', {
      ...shopper.headers,
      'sec-fetch-site': 'same-origin',
    });
    assert.equal(checked.json().principal, 'shopper', checked.body);
  });
});
