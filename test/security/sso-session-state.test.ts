// What an open console tab asks once a minute (console-idle.js): GET /staff/session/state answers one
// word, live, lapsed or ended, so a tab whose session the provider ended (back-channel log-out, a
// refused re-check) goes to the log-in page without a click (security.md #54). Before, nothing
// answered a tab whose session had gone except the idle warning's check 28 minutes on. The answer
// holds nothing personal, is never cached, and asking does not count as the session's use. The
// test's clock is moved by hand; the provider is the test's own (mini-oidc.ts).
import assert from 'node:assert/strict';
import { after, beforeEach, it } from 'node:test';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import {
  beginSso,
  finishSso,
  logoutClaims,
  postBackchannelLogout,
  signedInAs,
  ssoConfig,
  startMiniProvider,
} from '../helpers/mini-oidc.js';

const MINUTE = 60_000;
const op = await startMiniProvider();
after(() => op.close());

async function signIn(e: TestEnv, sub = 'ivy', sid = 'op-1') {
  const claims = (nonce: string) => ({ ...signedInAs(op, sub, ['admin'])(nonce), sid });
  const res = await finishSso(e.app, await beginSso(e.app, op, claims));
  assert.equal(res.statusCode, 200, res.body);
  const token = cookieFrom(res, 'vow_staff')!;
  return { cookie: `vow_staff=${encodeURIComponent(token)}` };
}

/** The tab's question: the answer's word (and the whole answer, to check nothing else is in it). */
async function state(e: TestEnv, cookie?: string) {
  const res = await e.app.inject({
    method: 'GET',
    url: '/staff/session/state',
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['set-cookie'], undefined);
  const body = res.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['session'], 'one word, nothing personal');
  return body.session;
}

describeEachDialect(
  'an open console tab asks whether its session stands',
  (env) => {
    beforeEach(() => {
      op.offline = true;
      op.disabled.clear();
    });

    it('live; ended once the provider’s back-channel log-out ends it', async () => {
      const e = env();
      const s = await signIn(e, 'ivy', 'op-1');
      assert.equal(await state(e, s.cookie), 'live');
      const now = Math.floor(e.clock.now().getTime() / 1000);
      const out = await postBackchannelLogout(e.app, op.sign(logoutClaims(op, now, { sid: 'op-1' })));
      assert.equal(out.statusCode, 200, out.body);
      assert.equal(await state(e, s.cookie), 'ended');
    });

    it('a refused re-check is found by the question itself, with no click', async () => {
      const e = env();
      const s = await signIn(e, 'jon', 'op-2');
      op.disabled.add('jon');
      e.clock.advance(5 * MINUTE);
      assert.equal(await state(e, s.cookie), 'ended');
    });

    it('asking does not keep an idle session: lapsed at the idle limit, as the warning says', async () => {
      const e = env();
      const s = await signIn(e, 'kim', 'op-3');
      for (let m = 0; m < 29; m++) {
        e.clock.advance(MINUTE);
        assert.equal(await state(e, s.cookie), 'live', `minute ${m + 1}`);
      }
      e.clock.advance(MINUTE);
      assert.equal(await state(e, s.cookie), 'lapsed');
    });

    it('a session waiting for its silent re-authentication still stands; no session is ended', async () => {
      const e = env();
      op.offline = false;
      const s = await signIn(e, 'lou', 'op-4');
      e.clock.advance(5 * MINUTE);
      assert.equal(await state(e, s.cookie), 'live');
      assert.equal(await state(e), 'ended', 'no cookie');
      assert.equal(await state(e, 'vow_staff=not-a-session'), 'ended');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);
