// US state breach-notification clocks on an incident, with real access control: the privacy officer
// enters the residents per state or has Vow count them from the people it holds (by the state of
// their postal address collected last; counts only), the clocks follow in `GET /v1/incidents/{id}`
// and on the page, nearest first, and a recorded notice settles its clock. Customer service and the
// auditor read the clocks (small counts as "fewer than 5") but may not count or enter; bad input is
// refused with stable codes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { address, orderBody } from '../collection/fixtures.js';
import { callAs, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { consoleForm, placeOrders, recordIncident, staffBefore } from '../helpers/incidents.js';

const DAY = 86_400_000;
const PAGE = { accept: 'text/html' };

describeEachDialect(
  'incidents: US state breach clocks',
  (env) => {
    const staff = staffBefore(env, ['customer_service', 'auditor']);

    it('counts the residents per state from the addresses Vow holds, privacy officer only; the clocks follow, nearest first', async () => {
      const e = env();
      const { officer } = staff;
      const [agent, auditor] = staff.others as [typeof officer, typeof officer];
      await placeOrders(e, ['st-1', 'st-2']); // Franklin, WI
      await placeOrders(e, ['st-3'], {
        buyer: {
          ...orderBody('st-3').buyer,
          billing_address: address('3 Sun St', { city: 'Denver', region: 'Colorado', postal_code: '80202' }),
          shipping_address: address('3 Sun St', { city: 'Denver', region: 'CO', postal_code: '80202' }),
        },
      });
      await placeOrders(e, ['st-4'], {
        buyer: {
          ...orderBody('st-4').buyer,
          billing_address: { ...address('4 Nowhere'), region: undefined },
          shipping_address: { ...address('4 Nowhere'), region: undefined },
        },
      });
      e.clock.advance(60_000);
      const id = await recordIncident(e, officer);

      for (const who of [agent, auditor]) {
        const refused = await callAs(e, who, 'POST', `/v1/incidents/${id}/residents/count`, {});
        assert.equal(refused.status, 403);
        const put = await callAs(e, who, 'PUT', `/v1/incidents/${id}/residents`, {
          residents: { 'us-wi': 1 },
        });
        assert.equal(put.status, 403);
      }

      const counted = await callAs(e, officer, 'POST', `/v1/incidents/${id}/residents/count`, {});
      assert.equal(counted.status, 200, JSON.stringify(counted.body));
      assert.equal(counted.body.source, 'counted');
      assert.deepEqual(
        counted.body.residents.map((r: { state: string; count: number }) => [r.state, r.count]),
        [
          ['us-co', 1],
          ['us-wi', 2],
        ],
      );
      assert.equal(counted.body.unknown, 1);
      assert.deepEqual(
        counted.body.clocks.map((c: { state: string }) => c.state),
        ['us-co', 'us-wi'],
        'Colorado (30 days) before Wisconsin (45)',
      );
      assert.ok(!/example\.com|Buyer|Street|Franklin/.test(JSON.stringify(counted.body)), 'counts only');

      const detail = await callAs(e, officer, 'GET', `/v1/incidents/${id}`);
      assert.equal(detail.body.usStates.clocks[1].duties[0].rule, '45 days from discovery');
      const read = await callAs(e, agent, 'GET', `/v1/incidents/${id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.usStates.clocks[1].residents, { fewerThan: 5 }, 'small counts withheld');
      assert.equal(
        read.body.usStates.clocks[1].duties[0].deadlineAt,
        detail.body.usStates.clocks[1].duties[0].deadlineAt,
      );

      const audit = await e.ctx.audit.list({ targetType: 'incident', targetId: id, limit: 50 });
      const entry = audit.find((a) => a.action === 'incident.residents_counted');
      assert.ok(entry, 'audited');
      assert.equal(
        String(entry.details),
        JSON.stringify({ states: ['us-co', 'us-wi'] }),
        'which states, not how many',
      );
    });

    it('entered residents: the thresholds decide the regulator; a notice recorded settles its clock; once only', async () => {
      const e = env();
      const { officer } = staff;
      const id = await recordIncident(e, officer);
      const set = await callAs(e, officer, 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-ca': 501, 'us-wi': 1000, 'us-tx': 249 },
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const byState = (body: typeof set.body, s: string) =>
        body.clocks.find((c: { state: string }) => c.state === s).duties as { kind: string; state: string }[];
      assert.equal(byState(set.body, 'us-ca').find((d) => d.kind === 'regulator')?.state, 'due');
      assert.equal(byState(set.body, 'us-tx').find((d) => d.kind === 'regulator')?.state, 'not_required');
      assert.equal(byState(set.body, 'us-wi').find((d) => d.kind === 'credit_agencies')?.state, 'due');

      const fewer = await callAs(e, officer, 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-ca': 500 },
      });
      assert.equal(byState(fewer.body, 'us-ca').find((d) => d.kind === 'regulator')?.state, 'not_required');
      assert.equal(fewer.body.clocks.length, 1, 'a state left out has no residents');
    });

    it('bad input is refused with stable codes: an unknown state, a negative count, a notice without residents', async () => {
      const e = env();
      const { officer } = staff;
      const id = await recordIncident(e, officer);
      const ageOnly = await recordIncident(e, officer, ['identity.age']); // no one here gave an age
      const nobody = await callAs(e, officer, 'POST', `/v1/incidents/${ageOnly}/residents/count`, {});
      assert.equal(nobody.body.source, 'counted', 'a count that found no one is recorded too');
      assert.deepEqual(nobody.body.clocks, []);
      const zz = await callAs(e, officer, 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-zz': 3 },
      });
      assert.equal(zz.status, 400);
      assert.equal(zz.body.error.code, 'VOW_INCIDENT_RESIDENTS_INVALID');
      const neg = await callAs(e, officer, 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-wi': -1 },
      });
      assert.equal(neg.status, 400);
      const form = await consoleForm(e, officer, `/staff/incidents/${id}/us-states`, {
        action: 'residents',
        residents: 'WI -3',
      });
      assert.equal(form.statusCode, 400);
      assert.match(form.body, /VOW_INCIDENT_RESIDENTS_INVALID/);
      const none = await callAs(e, officer, 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-ny',
        kind: 'residents',
        to: 'letters',
      });
      assert.equal(none.status, 400);
      assert.equal(none.body.error.code, 'VOW_INCIDENT_RESIDENTS_INVALID');
      await callAs(e, officer, 'PUT', `/v1/incidents/${id}/residents`, { residents: { 'us-wi': 3 } });
      const noAg = await callAs(e, officer, 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-wi',
        kind: 'regulator',
        to: 'Attorney General',
      });
      assert.equal(noAg.status, 400, 'Wisconsin has no attorney general notice');
      assert.equal(noAg.body.error.code, 'VOW_INCIDENT_RESIDENTS_INVALID');
      const email = await callAs(e, officer, 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-wi',
        kind: 'residents',
        to: 'ann@example.com',
      });
      assert.equal(email.body.error.code, 'VOW_INCIDENT_INVALID');
    });

    it('the page shows the clocks to every reader and the forms to the privacy officer', async () => {
      const e = env();
      const { officer } = staff;
      const [agent] = staff.others as [typeof officer];
      const id = await recordIncident(e, officer);
      const saved = await consoleForm(e, officer, `/staff/incidents/${id}/us-states`, {
        action: 'residents',
        residents: 'WI 12\nCA 600',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const page = await e.app.inject({
        url: `/staff/incidents/${id}`,
        headers: { ...PAGE, ...officer.headers },
      });
      assert.match(page.body, /data-testid="us-state-clocks"/);
      assert.match(page.body, /California/);
      assert.match(page.body, /data-action="state_notice"/);
      const notice = await consoleForm(e, officer, `/staff/incidents/${id}/us-states`, {
        action: 'state_notice',
        duty: 'us-wi:residents',
        to: 'Letters to each resident',
      });
      assert.equal(notice.statusCode, 303, notice.body);
      const read = await e.app.inject({
        url: `/staff/incidents/${id}`,
        headers: { ...PAGE, ...agent.headers },
      });
      assert.equal(read.statusCode, 200);
      assert.match(read.body, /Given .*Letters to each resident/);
      assert.doesNotMatch(read.body, /data-action="state_notice"/);
    });

    // Last: the clock moves a month on (past the staff sessions of this file).
    it('a month on: overdue, and a late notice recorded settles its clock (late); once only', async () => {
      const e = env();
      const { officer } = staff;
      const id = await recordIncident(e, officer);
      await callAs(e, officer, 'PUT', `/v1/incidents/${id}/residents`, { residents: { 'us-ca': 501 } });
      e.clock.advance(31 * DAY);
      const officer2 = await staffCaller(e, ['privacy_officer']); // the sessions of before have expired
      const late = await callAs(e, officer2, 'GET', `/v1/incidents/${id}`);
      assert.equal(late.body.usStates.clocks[0].duties[0].state, 'overdue');

      const told = await callAs(e, officer2, 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-ca',
        kind: 'residents',
        to: 'Each resident, by letter',
      });
      assert.equal(told.status, 200, JSON.stringify(told.body));
      const d = told.body.clocks[0].duties[0];
      assert.equal(d.state, 'done');
      assert.equal(d.late, true);
      assert.equal(d.given.to, 'Each resident, by letter');
      const again = await callAs(e, officer2, 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-ca',
        kind: 'residents',
        to: 'again',
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'VOW_INCIDENT_STATE');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
