// Kept console forms and addresses leave within a quarter of an hour of their 15 minutes, whatever
// else happens (security.md #50). A form or a list's filters kept after a staff session lapsed may
// name a customer; they were deleted past their 15 minutes only when someone else's were kept or
// someone was erased (d6903fb, f8e69c3), so on a quiet console one stayed, sealed, for days. The
// quarter-hourly upkeep (`scheduleStaffKeepsUpkeep`, src/app/services.ts; `vow serve` queues it)
// deletes them; those still within their 15 minutes stay for their owner.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FORM_DRAFT_TTL_MS } from '../../src/modules/identity/index.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const MINUTE = 60_000;
const HTML = 'text/html,application/xhtml+xml';
const JOB = 'identity.forget_lapsed_keeps';

describeEachDialect(
  'kept console forms and addresses: the quarter-hourly upkeep',
  (env) => {
    const drafts = () => env().store.db.selectFrom('staff_form_drafts').select('id').execute();
    const addresses = () => env().store.db.selectFrom('staff_kept_addresses').select('id').execute();
    const queued = () =>
      env()
        .store.db.selectFrom('jobs')
        .select(['idempotency_key', 'run_at', 'status'])
        .where('name', '=', JOB)
        .orderBy('run_at')
        .execute();
    /** A customer-service agent whose session lapsed under a form and under a filtered list. */
    const lapseUnderBoth = async (email: string) => {
      const e = env();
      const agent = await staffCaller(e, ['customer_service']);
      e.clock.advance(31 * MINUTE);
      const form = await e.app.inject({
        method: 'POST',
        url: '/staff/requests',
        headers: {
          cookie: agent.headers.cookie!,
          accept: HTML,
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        payload: new URLSearchParams({
          _csrf: agent.writeHeaders['x-csrf-token']!,
          type: 'deletion',
          email,
          channel: 'post',
        }).toString(),
      });
      assert.equal(form.statusCode, 401, form.body.slice(0, 200));
      const list = await e.app.inject({
        method: 'GET',
        url: `/staff/requests?q=${encodeURIComponent(email)}`,
        headers: { cookie: agent.headers.cookie!, accept: HTML },
      });
      assert.equal(list.statusCode, 401, list.body.slice(0, 200));
    };

    it('deletes forms and addresses past their 15 minutes at the next quarter hour; keeps those within them', async () => {
      const e = env();
      await e.store.db.deleteFrom('staff_form_drafts').execute();
      await e.store.db.deleteFrom('staff_kept_addresses').execute();
      await lapseUnderBoth('paula.post@example.com');
      assert.equal((await drafts()).length, 1, 'the form is kept');
      assert.equal((await addresses()).length, 1, 'the list’s address is kept');

      // Within the 15 minutes, a run keeps both for their owner.
      e.clock.advance(10 * MINUTE);
      await e.services.scheduleStaffKeepsUpkeep();
      await e.services.jobs.drain(10, [JOB]);
      assert.equal((await drafts()).length, 1, 'within its 15 minutes: kept');
      assert.equal((await addresses()).length, 1);

      // No one signs in again, no one else lapses, no one is erased: the next run deletes both.
      e.clock.advance(FORM_DRAFT_TTL_MS);
      await e.services.jobs.drain(10, [JOB]);
      assert.deepEqual(await drafts(), [], 'a form past its 15 minutes is gone');
      assert.deepEqual(await addresses(), [], 'an address past its 15 minutes is gone');
    });

    it('queues one run a quarter hour, however often it is scheduled, each run queueing the next', async () => {
      const e = env();
      await e.store.db.deleteFrom('jobs').where('name', '=', JOB).execute();
      // Align to just after a quarter hour's start.
      const now = e.clock.now().getTime();
      e.clock.advance(15 * MINUTE - (now % (15 * MINUTE)) + MINUTE);
      await e.services.scheduleStaffKeepsUpkeep();
      await e.services.scheduleStaffKeepsUpkeep();
      const first = await queued();
      assert.equal(first.length, 1, 'two processes calling schedule() queue it once');
      assert.match(
        String(first[0]?.idempotency_key),
        /^identity\.forget_lapsed_keeps:\d{4}-\d\d-\d\dT\d\d:(00|15|30|45)$/,
      );
      await e.services.jobs.drain(10, [JOB]);
      const after = await queued();
      assert.equal(after.length, 2, 'the run queued the next');
      const next = new Date(String(after[1]?.run_at)).getTime();
      assert.equal(next % (15 * MINUTE), 0, 'at the start of a quarter hour');
      assert.equal(next - e.clock.now().getTime(), 14 * MINUTE, 'the next quarter hour');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
