// Red team (review round 5): a console form sent after the staff session lapsed is kept (sealed, 15
// minutes) and shown back, filled in, after the new sign-in (security.md #45). The password page is a
// console form like any other: a staff member changing their password at the end of an idle half hour
// had the current and the new password kept in the store and then shown back in clear, as the value
// of plain text fields, on the page a shared desk's screen shows after the log-in. A form's password
// fields are never kept (nor the one-time code of a second factor): the page says what to type again.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { STAFF_PASSWORD, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const MINUTE = 60_000;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const draftOf = (page: string) => /name="draft" value="([^"]+)"/.exec(page)?.[1];

describeEachDialect(
  'red team: secrets in a kept console form',
  (env) => {
    it('never keeps nor shows back the passwords of a password change sent after the idle limit', async () => {
      const e = env();
      const me = await staffCaller(e, ['customer_service']);
      e.clock.advance(31 * MINUTE);
      const current = STAFF_PASSWORD;
      const chosen = 'correct horse battery staple 42';
      const sent = await e.app.inject({
        method: 'POST',
        url: '/staff/password',
        headers: {
          cookie: me.headers.cookie!,
          accept: 'text/html,application/xhtml+xml',
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        payload: new URLSearchParams({
          _csrf: me.writeHeaders['x-csrf-token']!,
          current,
          password: chosen,
        }).toString(),
      });
      assert.equal(sent.statusCode, 401, sent.body.slice(0, 200));
      const kept = await e.store.db.selectFrom('staff_form_drafts').select('id').execute();
      assert.deepEqual(kept, [], 'the passwords are not kept, even sealed');
      const draft = draftOf(sent.body);
      const login = await e.app.inject({
        method: 'POST',
        url: '/staff/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({
          username: me.username,
          password: STAFF_PASSWORD,
          ...(draft ? { draft } : {}),
          _csrf: csrfOf(sent.body),
        }).toString(),
      });
      assert.ok([200, 303].includes(login.statusCode), login.body.slice(0, 200));
      assert.ok(!login.body.includes(chosen), 'the new password is not shown back');
      assert.ok(!login.body.includes(`value="${current}"`), 'nor the current one');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
