// Back to the very list after signing in again (security.md #45, the way back): a console page asked
// for with a query string (a list's filters and position) and no live staff session came back as the
// bare list, its filters lost, because only its path may ride in /staff/login?next= (a list's filters
// can hold a typed name). Now the log-in page answers in the page's place and the whole address is
// kept server-side, sealed under a key only that page's hidden field holds, for the lapsed session's
// owner (or, with no session at all, whoever signs in through that page), 15 minutes, deleted when
// taken; by password and by single sign-on. And a staff member who must first replace a one-time
// password keeps the way back (path, kept address, kept form) through the password page.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { KEPT_ADDRESSES_UNOWNED, KEPT_QUERY_MAX } from '../../src/modules/identity/index.js';
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
const hidden = (page: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1]?.replace(/&amp;/g, '&');
/** The anti-forgery token of a page's form posting to `action` (the log-in page has two forms). */
const csrfOf = (page: string, action = '/staff/login') =>
  new RegExp(`action="${action}"[\\s\\S]*?name="_csrf" value="([^"]+)"`).exec(page)?.[1] ?? '';
/** A list with filters: a typed name among them (the kind of text no address may carry anew). */
const LIST = '/staff/audit?kind=person&who=Jane+Doe&before=40';

describeEachDialect(
  'back to the very list after signing in again',
  (env) => {
    const open = (url: string, cookie?: string) =>
      env().app.inject({ method: 'GET', url, headers: { accept: HTML, ...(cookie ? { cookie } : {}) } });
    const post = (url: string, fields: Record<string, string | undefined>, cookie?: string) =>
      env().app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, ...(cookie ? { cookie } : {}) },
        payload: new URLSearchParams(
          Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined),
        ).toString(),
      });
    /** Logs in through a log-in page as its form would (its hidden fields and all). */
    const logInFrom = (page: string, username: string, password = STAFF_PASSWORD) =>
      post('/staff/login', {
        username,
        password,
        _csrf: csrfOf(page),
        next: hidden(page, 'next'),
        back: hidden(page, 'back'),
        draft: hidden(page, 'draft'),
      });
    const cookieOf = (res: Awaited<ReturnType<typeof open>>) =>
      `${SESSION_COOKIE.staff}=${encodeURIComponent(cookieFrom(res, SESSION_COOKIE.staff)!)}`;
    const kept = () => env().store.db.selectFrom('staff_kept_addresses').selectAll().execute();
    const clear = () => env().store.db.deleteFrom('staff_kept_addresses').execute();

    it('a list opened after the idle limit comes back with its filters and position, kept out of every address', async () => {
      await clear();
      const me = await staffCaller(env(), ['auditor']);
      env().clock.advance(31 * MINUTE);
      const page = await open(LIST, me.headers.cookie);
      // The log-in in the list's place: no redirect, so no new address holds the query.
      assert.equal(page.statusCode, 401, page.body.slice(0, 300));
      assert.equal(page.headers.location, undefined);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /<h1>Staff log in<\/h1>/);
      assert.equal(hidden(page.body, 'next'), '/staff/audit');
      const back = hidden(page.body, 'back');
      assert.ok(back, 'the key rides in the page only');
      assert.doesNotMatch(page.body, /Jane/, 'the query is not in the page either');
      const [row] = await kept();
      assert.equal(row?.staff_id, me.staffId, 'kept for the lapsed session’s owner');
      assert.doesNotMatch(JSON.stringify(row), /Jane|person|before/, 'sealed');
      assert.equal(Date.parse(row!.expires_at) - Date.parse(row!.created_at), 15 * MINUTE);

      const login = await logInFrom(page.body, me.username);
      assert.equal(login.statusCode, 303, login.body.slice(0, 300));
      assert.equal(login.headers.location, '/staff/audit?kind=person&who=Jane+Doe&before=40');
      assert.equal((await open(String(login.headers.location), cookieOf(login))).statusCode, 200);
      assert.deepEqual(await kept(), [], 'deleted when taken');
      // Taken once: the same page's log-in sent again goes to the bare list.
      const again = await logInFrom(page.body, me.username);
      assert.equal(again.headers.location, '/staff/audit');
    });

    it('another staff member signing in on that browser gets the bare list, and the kept address is gone', async () => {
      await clear();
      const me = await staffCaller(env(), ['auditor']);
      const other = await staffCaller(env(), ['auditor']);
      env().clock.advance(31 * MINUTE);
      const page = await open(LIST, me.headers.cookie);
      assert.equal((await kept()).length, 1);
      const login = await logInFrom(page.body, other.username);
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/staff/audit');
      assert.deepEqual(await kept(), [], 'deleted: its owner cannot take it later either');
      const mine = await logInFrom(page.body, me.username);
      assert.equal(mine.headers.location, '/staff/audit');
    });

    it('a bookmark opened with no session comes back whole to whoever signs in through that page', async () => {
      await clear();
      const me = await staffCaller(env(), ['auditor']);
      const page = await open(LIST);
      assert.equal(page.statusCode, 401);
      const [row] = await kept();
      assert.equal(row?.staff_id, null, 'no session: no owner');
      const login = await logInFrom(page.body, me.username);
      assert.equal(login.headers.location, '/staff/audit?kind=person&who=Jane+Doe&before=40');
      // A plain path still goes by ?next= (nothing to keep), and the dashboard needs no way back.
      assert.equal((await open('/staff/audit')).headers.location, '/staff/login?next=%2Fstaff%2Faudit');
      assert.equal((await open('/staff?x=1')).headers.location, '/staff/login');
      assert.equal((await open('/staff/audit?&')).headers.location, '/staff/login?next=%2Fstaff%2Faudit');
    });

    it('15 minutes on, the kept address is gone: the log-in returns to the bare list', async () => {
      await clear();
      const me = await staffCaller(env(), ['auditor']);
      env().clock.advance(31 * MINUTE);
      const page = await open(LIST, me.headers.cookie);
      env().clock.advance(15 * MINUTE);
      const login = await logInFrom(page.body, me.username);
      assert.equal(login.headers.location, '/staff/audit');
    });

    it('a person’s erasure deletes kept addresses past their 15 minutes (their filters may name them)', async () => {
      await clear();
      const erase = () => {
        const at = env().clock.now().toISOString();
        const subjectId = env().ctx.random.uuid();
        return env()
          .store.db.transaction()
          .execute((trx) =>
            env().services.erasure.erase(trx, { subjectId, mode: 'delete', categories: 'all', at }),
          );
      };
      await open(LIST);
      env().clock.advance(16 * MINUTE);
      assert.equal((await kept()).length, 1, 'expired, and no keep since to sweep it');
      await erase();
      assert.deepEqual(await kept(), [], 'gone with the erasure');
      // One within its 15 minutes is the exemption the registry names: it stays for its log-in.
      await open(LIST);
      await erase();
      assert.equal((await kept()).length, 1);
      await clear();
    });

    it('a query too long is not kept and the page says so; a control character is refused', async () => {
      await clear();
      const me = await staffCaller(env(), ['auditor']);
      const long = `/staff/audit?who=${'a'.repeat(KEPT_QUERY_MAX)}`;
      const page = await open(long);
      assert.equal(page.statusCode, 401);
      assert.match(page.body, /data-testid="address-not-kept" data-reason="too_long"/);
      assert.match(page.body, /without its filters and position/);
      assert.equal(hidden(page.body, 'back'), undefined);
      assert.deepEqual(await kept(), []);
      const login = await logInFrom(page.body, me.username);
      assert.equal(login.headers.location, '/staff/audit', 'the list itself still comes back');

      for (const bad of [
        '/staff/audit?who=a%00b',
        '/staff/audit?who=a%1Bb&kind=person',
        '/staff/audit?wh%00o=1',
      ]) {
        const refused = await open(bad);
        assert.equal(refused.statusCode, 400, bad);
        assert.match(
          refused.body,
          /data-code="VOW_VALIDATION">The address’s filters hold a control character \((who|\?)\)/,
          bad,
        );
        assert.equal(hidden(refused.body, 'back'), undefined, bad);
        assert.equal(hidden(refused.body, 'next'), '/staff/audit', bad);
      }
      assert.deepEqual(await kept(), [], 'nothing kept for a refused address');
    });

    it('kept with no owner, at most so many: then the page says so and the list comes back bare', async () => {
      await clear();
      const me = await staffCaller(env(), ['auditor']);
      env().clock.advance(31 * MINUTE);
      const now = env().clock.now();
      const rows = Array.from({ length: KEPT_ADDRESSES_UNOWNED }, (_, i) => ({
        id: `filler${String(i).padStart(10, '0')}`,
        secret_hash: 'x',
        staff_id: null,
        sealed: 'x',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 15 * MINUTE).toISOString(),
      }));
      for (let i = 0; i < rows.length; i += 100)
        await env()
          .store.db.insertInto('staff_kept_addresses')
          .values(rows.slice(i, i + 100))
          .execute();
      const page = await open(LIST);
      assert.equal(page.statusCode, 401);
      assert.match(page.body, /data-reason="full"/);
      assert.equal(hidden(page.body, 'back'), undefined);
      // A lapsed session's owner is counted on its own.
      const owned = await open(LIST, me.headers.cookie);
      assert.ok(hidden(owned.body, 'back'));
      // The fillers expire: room again.
      env().clock.advance(15 * MINUTE);
      assert.ok(hidden((await open(LIST)).body, 'back'));
      await clear();
    });

    it('single sign-on from that page comes back to the whole address too', async () => {
      await clear();
      const page = await open(LIST);
      const back = hidden(page.body, 'back');
      assert.ok(back);
      assert.match(page.body, /data-testid="sso-form"/, 'single sign-on posts the key, never in an address');
      const ssoCsrf = csrfOf(page.body, '/staff/sso');
      const started = await post('/staff/sso', { back, next: '/staff/audit', _csrf: ssoCsrf });
      assert.equal(started.statusCode, 303, started.body.slice(0, 300));
      assert.doesNotMatch(String(started.headers.location), new RegExp(back), 'the key is in no address');
      const to = new URL(String(started.headers.location));
      op.nonce = to.searchParams.get('nonce') ?? '';
      op.idToken = signedInAs(op, 'aud', ['auditor']);
      const done = await finishSso(env().app, {
        callback: `/staff/sso/callback?code=the-code&state=${to.searchParams.get('state')}`,
        cookie: `${SSO_COOKIE}=${encodeURIComponent(cookieFrom(started, SSO_COOKIE) ?? '')}`,
      });
      assert.equal(done.statusCode, 200, done.body.slice(0, 300));
      assert.match(done.body, /content="0;url=\/staff\/audit\?kind=person&amp;who=Jane\+Doe&amp;before=40"/);
      assert.deepEqual(await kept(), []);
      const [flow] = await env().store.db.selectFrom('staff_sso_flows').select('carried').execute();
      assert.doesNotMatch(String(flow?.carried), /Jane|audit/, 'sealed in the flow’s row');
    });

    /** A staff member whose one-time password is still to be replaced (its value returned). */
    let pendingCount = 0;
    const pending = async (roles: string[]) => {
      const { staff } = env().services.identity;
      const username = `pending-${++pendingCount}`;
      const { password } = await staff.add(username, roles, null);
      return { username, password };
    };

    it('the one-time password’s change keeps the way back: the whole address, or the path', async () => {
      await clear();
      const { username, password } = await pending(['auditor']);
      const page = await open(LIST);
      const login = await logInFrom(page.body, username, password);
      // The password page in the log-in's answer (a redirect would lose what it carries).
      assert.equal(login.statusCode, 200, login.body.slice(0, 300));
      assert.match(login.body, /<h1>Choose your password<\/h1>/);
      assert.equal(hidden(login.body, 'back'), hidden(page.body, 'back'));
      assert.equal(hidden(login.body, 'next'), '/staff/audit');
      const cookie = cookieOf(login);
      const fields = {
        current: password,
        _csrf: csrfOf(login.body, '/staff/password'),
        back: hidden(login.body, 'back'),
        next: hidden(login.body, 'next'),
      };
      // A refusal keeps them too.
      const weak = await post('/staff/password', { ...fields, password: 'short' }, cookie);
      assert.equal(weak.statusCode, 400);
      assert.equal(hidden(weak.body, 'back'), fields.back);
      assert.equal(hidden(weak.body, 'next'), '/staff/audit');
      const changed = await post(
        '/staff/password',
        { ...fields, password: 'a brand new long password' },
        cookie,
      );
      assert.equal(changed.statusCode, 303, changed.body.slice(0, 300));
      assert.equal(changed.headers.location, '/staff/audit?kind=person&who=Jane+Doe&before=40');

      // Only a path (a page with no query): back to it, not the dashboard.
      const plain = await pending(['auditor']);
      const loginPage = await open('/staff/login?next=%2Fstaff%2Faudit');
      const first = await logInFrom(loginPage.body, plain.username, plain.password);
      assert.equal(first.statusCode, 200);
      const then = await post(
        '/staff/password',
        {
          current: plain.password,
          password: 'a brand new long password',
          _csrf: csrfOf(first.body, '/staff/password'),
          next: hidden(first.body, 'next'),
        },
        cookieOf(first),
      );
      assert.equal(then.headers.location, '/staff/audit');
      // Nothing carried: the password page by its address, as before.
      const bare = await pending(['auditor']);
      const none = await logInFrom((await open('/staff/login')).body, bare.username, bare.password);
      assert.equal(none.statusCode, 303);
      assert.equal(none.headers.location, '/staff/password');
    });

    it('the one-time password’s change gives back a form kept when the session lapsed', async () => {
      const { username, password } = await pending(['customer_service']);
      // Signed in with the one-time password, then idle; the form it sends after the limit is kept.
      const first = await logInFrom((await open('/staff/login')).body, username, password);
      const cookie = cookieOf(first);
      const me = await open('/staff/password', cookie);
      env().clock.advance(31 * MINUTE);
      const sent = await post(
        '/staff/incidents',
        {
          _csrf: csrfOf(me.body, '/staff/password'),
          summary: 'A box of returns went missing',
          dataCategories: 'contact.email',
        },
        cookie,
      );
      assert.equal(sent.statusCode, 401);
      assert.ok(hidden(sent.body, 'draft'));
      const login = await logInFrom(sent.body, username, password);
      assert.equal(login.statusCode, 200);
      assert.equal(hidden(login.body, 'draft'), hidden(sent.body, 'draft'));
      const changed = await post(
        '/staff/password',
        {
          current: password,
          password: 'a brand new long password',
          _csrf: csrfOf(login.body, '/staff/password'),
          draft: hidden(login.body, 'draft'),
        },
        cookieOf(login),
      );
      assert.equal(changed.statusCode, 200, changed.body.slice(0, 300));
      assert.match(changed.body, /data-testid="kept-form"/);
      assert.match(changed.body, /A box of returns went missing/);
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);
