// An appeal of a refused request is decided by someone other than the staff member who refused it.
// Only the account was compared: a privacy officer who refused could add a second privacy-officer
// account (a privacy officer may add one), log in as it and uphold their own refusal. The appeal
// now takes the same test of two people as the under-13 purge: not the same account, neither issued
// the other's credentials, and not two accounts minted by one privacy officer.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { STAFF_PASSWORD, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'an appeal is decided by another person',
  (env) => {
    const post = (url: string, headers: Record<string, string>, payload: object = {}) =>
      env().app.inject({ method: 'POST', url, headers, payload });

    /** A Virginia resident's request, refused by `officer`, then appealed; the appeal's id. */
    const refusedAndAppealed = async (officer: { bearer: { writeHeaders: Record<string, string> } }) => {
      const filed = await post(
        '/v1/requests',
        {},
        {
          type: 'access',
          jurisdiction: 'us-va',
          email: 'appellant@example.org',
        },
      );
      assert.equal(filed.statusCode, 202, filed.body);
      const token = filed.json().statusToken as string;
      const request = await env()
        .store.db.selectFrom('rights_requests')
        .select('id')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      const denied = await post(`/v1/staff/requests/${request.id}/deny`, officer.bearer.writeHeaders, {
        basis: 'identity not verified',
      });
      assert.equal(denied.statusCode, 200, denied.body);
      const appealed = await post('/v1/requests/appeal', {}, { statusToken: token, reason: 'I am me' });
      assert.equal(appealed.statusCode, 202, appealed.body);
      const appeal = await env()
        .store.db.selectFrom('rights_appeals')
        .select('id')
        .where('request_id', '=', request.id)
        .executeTakeFirstOrThrow();
      return appeal.id;
    };

    it('refuses the refuser’s second account, and lets an independent privacy officer decide', async () => {
      const refuser = await staffCaller(env(), ['privacy_officer']);
      const appealId = await refusedAndAppealed(refuser);
      // The refuser mints a second privacy-officer account and logs in as it.
      const minted = await post('/v1/staff/accounts', refuser.bearer.writeHeaders, {
        username: 'sock-puppet',
        roles: ['privacy_officer'],
      });
      assert.equal(minted.statusCode, 201, minted.body);
      const first = await post(
        '/v1/staff/tokens',
        {},
        { username: 'sock-puppet', password: minted.json().oneTimePassword },
      );
      const pending = { authorization: `Bearer ${first.json().token}` };
      const changed = await post('/v1/staff/password', pending, {
        current: minted.json().oneTimePassword,
        password: STAFF_PASSWORD,
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const login = await post('/v1/staff/tokens', {}, { username: 'sock-puppet', password: STAFF_PASSWORD });
      const puppet = { authorization: `Bearer ${login.json().token}` };

      const decide = { outcome: 'upheld', reasons: 'still not verified' };
      const byPuppet = await post(`/v1/staff/appeals/${appealId}/decide`, puppet, decide);
      assert.equal(byPuppet.statusCode, 403, byPuppet.body);
      assert.equal(byPuppet.json().error.code, 'VOW_APPEAL_SAME_DECIDER');
      const byRefuser = await post(
        `/v1/staff/appeals/${appealId}/decide`,
        refuser.bearer.writeHeaders,
        decide,
      );
      assert.equal(byRefuser.json().error.code, 'VOW_APPEAL_SAME_DECIDER');

      const other = await staffCaller(env(), ['privacy_officer']);
      const byOther = await post(`/v1/staff/appeals/${appealId}/decide`, other.bearer.writeHeaders, decide);
      assert.equal(byOther.statusCode, 200, byOther.body);
      assert.equal(byOther.json().appeal.status, 'upheld');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
