// The console's API keys page, over HTTP on both databases: admins only, its forms carry the
// anti-forgery token, a key is made with the scopes ticked (its secret on that one answer only),
// revoking asks for a confirmation first, and both are audited with the admin as actor.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { type Caller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return body.toString();
};

async function post(env: TestEnv, url: string, caller: Caller, fields: Record<string, string | string[]>) {
  return env.app.inject({
    method: 'POST',
    url,
    headers: { ...caller.writeHeaders, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(fields),
  });
}

describeEachDialect(
  'the console API keys page',
  (env) => {
    let admin: Awaited<ReturnType<typeof staffCaller>>;
    before(async () => {
      admin = await staffCaller(env(), ['admin']);
    });

    it('is for administrators only', async () => {
      const cs = await staffCaller(env(), ['customer_service']);
      const res = await env().app.inject({ method: 'GET', url: '/staff/api-keys', headers: cs.headers });
      assert.equal(res.statusCode, 403);
      const made = await post(env(), '/staff/api-keys', cs, { name: 'sneaky', scopes: 'all' });
      assert.equal(made.statusCode, 403);
      assert.equal((await env().services.identity.apiKeys.list()).length, 0);
    });

    it('refuses a form without its anti-forgery token', async () => {
      const res = await env().app.inject({
        method: 'POST',
        url: '/staff/api-keys',
        headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ name: 'forged', scopes: 'all' }),
      });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /VOW_CSRF/);
      assert.equal((await env().services.identity.apiKeys.list()).length, 0);
    });

    it('makes a key with the scopes ticked, shows its secret on that answer only, and audits it', async () => {
      const none = await post(env(), '/staff/api-keys', admin, { name: 'storefront' });
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /data-code="VOW_VALIDATION"/);
      assert.match(none.body, /value="storefront"/, 'the name is kept for the next try');

      const res = await post(env(), '/staff/api-keys', admin, {
        name: 'warehouse',
        scopes: ['disclose', 'metrics'],
      });
      assert.equal(res.statusCode, 201, res.body);
      const key = /data-testid="new-key-value" readonly[^>]*>(vow_sk_[^<]+)<\/textarea>/.exec(res.body)?.[1];
      assert.ok(key, 'the secret is on the page');
      assert.equal(res.headers['cache-control'], 'no-store');
      const [made] = await env().services.identity.apiKeys.list();
      assert.deepEqual(made?.scopes, ['disclose', 'metrics']);
      assert.equal(made?.createdBy, admin.staffId);

      const page = await env().app.inject({ method: 'GET', url: '/staff/api-keys', headers: admin.headers });
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes(key), 'never shown again');
      assert.match(
        page.body,
        // Each scope in plain words, with its id.
        /<th scope="row">warehouse<\/th><td data-label="Scopes">record what goes to third parties \(<code>disclose<\/code>\); read the metrics \(<code>metrics<\/code>\)<\/td>/,
      );
      assert.match(page.body, new RegExp(`<td data-label="Created by">${admin.username}</td>`));

      const audit = await env()
        .store.db.selectFrom('audit_log')
        .select(['actor_type', 'actor_id', 'details'])
        .where('action', '=', 'security.api_key.created')
        .where('target_id', '=', made!.id)
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_type, 'staff');
      assert.equal(audit.actor_id, admin.staffId);
      assert.deepEqual(JSON.parse(audit.details), { scopes: ['disclose', 'metrics'] });
      assert.ok(!audit.details.includes(key));
    });

    it('revokes a key only after the confirmation, and audits it', async () => {
      const { id } = await env().services.identity.apiKeys.create('crm sync', null, ['marketing']);
      const ask = await post(env(), '/staff/api-keys/revoke', admin, { id });
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /data-testid="confirmation"/);
      assert.match(ask.body, /Revoke the key for crm sync/);
      assert.equal((await env().services.identity.apiKeys.list()).find((k) => k.id === id)?.revokedAt, null);

      const done = await post(env(), '/staff/api-keys/revoke', admin, { id, confirmed: 'yes' });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, `/staff/api-keys?revoked=${id}`);
      assert.notEqual(
        (await env().services.identity.apiKeys.list()).find((k) => k.id === id)?.revokedAt,
        null,
      );
      const page = await env().app.inject({
        method: 'GET',
        url: done.headers.location!,
        headers: admin.headers,
      });
      assert.match(page.body, /The key for crm sync is revoked\./);
      assert.match(page.body, /data-testid="revoked-keys"/);

      const again = await post(env(), '/staff/api-keys/revoke', admin, { id, confirmed: 'yes' });
      assert.equal(again.statusCode, 404);
      assert.match(again.body, /data-code="VOW_NOT_FOUND"/);
      const audit = await env()
        .store.db.selectFrom('audit_log')
        .select(['actor_type', 'actor_id'])
        .where('action', '=', 'security.api_key.revoked')
        .where('target_id', '=', id)
        .execute();
      assert.deepEqual(audit, [{ actor_type: 'staff', actor_id: admin.staffId }]);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
