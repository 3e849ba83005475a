// Back where you were after signing in again (security.md #45). A console page opened after the idle
// limit, after the 12 hours, or from a bookmark with no session went to /staff/login, and the log-in
// then landed on the dashboard. Now the page's path rides along (`next`: a /staff path of plain
// segments, never a query string, never anything that could lead off the site) and the log-in goes
// back to it, by password or by single sign-on. And single sign-on after the limit gives back the
// form kept when the session lapsed, as the password log-in does: the kept form's token is posted to
// /staff/sso (never in an address) and rides in the flow's row, sealed (migration 0785).
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { consoleReturnPath } from '../../src/modules/identity/index.js';
import { SSO_COOKIE } from '../../src/modules/identity/oidc.js';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { cookieFrom, STAFF_PASSWORD, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { finishSso, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const MINUTE = 60_000;
const op = await startMiniProvider();
after(() => op.close());

const HTML = 'text/html,application/xhtml+xml';
const FORM = {
  accept: HTML,
  'content-type': 'application/x-www-form-urlencoded',
  'sec-fetch-site': 'same-origin',
};
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const draftOf = (page: string) => /name="draft" value="([^"]+)"/.exec(page)?.[1];

it('returns to console paths only: nothing that could lead off the site, no query string', () => {
  assert.equal(consoleReturnPath('/staff/incidents'), '/staff/incidents');
  assert.equal(consoleReturnPath('/staff/people/0b7c-42_x.y~z'), '/staff/people/0b7c-42_x.y~z');
  assert.equal(consoleReturnPath('/staff/audit?who=Jane%20Doe'), '/staff/audit', 'the query is left out');
  for (const bad of [
    '/staff',
    '/staff/',
    '//evil.example/staff/x',
    '/\\evil.example',
    '/staff\\evil.example',
    '/staff//evil.example',
    'https://evil.example/staff/x',
    'javascript:alert(1)',
    '/staff/%2e%2e/%2f%2fevil.example',
    '/staff/%2F%2Fevil.example',
    '/staff/../login',
    '/staff/./x',
    '/staffs/x',
    '/staff/x\ny',
    '/staff/login',
    '/staff/sso/callback',
    ` /staff/x`,
    `/staff/${'a'.repeat(300)}`,
    undefined,
    ['/staff/x'],
  ])
    assert.equal(consoleReturnPath(bad), undefined, String(bad));
});

