// Four eyes on staff verifications (docs/security.md, item 25): customer service matching three
// details and a signed declaration no longer deletes, corrects or exports anyone alone. The
// verification waits, the request stays unverified with its deadline running, and only a privacy
// officer who is another person (not the verifier's account, nor one the verifier issued or was
// issued by) approves it, after which the request goes on as before, or rejects it with a reason.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { STAFF_PASSWORD, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;
type Buyer = ReturnType<typeof orderBody>['buyer'];

describeEachDialect(
  'four eyes on staff verifications',
  (env) => {
    let agent: StaffCaller;
    let officer: StaffCaller;
    let n = 0;

    before(async () => {
      // The day after the orders; staff log in then (a session lasts hours, not weeks).
      env().clock.set('2026-01-16T09:00:00.000Z');
      agent = await staffCaller(env(), ['customer_service']);
      officer = await staffCaller(env(), ['privacy_officer']);
    });

    /** A buyer the shop knows (an order: email, phone and billing address held). */
    const buyer = async (): Promise<Buyer & { subjectId: string }> => {
      const service = await serviceCaller(env());
      const body = orderBody(`FE${++n}`);
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: body,
      });
      assert.equal(res.statusCode, 201, res.body);
      const subjectId = await env().services.subjects.findByEmail(body.buyer.email);
      assert.ok(subjectId);
      return { ...body.buyer, subjectId };
    };
    const held = async (subjectId: string) =>
      (await env().services.subjects.identifiers(subjectId)).length > 0;
    const call = (who: { writeHeaders: Record<string, string> }, url: string, payload: object = {}) =>
      env().app.inject({ method: 'POST', url, headers: who.writeHeaders, payload });
    /** A letter asking for `type`, logged by the agent (no email: verified by details only). */
    const letter = async (type: string, jurisdiction = 'us-ca') => {
      const res = await call(agent.bearer, '/v1/staff/requests', {
        type,
        jurisdiction,
        ...(type === 'correction'
          ? { correction: { category: 'identity.name', value: 'Ann Corrected', evidence: 'a signed letter' } }
          : {}),
        channel: 'postal',
        receivedOn: '2026-01-15',
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().request.id as string;
    };
    const threeDetails = (b: Buyer) => ({
      email: b.email,
      phone: b.phone,
      address: { ...b.billing_address },
      declarationSigned: true,
    });
    const verify = (who: StaffCaller, rid: string, points: object) =>
      call(who.bearer, `/v1/staff/requests/${rid}/verify-data-points`, points);

    it('lets customer service alone delete no one: the verification waits and nothing is deleted', async () => {
      const b = await buyer();
      const rid = await letter('deletion');
      const verified = await verify(agent, rid, threeDetails(b));
      assert.equal(verified.statusCode, 200, verified.body);
      const { request, outcome } = verified.json();
      assert.equal(outcome.pendingApproval, true);
      assert.equal(outcome.method, 'data_points_3');
      assert.deepEqual(outcome.matchedKinds, ['email', 'phone', 'address']);
      assert.equal(request.status, 'awaiting_verification');
      assert.equal(request.verifiedAt, null);
      await env().services.jobs.drain();
      assert.ok(await held(b.subjectId), 'nothing deleted on the verification alone');
      assert.equal((await env().services.rights.get(rid)).status, 'awaiting_verification');
      // The agent cannot approve (not a privacy officer), nor verify again meanwhile.
      const self = await call(agent.bearer, `/v1/staff/requests/${rid}/approve-verification`);
      assert.equal(self.statusCode, 403);
      assert.equal(self.json().error.code, 'VOW_FORBIDDEN');
      const again = await verify(agent, rid, threeDetails(b));
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'VOW_REQUEST_STATE');
      // The staff detail says who verified and which details matched (kinds only, no values).
      const detail = await env().app.inject({
        method: 'GET',
        url: `/v1/staff/requests/${rid}`,
        headers: officer.bearer.headers,
      });
      const pending = detail.json().pendingVerification;
      assert.equal(pending.verifiedBy, agent.staffId);
      assert.deepEqual(pending.matched, ['email', 'phone', 'address']);
      assert.equal(pending.declarationSigned, true);
      const rows = JSON.stringify(
        await env().store.db.selectFrom('rights_verification_approvals').selectAll().execute(),
      );
      assert.ok(!rows.includes(b.email) && !rows.includes(b.phone), 'no detail value is kept');
      // An independent privacy officer approves: the deletion runs, as a verification always did.
      const approved = await call(officer.bearer, `/v1/staff/requests/${rid}/approve-verification`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().request.status, 'in_progress');
      assert.equal(approved.json().request.verificationMethod, 'data_points_3');
      assert.equal(approved.json().request.subjectId, b.subjectId);
      await env().services.jobs.drain();
      assert.equal((await env().services.rights.get(rid)).status, 'completed');
      assert.equal(await held(b.subjectId), false, 'deleted once approved');
      const trail = (await env().ctx.audit.list({ targetType: 'request', targetId: rid, limit: 100 })).map(
        (e) => `${e.action}:${e.actor_id}`,
      );
      assert.ok(trail.includes(`request.verification_awaiting_approval:${agent.staffId}`));
      assert.ok(trail.includes(`request.verification_approved:${officer.staffId}`));
      const twice = await call(officer.bearer, `/v1/staff/requests/${rid}/approve-verification`);
      assert.equal(twice.statusCode, 409, 'nothing waits any more');
    });

    it('refuses the verifier, and an account they issued, as the approver', async () => {
      const b = await buyer();
      const rogue = await staffCaller(env(), ['privacy_officer']);
      const rid = await letter('access');
      // A privacy officer verifies an access request for the values themselves...
      const verified = await verify(rogue, rid, threeDetails(b));
      assert.equal(verified.json().outcome.pendingApproval, true, 'a copy of the values waits too');
      const own = await call(rogue.bearer, `/v1/staff/requests/${rid}/approve-verification`);
      assert.equal(own.statusCode, 403);
      assert.equal(own.json().error.code, 'VOW_APPROVAL_NOT_INDEPENDENT');
      // ...then mints a second privacy officer (and so knows its one-time password) to approve it.
      const minted = await call(rogue.bearer, '/v1/staff/accounts', {
        username: `rogue-second-${n}`,
        roles: ['privacy_officer'],
      });
      assert.equal(minted.statusCode, 201, minted.body);
      const second = await env().services.identity.staff.login(
        { username: `rogue-second-${n}`, password: minted.json().oneTimePassword },
        'bearer',
        '10.0.0.2',
      );
      await env().services.identity.staff.changePassword(
        second.staffId,
        minted.json().oneTimePassword,
        STAFF_PASSWORD,
      );
      const token = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        payload: { username: `rogue-second-${n}`, password: STAFF_PASSWORD },
      });
      const puppet = { writeHeaders: { authorization: `Bearer ${token.json().token}` } };
      const byPuppet = await call(puppet, `/v1/staff/requests/${rid}/approve-verification`);
      assert.equal(byPuppet.statusCode, 403, byPuppet.body);
      assert.equal(byPuppet.json().error.code, 'VOW_APPROVAL_NOT_INDEPENDENT');
      const rejectByPuppet = await call(puppet, `/v1/staff/requests/${rid}/reject-verification`, {
        reason: 'looks wrong',
      });
      assert.equal(rejectByPuppet.json().error.code, 'VOW_APPROVAL_NOT_INDEPENDENT');
      await env().services.jobs.drain();
      assert.equal((await env().services.rights.get(rid)).status, 'awaiting_verification');
      assert.equal(
        (await env().services.rights.detail(rid, officer.staffId)).pendingVerification?.verifiedBy,
        rogue.staffId,
        'still waiting',
      );
      assert.equal(await env().services.rights.mayDecideVerification(rid, officer.staffId), true);
      assert.equal(await env().services.rights.mayDecideVerification(rid, second.staffId), false);
    });

    it('sends a rejected verification back to be verified again, with the reason in the timeline', async () => {
      const b = await buyer();
      const rid = await letter('correction');
      await verify(agent, rid, threeDetails(b));
      const leaky = await call(officer.bearer, `/v1/staff/requests/${rid}/reject-verification`, {
        reason: `the letter gave ${b.email}`,
      });
      assert.equal(leaky.statusCode, 400, 'no email address in a reason');
      const rejected = await call(officer.bearer, `/v1/staff/requests/${rid}/reject-verification`, {
        reason: 'The signature does not match the letter on file',
      });
      assert.equal(rejected.statusCode, 200, rejected.body);
      assert.equal(rejected.json().request.status, 'awaiting_verification');
      assert.equal(rejected.json().request.verifiedAt, null);
      assert.equal((await env().services.rights.detail(rid, officer.staffId)).pendingVerification, null);
      const entry = (await env().ctx.audit.list({ targetType: 'request', targetId: rid, limit: 100 })).find(
        (e) => e.action === 'request.verification_rejected',
      );
      assert.equal(entry?.actor_id, officer.staffId);
      assert.equal(entry?.reason, 'The signature does not match the letter on file');
      // Verified anew, it waits again.
      const again = await verify(agent, rid, threeDetails(b));
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().outcome.pendingApproval, true);
    });

    it('keeps the deadline running while a verification waits, and shows it in the queue', async () => {
      env().clock.set('2026-01-16T09:00:00.000Z');
      const b = await buyer();
      const rid = await letter('deletion');
      await verify(agent, rid, threeDetails(b));
      const before = await env().services.rights.get(rid);
      assert.equal(before.dueOn, '2026-03-01', 'CCPA: 45 days from the letter');
      env().clock.set('2026-03-03T09:00:00.000Z');
      // Two days past the deadline: the two log in again.
      agent = await staffCaller(env(), ['customer_service']);
      officer = await staffCaller(env(), ['privacy_officer']);
      const late = await env().services.rights.get(rid);
      assert.equal(late.dueOn, '2026-03-01', 'the clock does not stop');
      assert.equal(late.overdue, true);
      const waiting = await env().services.rights.staffQueue(officer.staffId, { pendingApproval: true });
      const entry = waiting.find((r) => r.id === rid);
      assert.equal(entry?.pendingApproval, true);
      assert.equal(entry?.overdue, true);
      assert.ok(waiting.every((r) => r.pendingApproval));
      assert.ok((await env().services.rights.pendingApprovals()) >= 1);
      const page = await env().app.inject({
        method: 'GET',
        url: '/staff/requests?approval=yes',
        headers: { ...officer.headers, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /data-testid="approvals-waiting"><strong>\d+<\/strong> verifications? waits? for a privacy officer's approval/,
      );
      assert.match(
        page.body,
        new RegExp(
          `<tr data-request="${rid}" class="overdue">[\\s\\S]*?<strong>Verification to approve</strong>`,
        ),
      );
      assert.match(page.body, /id="f-approval" name="approval" value="yes" checked/);
      // Refusing the request closes the waiting verification: it can no longer be approved.
      await call(officer.bearer, `/v1/staff/requests/${rid}/deny`, {
        basis: 'Identity could not be confirmed',
      });
      const after = await call(officer.bearer, `/v1/staff/requests/${rid}/approve-verification`);
      assert.equal(after.statusCode, 409);
      assert.ok(
        !(await env().services.rights.staffQueue(officer.staffId, { pendingApproval: true })).some(
          (r) => r.id === rid,
        ),
      );
    });

    it('does not hold up what reveals or changes nothing: two details for the kinds of data, a restriction', async () => {
      const b = await buyer();
      const access = await letter('access');
      const two = await verify(agent, access, { email: b.email, phone: b.phone });
      assert.equal(two.json().outcome.pendingApproval, false);
      assert.equal(two.json().request.status, 'in_progress');
      assert.equal(two.json().request.verificationMethod, 'data_points_2');
      const restriction = await call(agent.bearer, '/v1/staff/requests', {
        type: 'restriction',
        jurisdiction: 'eea',
        channel: 'postal',
        receivedOn: '2026-01-15',
        purposes: ['marketing'],
      });
      const three = await verify(agent, restriction.json().request.id, threeDetails(b));
      assert.equal(three.json().outcome.pendingApproval, false);
      assert.equal(three.json().request.status, 'in_progress');
    });

    it("flags and filters the waiting verifications in the staff API's list, as the console queue does", async () => {
      const b = await buyer();
      const waiting = await letter('deletion');
      await verify(agent, waiting, threeDetails(b));
      const unverified = await letter('access');
      const list = async (query: string) => {
        const res = await env().app.inject({
          method: 'GET',
          url: `/v1/staff/requests${query}`,
          headers: agent.bearer.headers,
        });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().requests as { id: string; pendingApproval: boolean }[];
      };
      const all = await list('');
      assert.equal(all.find((r) => r.id === waiting)?.pendingApproval, true);
      assert.equal(all.find((r) => r.id === unverified)?.pendingApproval, false);
      assert.ok(all.every((r) => typeof r.pendingApproval === 'boolean'));
      const only = await list('?pendingApproval=true');
      assert.ok(only.some((r) => r.id === waiting));
      assert.ok(!only.some((r) => r.id === unverified));
      assert.ok(only.every((r) => r.pendingApproval));
      // The same requests as the console's "Verifications to approve only".
      const console = await env().services.rights.staffQueue(officer.staffId, { pendingApproval: true });
      assert.deepEqual(only.map((r) => r.id).sort(), console.map((r) => r.id).sort());
      assert.ok((await list('?pendingApproval=false')).some((r) => r.id === unverified));
      assert.ok((await list('?include=all&pendingApproval=true')).some((r) => r.id === waiting));
      const bad = await env().app.inject({
        method: 'GET',
        url: '/v1/staff/requests?pendingApproval=yes',
        headers: agent.bearer.headers,
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VOW_VALIDATION');
      // Approved, it leaves the filter and its flag drops.
      const approved = await call(officer.bearer, `/v1/staff/requests/${waiting}/approve-verification`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.ok(!(await list('?pendingApproval=true')).some((r) => r.id === waiting));
      assert.equal((await list('?include=all')).find((r) => r.id === waiting)?.pendingApproval, false);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
