// Staff powers (issue 14): marking someone as under 13 deletes everything about them for good, so it
// takes two people: customer service proposes, a privacy officer who is another person approves, and
// only then does the P14 purge run. No one changes their own roles, and an administrator cannot make
// (or take over) the privacy officer who would approve their proposals.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { STAFF_PASSWORD, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'four eyes on staff powers',
  (env) => {
    let n = 0;
    /** A person the shop knows (a contest entry), and a check that their data is still there. */
    const person = async () => {
      const service = await serviceCaller(env());
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/contest-entries',
        headers: service.writeHeaders,
        payload: { email: `four.eyes${++n}@example.com`, name: 'Adult Person' },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().subjectId as string;
    };
    const held = async (subjectId: string) =>
      (await env().services.subjects.identifiers(subjectId)).length > 0 &&
      !(await env().services.subjects.isMarkedUnder13(subjectId));
    const post = (url: string, headers: Record<string, string>, payload: object = {}) =>
      env().app.inject({ method: 'POST', url, headers, payload });

    it('lets customer service only propose: nothing is deleted until a privacy officer approves', async () => {
      const agent = await staffCaller(env(), ['customer_service']);
      const officer = await staffCaller(env(), ['privacy_officer']);
      const adult = await person();
      const proposed = await post('/v1/subjects/under13', agent.bearer.writeHeaders, {
        subjectId: adult,
        reason: 'caller said so',
      });
      assert.equal(proposed.statusCode, 202, proposed.body);
      assert.equal(proposed.json().status, 'pending');
      assert.ok(await held(adult), 'nothing deleted on a proposal');
      const self = await post(
        `/v1/subjects/under13/proposals/${proposed.json().id}/approve`,
        agent.bearer.writeHeaders,
      );
      assert.equal(self.statusCode, 403, 'customer service cannot approve');
      assert.ok(await held(adult));
      const listed = await env().app.inject({
        method: 'GET',
        url: '/v1/subjects/under13/proposals',
        headers: officer.bearer.headers,
      });
      assert.deepEqual(
        listed.json().proposals.map((p: { subjectId: string }) => p.subjectId),
        [adult],
      );
      const approved = await post(
        `/v1/subjects/under13/proposals/${proposed.json().id}/approve`,
        officer.bearer.writeHeaders,
      );
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().under13, true);
      assert.equal(await held(adult), false, 'the purge ran on approval');
      const again = await post(
        `/v1/subjects/under13/proposals/${proposed.json().id}/approve`,
        officer.bearer.writeHeaders,
      );
      assert.equal(again.statusCode, 404, 'the purge took the proposal with the person');
      const trail = await env().ctx.audit.list({ limit: 10_000 });
      const actions = trail.filter((a) => a.target_id === adult).map((a) => `${a.action}:${a.actor_id}`);
      assert.ok(actions.includes(`subject.under13_proposed:${agent.staffId}`));
      assert.ok(actions.includes(`subject.marked_under_13:${officer.staffId}`));
    });

    it('refuses an approval by the proposer, or by one who issued (or was issued) their credentials', async () => {
      const officer = await staffCaller(env(), ['privacy_officer']);
      const other = await staffCaller(env(), ['privacy_officer']);
      const adult = await person();
      const own = await post('/v1/subjects/under13', officer.bearer.writeHeaders, { subjectId: adult });
      assert.equal(own.statusCode, 202);
      const mine = await post(
        `/v1/subjects/under13/proposals/${own.json().id}/approve`,
        officer.bearer.writeHeaders,
      );
      assert.equal(mine.statusCode, 403);
      assert.equal(mine.json().error.code, 'VOW_FOUR_EYES');
      assert.ok(await held(adult));
      // A privacy officer makes a customer-service account (and so knows its one-time password) and
      // proposes through it: they still cannot approve it themselves.
      const created = await post('/v1/staff/accounts', officer.bearer.writeHeaders, {
        username: 'puppet-agent',
        roles: ['customer_service'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const puppet = await env().services.identity.staff.login(
        { username: 'puppet-agent', password: created.json().oneTimePassword },
        'bearer',
        '10.0.0.1',
      );
      await env().services.identity.staff.changePassword(
        puppet.staffId,
        created.json().oneTimePassword,
        STAFF_PASSWORD,
      );
      const adult2 = await person();
      const byPuppet = await env().services.under13.propose(adult2, puppet.staffId);
      const approveOwnPuppet = await post(
        `/v1/subjects/under13/proposals/${byPuppet.id}/approve`,
        officer.bearer.writeHeaders,
      );
      assert.equal(approveOwnPuppet.statusCode, 403);
      assert.equal(approveOwnPuppet.json().error.code, 'VOW_FOUR_EYES');
      assert.ok(await held(adult2));
      // Another privacy officer may; the first one's own proposal too; a rejection deletes nothing.
      const ok = await post(
        `/v1/subjects/under13/proposals/${byPuppet.id}/approve`,
        other.bearer.writeHeaders,
      );
      assert.equal(ok.statusCode, 200, ok.body);
      const rejected = await post(
        `/v1/subjects/under13/proposals/${own.json().id}/reject`,
        other.bearer.writeHeaders,
        {
          reason: 'an adult: checked the order',
        },
      );
      assert.equal(rejected.statusCode, 200, rejected.body);
      assert.equal(rejected.json().status, 'rejected');
      assert.ok(await held(adult));
    });

    it('lets no one change their own roles, and no administrator make, take over or disable a privacy officer', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const officer = await staffCaller(env(), ['privacy_officer']);
      const selfGrant = await env().app.inject({
        method: 'PUT',
        url: `/v1/staff/accounts/${admin.username}/roles`,
        headers: admin.bearer.writeHeaders,
        payload: { roles: ['admin', 'privacy_officer'] },
      });
      assert.equal(selfGrant.statusCode, 403);
      assert.equal(selfGrant.json().error.code, 'VOW_SELF_ROLE_CHANGE');
      const mint = await post('/v1/staff/accounts', admin.bearer.writeHeaders, {
        username: 'admin-sockpuppet',
        roles: ['privacy_officer'],
      });
      assert.equal(mint.statusCode, 403);
      assert.equal(mint.json().error.code, 'VOW_ROLE_GRANT_FORBIDDEN');
      const agent = await staffCaller(env(), ['customer_service']);
      const promote = await env().app.inject({
        method: 'PUT',
        url: `/v1/staff/accounts/${agent.username}/roles`,
        headers: admin.bearer.writeHeaders,
        payload: { roles: ['customer_service', 'privacy_officer'] },
      });
      assert.equal(promote.statusCode, 403);
      assert.equal(promote.json().error.code, 'VOW_ROLE_GRANT_FORBIDDEN');
      await assert.rejects(
        env().services.identity.staff.resetPassword(officer.username, {
          id: admin.staffId,
          roles: ['admin'],
        }),
        (e: { code?: string }) => e.code === 'VOW_ROLE_GRANT_FORBIDDEN',
        "an administrator cannot learn a privacy officer's password",
      );
      // Nor lock the privacy officers out (nothing needing four eyes could then be approved).
      const disable = await post(
        `/v1/staff/accounts/${officer.username}/disable`,
        admin.bearer.writeHeaders,
        {},
      );
      assert.equal(disable.statusCode, 403);
      assert.equal(disable.json().error.code, 'VOW_ROLE_GRANT_FORBIDDEN');
      assert.equal(
        (await env().services.identity.staff.list()).find((s) => s.username === officer.username)?.disabled,
        false,
      );
      await assert.rejects(
        env().services.identity.staff.setDisabled(officer.username, false, {
          id: admin.staffId,
          roles: ['admin'],
        }),
        (e: { code?: string }) => e.code === 'VOW_ROLE_GRANT_FORBIDDEN',
        'nor enable one',
      );
      const roles = (await env().services.identity.staff.list()).find((s) => s.id === admin.staffId)?.roles;
      assert.deepEqual(roles, ['admin']);
      // A privacy officer may grant the role to someone else (not to themselves).
      const granted = await env().app.inject({
        method: 'PUT',
        url: `/v1/staff/accounts/${agent.username}/roles`,
        headers: officer.bearer.writeHeaders,
        payload: { roles: ['customer_service', 'privacy_officer'] },
      });
      assert.equal(granted.statusCode, 200, granted.body);
      const ownRoles = await env().app.inject({
        method: 'PUT',
        url: `/v1/staff/accounts/${officer.username}/roles`,
        headers: officer.bearer.writeHeaders,
        payload: { roles: ['privacy_officer', 'admin'] },
      });
      assert.equal(ownRoles.statusCode, 403);
    });

    it('works from the console: the agent reports on the person page, the officer decides on theirs', async () => {
      const agent = await staffCaller(env(), ['customer_service']);
      const officer = await staffCaller(env(), ['privacy_officer']);
      const adult = await person();
      const form = (who: typeof agent, url: string, values: Record<string, string>) =>
        env().app.inject({
          method: 'POST',
          url,
          headers: { cookie: who.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: who.writeHeaders['x-csrf-token']!, ...values }).toString(),
        });
      const confirmReport = await form(agent, '/staff/people/under13', {
        subjectId: adult,
        reason: 'told us',
      });
      assert.match(confirmReport.body, /What cannot be undone/, 'the report is confirmed first');
      const reported = await form(agent, '/staff/people/under13', {
        subjectId: adult,
        reason: 'told us',
        confirmed: 'yes',
      });
      assert.equal(reported.statusCode, 202, reported.body);
      assert.match(reported.body, /waiting for a privacy officer/);
      assert.ok(await held(adult));
      const page = await env().app.inject({
        method: 'GET',
        url: '/staff/under13',
        headers: { ...officer.headers, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      const proposalId = /name="proposalId" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(proposalId);
      const agentPage = await env().app.inject({
        method: 'GET',
        url: '/staff/under13',
        headers: { ...agent.headers, accept: 'text/html' },
      });
      assert.equal(agentPage.statusCode, 403, 'customer service does not decide');
      const confirm = await form(officer, '/staff/under13/decide', { proposalId, decision: 'approve' });
      assert.equal(confirm.statusCode, 200, confirm.body);
      assert.match(confirm.body, /cannot be undone/, 'a confirmation step comes first');
      assert.ok(await held(adult), 'nothing is deleted before the confirmation');
      const decided = await form(officer, '/staff/under13/decide', {
        proposalId,
        decision: 'approve',
        confirmed: 'yes',
      });
      assert.equal(decided.statusCode, 303, decided.body);
      const after = await env().app.inject({
        method: 'GET',
        url: decided.headers.location as string,
        headers: { ...officer.headers, accept: 'text/html' },
      });
      assert.match(after.body, /Approved/);
      assert.equal(await held(adult), false);
    });

    it('shows who a report is about, and rejects it only after its confirmation step, as it approves one', async () => {
      const agent = await staffCaller(env(), ['customer_service']);
      const officer = await staffCaller(env(), ['privacy_officer']);
      const adult = await person();
      const proposal = await env().services.under13.propose(adult, agent.staffId, 'a guess');
      const form = (values: Record<string, string>) =>
        env().app.inject({
          method: 'POST',
          url: '/staff/under13/decide',
          headers: { cookie: officer.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            _csrf: officer.writeHeaders['x-csrf-token']!,
            ...values,
          }).toString(),
        });
      // The officer sees who the report is about before deciding: the person's page, posted by id.
      const list = await env().app.inject({
        method: 'GET',
        url: '/staff/under13',
        headers: { ...officer.headers, accept: 'text/html' },
      });
      assert.match(list.body, new RegExp(`name="subjectId" value="${adult}"><button[^>]*>See who it is<`));
      const who = await env().app.inject({
        method: 'POST',
        url: '/staff/people',
        headers: { cookie: officer.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: officer.writeHeaders['x-csrf-token']!,
          subjectId: adult,
        }).toString(),
      });
      assert.equal(who.statusCode, 200);
      assert.match(who.body, /data-testid="person-name">(<bdi>)?[^<]*Adult Person/);
      assert.match(who.body, /data-testid="under13-proposed"/, 'the report is shown on the person page');
      const confirm = await form({ proposalId: proposal.id, decision: 'reject' });
      assert.equal(confirm.statusCode, 200, confirm.body);
      assert.match(confirm.body, /Confirm: reject the under-13 report/);
      assert.match(confirm.body, /cannot be reopened/);
      assert.match(confirm.body, /data-tone="destructive">Reject the report</);
      assert.equal(
        (await env().services.under13.get(proposal.id))?.status,
        'pending',
        'one click decides nothing',
      );
      const rejected = await form({ proposalId: proposal.id, decision: 'reject', confirmed: 'yes' });
      assert.equal(rejected.statusCode, 303, rejected.body);
      assert.equal(rejected.headers.location, '/staff/under13?done=reject');
      assert.equal((await env().services.under13.get(proposal.id))?.status, 'rejected');
      assert.ok(await held(adult), 'a rejection deletes nothing');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
