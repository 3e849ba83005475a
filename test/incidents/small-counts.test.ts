// Small counts on the incident's page (docs/incidents.md, "Small counts"): how many people Vow could
// not write to for want of an email address, and how many were erased since, are shown to customer
// service and the auditor as "fewer than 5" below 5 (a count of one in a breach they know can point
// at a person), and so is the audit trail's entry of the end of the job; the privacy officer reads
// the exact counts. Before, every reader of the register saw them exactly.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { shownCount, shownProgress } from '../../src/modules/incidents/index.js';
import { giftRecipient } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { highRiskIncident, placeOrders, type Staff, staffBefore } from '../helpers/incidents.js';
import { tellThroughApi } from './notice-fixtures.js';

/** `n` buyers, each with a gift recipient who gave no email address, under the tag. */
async function buyersWithGifts(e: TestEnv, tag: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const order = `${tag}-${i}`;
    await placeOrders(e, [order], { gift_recipient: giftRecipient(order, { email: undefined }) });
  }
}

/** The incident's "Vow's mail" paragraph as `who` reads it. */
async function progressAs(e: TestEnv, who: Staff, id: string): Promise<string> {
  const res = await e.app.inject({
    url: `/staff/incidents/${id}`,
    headers: { ...who.headers, accept: 'text/html' },
  });
  assert.equal(res.statusCode, 200);
  return /<p data-testid="notice-progress">[\s\S]*?<\/p>/.exec(res.body)?.[0] ?? '';
}

describeEachDialect(
  'incidents: small counts of people on the incident page',
  (env) => {
    const staff = staffBefore(env, ['customer_service', 'auditor']);

    /** An incident whose people are the ones ordered so far, told by Vow: its id. */
    async function told(e: TestEnv): Promise<string> {
      const id = await highRiskIncident(e, staff.officer);
      await tellThroughApi(e, staff.officer, id);
      return id;
    }

    it('customer service and the auditor read "fewer than 5"; the privacy officer the exact count', async () => {
      const e = env();
      await buyersWithGifts(e, 'few', 1);
      const id = await told(e);
      assert.equal((await e.services.incidentNotices.progress(id))?.noAddress, 1, 'one without an address');

      const officer = await progressAs(e, staff.officer, id);
      assert.match(officer, /<strong>1<\/strong> person has no email address on file\./);
      assert.doesNotMatch(officer, /erased since/, 'none erased: not said to the officer');
      for (const who of staff.others) {
        const text = await progressAs(e, who, id);
        assert.match(text, /<strong>fewer than 5<\/strong> people have no email address on file/);
        // Said even when none was erased, so that its presence tells nothing.
        assert.match(text, /<strong>fewer than 5<\/strong> people erased since, not written to\./);
        assert.doesNotMatch(text, /<strong>[0-4]<\/strong> (person|people) (has|have) no email/);
        assert.match(text, /<strong>1<\/strong> mail queued, <strong>1<\/strong> sent/, 'the rest is exact');
      }
      const audit = await e.ctx.audit.list({ targetType: 'incident', targetId: id, limit: 100 });
      const end = audit.find((a) => a.action === 'incident.subjects_informed');
      const details = JSON.parse(String(end?.details)) as Record<string, unknown>;
      // The audit trail, which the auditor reads, keeps them so too.
      assert.equal(details.noAddress, 'fewer than 5');
      assert.equal(details.erased, 'fewer than 5');
    });

    it('shows 5 and more exactly to every reader', async () => {
      const e = env();
      await buyersWithGifts(e, 'many', 5);
      const id = await told(e);
      const exact = (await e.services.incidentNotices.progress(id))?.noAddress ?? 0;
      assert.ok(exact >= 5);
      for (const who of [staff.officer, ...staff.others])
        assert.match(
          await progressAs(e, who, id),
          new RegExp(`<strong>${exact}</strong> people have no email address on file`),
        );
    });
  },
  { auth: 'enforced', rateLimits: false },
);

it('withholds counts below 5 from every role but the privacy officer, erased people too', () => {
  assert.deepEqual(shownCount(4, false), { fewerThan: 5 });
  assert.equal(shownCount(5, false), 5);
  assert.equal(shownCount(0, true), 0);
  assert.equal(shownCount(4, true), 4);
  const progress = { queued: 9, sent: 9, noAddress: 7, erased: 2 };
  assert.deepEqual(shownProgress(progress, false), { ...progress, erased: { fewerThan: 5 } });
  assert.deepEqual(shownProgress(progress, true), progress);
});
