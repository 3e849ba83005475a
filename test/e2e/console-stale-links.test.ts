// Console addresses that name something that is not there, or carry what the page does not take,
// say so instead of a misleading answer: a record's page with an id nothing has points to its list
// (it said "try again; tell the operator the time it happened"); the accounts page's "roles changed"
// and the API keys page's "revoked" notices name only an account or a key that is so (a hand-edited
// `?roles=nobody` said nobody's roles were changed; `?revoked=<unknown>` was shown without a word);
// and a page that takes no parameter refuses one (`/staff/people?email=…` once showed an empty search).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { consolePageAs, mainOf } from '../helpers/console-pages.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'console links to what is not there',
  (env) => {
    const get = (url: string, roles: string[]) => consolePageAs(env(), url, roles);

    it("a record's page with an id nothing has points to the list it belongs to", async () => {
      for (const [url, list] of [
        ['/staff/requests/no-such-request', '/staff/requests'],
        ['/staff/complaints/no-such-complaint', '/staff/complaints'],
        ['/staff/incidents/no-such-incident', '/staff/incidents'],
        ['/staff/incidents/no-such-incident/notify', '/staff/incidents'],
        ['/staff/imports/no-such-run', '/staff/imports'],
        ['/staff/experiments/no-such-test', '/staff/experiments'],
      ] as const) {
        const { status, main } = await get(url, ['privacy_officer', 'admin']);
        assert.equal(status, 404, url);
        assert.match(main, /<h1>Not found<\/h1>/, url);
        assert.match(main, /data-testid="record-advice"/, url);
        assert.match(main, new RegExp(`<a href="${list}" data-testid="record-list">`), url);
        assert.doesNotMatch(main, /tell the Vow operator/, url);
      }
      // A mistyped page is still "Page not found", with the menu's advice.
      const typo = await get('/staff/no-such-page', ['privacy_officer']);
      assert.equal(typo.status, 404);
      assert.match(typo.main, /<h1>Page not found<\/h1>/);
      assert.doesNotMatch(typo.main, /data-testid="record-advice"/);
    });

    it('the accounts page says roles were changed only for an account that exists', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const colleague = await staffCaller(env(), ['marketing']);
      const open = (url: string) =>
        env().app.inject({ method: 'GET', url, headers: { ...admin.headers, accept: 'text/html' } });
      const nobody = await open('/staff/accounts?roles=nobody-here');
      assert.equal(nobody.statusCode, 404);
      assert.doesNotMatch(mainOf(nobody.body), /are changed/);
      assert.match(
        mainOf(nobody.body),
        /role="alert">No staff account is named nobody-here: no roles were changed/,
      );
      const known = await open(`/staff/accounts?roles=${colleague.username}`);
      assert.equal(known.statusCode, 200);
      assert.match(mainOf(known.body), new RegExp(`The roles of ${colleague.username} are changed\\.`));
    });

    it('the API keys page says a key is revoked only when it is', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const open = (url: string) =>
        env().app.inject({ method: 'GET', url, headers: { ...admin.headers, accept: 'text/html' } });
      const unknown = await open('/staff/api-keys?revoked=no-such-key');
      assert.equal(unknown.statusCode, 404);
      assert.match(
        mainOf(unknown.body),
        /role="alert">No API key has the id no-such-key: nothing was revoked/,
      );
      const { apiKeys } = env().services.identity;
      const created = await apiKeys.create('warehouse', null, ['collect']);
      const id = (await apiKeys.list()).find((k) => k.name === 'warehouse')!.id;
      const live = await open(`/staff/api-keys?revoked=${id}`);
      assert.equal(live.statusCode, 409);
      assert.match(mainOf(live.body), /The key for warehouse is not revoked: it is still in use/);
      assert.ok(created.key);
      await apiKeys.revoke(id, null);
      const done = await open(`/staff/api-keys?revoked=${id}`);
      assert.equal(done.statusCode, 200);
      assert.match(mainOf(done.body), /role="status"[^>]*>The key for warehouse is revoked\./);
    });

    it('a page that takes no parameter refuses one, naming it, instead of ignoring it', async () => {
      for (const [url, roles] of [
        ['/staff/people?email=someone%40example.com', ['customer_service']],
        ['/staff/suppressions?page=2', ['customer_service']],
        ['/staff/log-request?type=deletion', ['customer_service']],
        ['/staff/audiences?channel=email', ['marketing']],
        ['/staff/experiments?show=all', ['marketing']],
        ['/staff/webhooks?status=failed', ['admin']],
        ['/staff/policy?version=2', ['admin']],
        ['/staff/records-of-processing?format=csv', ['auditor']],
      ] as const) {
        const { status, main } = await get(url, [...roles]);
        assert.equal(status, 400, url);
        const name = /\?([a-z]+)=/.exec(url)![1]!;
        assert.match(
          main,
          new RegExp(`<li data-name="${name}"><code>${name}</code> .*: this page does not take it`),
          url,
        );
        assert.match(main, /data-testid="address-without"|data-testid="address-list"/, url);
      }
      assert.equal((await get('/staff/people', ['customer_service'])).status, 200);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
