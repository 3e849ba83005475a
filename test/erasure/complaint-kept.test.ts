// A complaint stays through its author's erasure, the under-13 purge included (GDPR Art. 17(3)(e):
// legal claims, and the regulator's view of how it was answered; docs/policy.md), but not for ever:
// 24 months after staff close it, the daily job deletes it with its replies and destroys its key.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { markUnder13, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

const DAY = 86_400_000;

describeEachDialect('a complaint kept after an erasure', (env) => {
  it('outlives the under-13 purge, then leaves 24 months after it is closed', async () => {
    const e = env();
    captureMail(e);
    assert.equal((await post(e, '/v1/orders', orderBody('kept-complaint'))).statusCode, 201);
    const email = 'ann.buyerkept-complaint@example.com';
    const subjectId = await e.services.subjects.findByEmail(email);
    assert.ok(subjectId);
    const { complaintId } = await e.services.complaints.submit(
      { jurisdiction: 'us-ca', email, name: 'Ann Buyer', message: 'You kept mailing me.' },
      { channel: 'web' },
    );
    assert.equal((await markUnder13(e, subjectId)).statusCode, 200);
    const staff = 'staff-complaints';
    const detail = await e.services.complaints.detail(complaintId, staff);
    assert.equal(detail.contact.email, email, 'kept (Art. 17(3)(e)) and still readable while open');

    await e.services.complaints.reply(complaintId, 'We are sorry: you will get no more mail.', staff);
    await e.services.complaints.close(complaintId, staff);
    const rows = () =>
      e.store.db.selectFrom('complaints').select('id').where('id', '=', complaintId).execute();
    e.clock.advance(729 * DAY);
    await e.services.complaints.schedulePrune();
    await e.services.jobs.drain();
    assert.equal((await rows()).length, 1, 'kept within the 24 months');

    e.clock.advance(2 * DAY);
    await e.services.complaints.schedulePrune();
    await e.services.jobs.drain();
    assert.deepEqual(await rows(), []);
    const replies = await e.store.db
      .selectFrom('complaint_replies')
      .select('id')
      .where('complaint_id', '=', complaintId)
      .execute();
    assert.deepEqual(replies, []);
    const key = await e.store.db
      .selectFrom('data_keys')
      .select('wrapped_key')
      .where('subject_id', '=', `complaint:${complaintId}`)
      .executeTakeFirst();
    assert.equal(key?.wrapped_key ?? null, null, 'its key is destroyed');
  });

  it('an open complaint is kept however old (staff close it once answered)', async () => {
    const e = env();
    captureMail(e);
    const { complaintId } = await e.services.complaints.submit(
      { jurisdiction: 'eea', email: 'old.open@example.com', message: 'Still waiting.' },
      { channel: 'web' },
    );
    e.clock.advance(800 * DAY);
    assert.equal(await e.services.complaints.prune(), 0);
    assert.ok(await e.services.complaints.get(complaintId));
  });
});
