// Staff sessions end when idle (security.md #45): a console left open on a shared desk stayed signed
// in for the 12 hours of its session. A staff session (console cookie or API token) is now refused,
// as an expired one is, after VOW_STAFF_IDLE_MINUTES (30) without a request; a request extends it
// (its last_seen_at, written at most once a minute); the console's "how long is left" does not, and
// its "Stay signed in" does. The 12 hours from the log-in still end it. A console form sent after the
// lapse is kept for its owner's next log-in (sign-in-again.ts), and only theirs.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { issueFormToken } from '../../src/modules/identity/form-tokens.js';
import { migration as backfill } from '../../src/modules/identity/migrations/0783-one-time-expiry-backfill.js';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { ONE_TIME_PASSWORD_TTL_MS } from '../../src/modules/identity/staff-service.js';
import { loadConfig } from '../../src/platform/config.js';
import { VowError } from '../../src/platform/errors.js';
import { migrationKit } from '../../src/platform/store/migration-kit.js';
import { cookieFrom, STAFF_PASSWORD, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describeEachDialect(
  'staff sessions end when idle',
  (env) => {
    const get = (headers: Record<string, string>, url = '/v1/staff/me') =>
      env().app.inject({ method: 'GET', url, headers });
    const lastSeen = async (token: string) =>
      (
        await env()
          .store.db.selectFrom('sessions')
          .select('last_seen_at')
          .where('id', '=', token.replace(/^vow_st_/, '').split('.')[0]!)
          .executeTakeFirstOrThrow()
      ).last_seen_at;

    it('refuses a console cookie and an API token idle for 30 minutes, as expired ones', async () => {
      const me = await staffCaller(env(), ['auditor']);
      env().clock.advance(29 * MINUTE);
      assert.equal((await get(me.headers)).statusCode, 200, 'used 29 minutes after the log-in');
      env().clock.advance(30 * MINUTE);
      const cookie = await get(me.headers);
      assert.equal(cookie.statusCode, 401, cookie.body);
      assert.equal(cookie.json().error.code, 'VOW_UNAUTHENTICATED');
      const bearer = await get(me.bearer.headers);
      assert.equal(bearer.statusCode, 401, 'the token was idle too (its last use: the log-in)');
      // A console page goes to the log-in, as after the 12 hours.
      const page = await get({ ...me.headers, accept: 'text/html' }, '/staff');
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/staff/login');
    });

    it('keeps a session in use signed in past 30 minutes, writing its use at most once a minute', async () => {
      const me = await staffCaller(env(), ['auditor']);
      assert.equal(await lastSeen(me.token), null, 'nothing written at the log-in');
      for (let i = 0; i < 4; i++) {
        env().clock.advance(20 * MINUTE);
        assert.equal((await get(me.headers)).statusCode, 200, `after ${20 * (i + 1)} minutes in use`);
        assert.equal((await get(me.bearer.headers)).statusCode, 200);
      }
      const written = await lastSeen(me.token);
      assert.equal(written, env().clock.now().toISOString());
      env().clock.advance(59_000);
      assert.equal((await get(me.headers)).statusCode, 200);
      assert.equal(await lastSeen(me.token), written, 'a request within the minute writes nothing');
      env().clock.advance(2_000);
      assert.equal((await get(me.headers)).statusCode, 200);
      assert.equal(await lastSeen(me.token), env().clock.now().toISOString());
    });

    it('the 12 hours from the log-in still end a session in use', async () => {
      const me = await staffCaller(env(), ['auditor']);
      for (let t = 0; t < 12 * 60; t += 25) {
        env().clock.advance(25 * MINUTE);
        const res = await get(me.headers);
        assert.equal(res.statusCode, t + 25 < 12 * 60 ? 200 : 401, `at ${t + 25} minutes`);
      }
    });

    it('asking how long is left does not extend it; "Stay signed in" does', async () => {
      const me = await staffCaller(env(), ['marketing']);
      env().clock.advance(10 * MINUTE);
      const asked = await get(me.headers, '/staff/session');
      assert.equal(asked.statusCode, 200, asked.body);
      assert.deepEqual(asked.json(), {
        idleLimitMs: 30 * MINUTE,
        idleEndsInMs: 20 * MINUTE,
        endsInMs: 710 * MINUTE,
      });
      env().clock.advance(19 * MINUTE);
      assert.equal((await get(me.headers, '/staff/session')).json().idleEndsInMs, MINUTE);
      // "Stay signed in" needs the page's anti-forgery token.
      const forged = await env().app.inject({ method: 'POST', url: '/staff/session', headers: me.headers });
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().error.code, 'VOW_CSRF');
      const stay = await env().app.inject({
        method: 'POST',
        url: '/staff/session',
        headers: me.writeHeaders,
      });
      assert.equal(stay.statusCode, 200, stay.body);
      assert.equal(stay.json().idleEndsInMs, 30 * MINUTE);
      env().clock.advance(29 * MINUTE);
      assert.equal((await get(me.headers, '/staff/session')).json().idleEndsInMs, MINUTE);
      env().clock.advance(MINUTE);
      const ended = await get(me.headers, '/staff/session');
      assert.equal(ended.statusCode, 401, 'asking after the limit: ended');
      assert.equal((await get(me.headers)).statusCode, 401);
    });

    it('VOW_STAFF_IDLE_MINUTES sets the limit; a value out of range or not a number is refused', () => {
      const base = { VOW_DATA_DIR: '.tmp/test-data' };
      assert.equal(loadConfig(base).staffIdleMs, 30 * MINUTE);
      assert.equal(loadConfig({ ...base, VOW_STAFF_IDLE_MINUTES: '15' }).staffIdleMs, 15 * MINUTE);
      for (const bad of ['4', '721', 'soon', '7.5', '-30']) {
        assert.throws(
          () => loadConfig({ ...base, VOW_STAFF_IDLE_MINUTES: bad }),
          (err: unknown) =>
            err instanceof VowError &&
            err.code === 'VOW_CONFIG_INVALID' &&
            /VOW_STAFF_IDLE_MINUTES: must be/.test(err.message),
          bad,
        );
      }
    });

    /** A console form sent with a cookie, as a browser sends it. */
    const postForm = (cookie: string, url: string, fields: [string, string][]) =>
      env().app.inject({
        method: 'POST',
        url,
        headers: {
          cookie,
          accept: 'text/html,application/xhtml+xml',
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        payload: new URLSearchParams(fields).toString(),
      });
    const draftOf = (page: string) => /name="draft" value="([^"]+)"/.exec(page)?.[1];
    const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const INCIDENT: [string, string][] = [
      ['summary', 'A laptop with the March export was left on a train'],
      ['dataCategories', 'contact.email'],
      ['dataCategories', 'contact.phone'],
      ['subjectKinds', 'customer'],
      ['consequences', 'Line one\nline two'],
    ];

    it('keeps a form sent after the session went idle, and gives it back after the log-in', async () => {
      const me = await staffCaller(env(), ['customer_service']);
      env().clock.advance(31 * MINUTE);
      const sent = await postForm(me.headers.cookie!, '/staff/incidents', [
        ['_csrf', me.writeHeaders['x-csrf-token']!],
        ...INCIDENT,
      ]);
      assert.equal(sent.statusCode, 401, sent.body.slice(0, 300));
      assert.match(sent.body, /<h1>Staff log in<\/h1>/);
      assert.match(sent.body, /data-testid="form-kept"/);
      assert.doesNotMatch(sent.body, /laptop/, 'the log-in page does not show what was typed');
      const draft = draftOf(sent.body);
      assert.ok(draft, 'the log-in form carries the kept form’s token');
      const [row] = await env().store.db.selectFrom('staff_form_drafts').selectAll().execute();
      assert.ok(row);
      assert.doesNotMatch(row.sealed, /laptop/, 'sealed in the store');
      assert.equal(await env().store.db.selectFrom('incidents').select('id').executeTakeFirst(), undefined);

      const login = await env().app.inject({
        method: 'POST',
        url: '/staff/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({
          username: me.username,
          password: STAFF_PASSWORD,
          draft,
          _csrf: csrfOf(sent.body),
        }).toString(),
      });
      assert.equal(login.statusCode, 200, login.body.slice(0, 300));
      assert.match(login.body, /data-testid="kept-form"/);
      assert.match(login.body, /action="\/staff\/incidents"/);
      assert.match(login.body, /A laptop with the March export was left on a train/);
      assert.match(login.body, /Line one\nline two<\/textarea>/);
      assert.equal((login.body.match(/name="dataCategories"/g) ?? []).length, 2);
      assert.equal(
        await env().store.db.selectFrom('staff_form_drafts').select('id').executeTakeFirst(),
        undefined,
        'taken: deleted',
      );
      // Sent again from that page with the new session: recorded.
      const token = cookieFrom(login, SESSION_COOKIE.staff)!;
      const csrf = csrfOf(login.body);
      const again = await postForm(
        `${SESSION_COOKIE.staff}=${encodeURIComponent(token)}`,
        '/staff/incidents',
        [['_csrf', csrf!], ...INCIDENT],
      );
      assert.equal(
        again.statusCode,
        303,
        /data-code="[^"]+"[^<]*/.exec(again.body)?.[0] ?? again.body.slice(0, 300),
      );
      assert.match(String(again.headers.location), /^\/staff\/incidents\//);
    });

    it('gives a kept form to its owner only, for 15 minutes, and keeps none for a session ended', async () => {
      const owner = await staffCaller(env(), ['customer_service']);
      const other = await staffCaller(env(), ['customer_service']);
      const lapse = async () => {
        env().clock.advance(31 * MINUTE);
        return draftOf(
          (await postForm(owner.headers.cookie!, '/staff/incidents', [['summary', 'kept for its owner']]))
            .body,
        );
      };
      const logIn = (username: string, draft: string | undefined) =>
        env().app.inject({
          method: 'POST',
          url: '/staff/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: new URLSearchParams({
            username,
            password: STAFF_PASSWORD,
            draft: draft ?? '',
            _csrf: issueFormToken(env().ctx, '/staff/login'),
          }).toString(),
        });
      // Someone else logging in at that desk gets the dashboard, and the form is gone.
      const first = await lapse();
      assert.ok(first);
      const stranger = await logIn(other.username, first);
      assert.equal(stranger.statusCode, 303);
      assert.equal(stranger.headers.location, '/staff');
      assert.equal((await logIn(owner.username, first)).statusCode, 303, 'deleted when someone else took it');
      // Kept 15 minutes.
      const ownerAgain = await staffCaller(env(), ['customer_service']);
      env().clock.advance(31 * MINUTE);
      const late = draftOf(
        (await postForm(ownerAgain.headers.cookie!, '/staff/incidents', [['summary', 'too late']])).body,
      );
      assert.ok(late);
      env().clock.advance(16 * MINUTE);
      const expired = await logIn(ownerAgain.username, late);
      assert.equal(expired.statusCode, 303, 'past its 15 minutes: the dashboard');
      // A session that was ended (logged out) keeps nothing: a post with it gets the log-in page only.
      const out = await staffCaller(env(), ['customer_service']);
      await env().app.inject({ method: 'POST', url: '/staff/logout', headers: out.writeHeaders });
      const after = await postForm(out.headers.cookie!, '/staff/incidents', [['summary', 'after log-out']]);
      assert.equal(after.statusCode, 401);
      assert.match(after.body, /data-testid="form-not-kept"/);
      assert.equal(draftOf(after.body), undefined);
      // A post from another site is refused before anything is kept.
      const foreign = await staffCaller(env(), ['customer_service']);
      env().clock.advance(31 * MINUTE);
      const cross = await env().app.inject({
        method: 'POST',
        url: '/staff/incidents',
        headers: {
          cookie: foreign.headers.cookie!,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'cross-site',
        },
        payload: 'summary=planted',
      });
      assert.equal(cross.statusCode, 403);
      const rows = await env().store.db.selectFrom('staff_form_drafts').select('id').execute();
      assert.equal(rows.length, 0, 'nothing kept from the other site; the others taken, so deleted');
    });

    it('migration 0783 gives one-time passwords issued before 0781 an end 7 days after their issue', async () => {
      const { staff } = env().services.identity;
      const old = await staff.add('before.0781.old', ['auditor'], null);
      const recent = await staff.add('before.0781.recent', ['auditor'], null);
      const chosen = await staff.add('before.0781.chosen', ['auditor'], null);
      await staff.changePassword(chosen.id, chosen.password, 'a password of my own choosing');
      const now = env().clock.now().getTime();
      const db = env().store.db;
      // As they were before 0781: no end; issued 30 days and 2 days ago.
      for (const [id, ago] of [
        [old.id, 30 * DAY],
        [recent.id, 2 * DAY],
      ] as const)
        await db
          .updateTable('staff_accounts')
          .set({ one_time_expires_at: null, updated_at: new Date(now - ago).toISOString() })
          .where('id', '=', id)
          .execute();
      await backfill.up(db, migrationKit(env().dialect));
      const ends = Object.fromEntries(
        (await db.selectFrom('staff_accounts').select(['id', 'one_time_expires_at']).execute()).map((r) => [
          r.id,
          r.one_time_expires_at,
        ]),
      );
      assert.equal(ends[old.id], new Date(now - 30 * DAY + ONE_TIME_PASSWORD_TTL_MS).toISOString());
      assert.equal(ends[recent.id], new Date(now + 5 * DAY).toISOString());
      assert.equal(ends[chosen.id], null, 'a password the holder chose has no end');
      const login = (username: string, password: string) =>
        env().app.inject({ method: 'POST', url: '/staff/login', payload: { username, password } });
      assert.equal((await login('before.0781.old', old.password)).json().error?.code, 'VOW_PASSWORD_EXPIRED');
      assert.equal((await login('before.0781.recent', recent.password)).statusCode, 200);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