describeEachDialect(
  'back where you were after signing in again',
  (env) => {
    const open = (url: string, cookie?: string) =>
      env().app.inject({ method: 'GET', url, headers: { accept: HTML, ...(cookie ? { cookie } : {}) } });
    const logIn = (username: string, fields: Record<string, string>) =>
      env().app.inject({
        method: 'POST',
        url: '/staff/login',
        headers: FORM,
        payload: new URLSearchParams({ username, password: STAFF_PASSWORD, ...fields }).toString(),
      });

    it('a page opened after the idle limit, the 12 hours or from a bookmark comes back after the log-in', async () => {
      const me = await staffCaller(env(), ['customer_service']);
      env().clock.advance(31 * MINUTE);
      // (A page with a query answers the log-in in its place: staff-return-address.test.ts.)
      const idle = await open('/staff/incidents', me.headers.cookie);
      assert.equal(idle.statusCode, 303);
      assert.equal(idle.headers.location, '/staff/login?next=%2Fstaff%2Fincidents');
      const page = await open(String(idle.headers.location));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<input type="hidden" name="next" value="\/staff\/incidents">/);
      const login = await logIn(me.username, { next: '/staff/incidents', _csrf: csrfOf(page.body) });
      assert.equal(login.statusCode, 303, login.body.slice(0, 300));
      assert.equal(login.headers.location, '/staff/incidents');
      const cookie = `${SESSION_COOKIE.staff}=${encodeURIComponent(cookieFrom(login, SESSION_COOKIE.staff)!)}`;
      assert.equal((await open('/staff/incidents', cookie)).statusCode, 200);

      // Past the 12 hours (in use all along), and with no session at all: the same way back.
      for (let i = 0; i < 25; i++) {
        env().clock.advance(29 * MINUTE);
        await open('/staff', cookie);
      }
      const expired = await open('/staff/incidents', cookie);
      assert.equal(expired.headers.location, '/staff/login?next=%2Fstaff%2Fincidents');
      assert.equal(
        (await open('/staff/incidents')).headers.location,
        '/staff/login?next=%2Fstaff%2Fincidents',
      );
      // The dashboard needs no way back.
      assert.equal((await open('/staff')).headers.location, '/staff/login');
    });

    it('never sends the log-in anywhere but a console path', async () => {
      const me = await staffCaller(env(), ['customer_service']);
      const page = await open('/staff/login?next=%2F%2Fevil.example');
      assert.doesNotMatch(page.body, /name="next"/, 'an unsafe next is not carried');
      for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example', '/staff/%2e%2e/x']) {
        const login = await logIn(me.username, { next, _csrf: csrfOf(page.body) });
        assert.equal(login.statusCode, 303, next);
        assert.equal(login.headers.location, '/staff', next);
      }
    });

    /** A single sign-on started as the browser does (a link or the log-in page's form): its callback. */
    const ssoFrom = async (res: Awaited<ReturnType<typeof open>>, sub: string) => {
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      const to = new URL(String(res.headers.location));
      op.nonce = to.searchParams.get('nonce') ?? '';
      op.idToken = signedInAs(op, sub, ['customer_service']);
      return finishSso(env().app, {
        callback: `/staff/sso/callback?code=the-code&state=${to.searchParams.get('state')}`,
        cookie: `${SSO_COOKIE}=${encodeURIComponent(cookieFrom(res, SSO_COOKIE) ?? '')}`,
      });
    };

    it('single sign-on goes back to the page too', async () => {
      const page = await open('/staff/login?next=%2Fstaff%2Fincidents');
      assert.match(page.body, /href="\/staff\/sso\?next=%2Fstaff%2Fincidents"/);
      const done = await ssoFrom(await open('/staff/sso?next=%2Fstaff%2Fincidents'), 'ria');
      assert.equal(done.statusCode, 200, done.body.slice(0, 300));
      assert.match(done.body, /content="0;url=\/staff\/incidents"/);
      assert.match(done.body, /data-testid="sso-continue"/);
      const plain = await ssoFrom(await open('/staff/sso?next=%2F%2Fevil.example'), 'ria');
      assert.match(plain.body, /content="0;url=\/staff"/);
      const [row] = await env().store.db.selectFrom('staff_sso_flows').select('carried').execute();
      assert.doesNotMatch(String(row?.carried), /incidents/, 'sealed in the flow’s row');
    });

    it('single sign-on after the limit gives back the form kept when the session lapsed', async () => {
      // Signed in once by single sign-on, then idle; a form sent after the limit is kept.
      const first = await ssoFrom(await open('/staff/sso'), 'sol');
      const cookie = `${SESSION_COOKIE.staff}=${encodeURIComponent(cookieFrom(first, SESSION_COOKIE.staff)!)}`;
      const me = await open('/staff', cookie);
      env().clock.advance(31 * MINUTE);
      const sent = await env().app.inject({
        method: 'POST',
        url: '/staff/incidents',
        headers: { ...FORM, cookie },
        payload: new URLSearchParams([
          ['_csrf', csrfOf(me.body)],
          ['summary', 'A laptop with the March export was left on a train'],
          ['dataCategories', 'contact.email'],
          ['subjectKinds', 'customer'],
        ]).toString(),
      });
      assert.equal(sent.statusCode, 401);
      assert.match(sent.body, /data-testid="form-kept"/);
      assert.match(sent.body, /data-testid="sso-form"/, 'single sign-on is a form carrying the token');
      const draft = draftOf(sent.body);
      assert.ok(draft);
      const ssoCsrf = /action="\/staff\/sso"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(sent.body)?.[1];
      assert.ok(ssoCsrf);
      const started = await env().app.inject({
        method: 'POST',
        url: '/staff/sso',
        headers: FORM,
        payload: new URLSearchParams({ draft, _csrf: ssoCsrf }).toString(),
      });
      assert.doesNotMatch(String(started.headers.location), new RegExp(draft), 'the token is in no address');
      const back = await ssoFrom(started, 'sol');
      assert.equal(back.statusCode, 200, back.body.slice(0, 300));
      assert.match(back.body, /data-testid="kept-form"/);
      assert.match(back.body, /action="\/staff\/incidents"/);
      assert.match(back.body, /A laptop with the March export was left on a train/);
      // Labelled in words (the page's script puts the page's own labels), never the bare names.
      assert.match(back.body, /<label for="kept-\d+" data-field="dataCategories">Data categories<\/label>/);
      assert.match(back.body, /<script src="\/assets\/console-idle\.js"/);
      // Sent from that page with the new session: recorded.
      const again = await env().app.inject({
        method: 'POST',
        url: '/staff/incidents',
        headers: {
          ...FORM,
          cookie: `${SESSION_COOKIE.staff}=${encodeURIComponent(cookieFrom(back, SESSION_COOKIE.staff)!)}`,
        },
        payload: new URLSearchParams([
          ['_csrf', csrfOf(back.body)],
          ['summary', 'A laptop with the March export was left on a train'],
          ['dataCategories', 'contact.email'],
          ['subjectKinds', 'customer'],
        ]).toString(),
      });
      assert.equal(again.statusCode, 303, again.body.slice(0, 300));
      assert.match(String(again.headers.location), /^\/staff\/incidents\//);
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);
