// API keys hold scopes: a storefront's key collects and asks decisions, and nothing else; the route's
// scope comes from its family (src/http/scopes.ts), is shown in /openapi.json, and a key without it
// is answered 403 VOW_SCOPE_MISSING. Keys made before scopes existed keep every scope.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { declaredRoutes } from '../../src/http/access.js';
import { API_FAMILIES } from '../../src/http/openapi-errors.js';
import { assignScopes, FAMILY_SCOPES, scopeOf } from '../../src/http/scopes.js';
import { API_SCOPES } from '../../src/modules/identity/index.js';
import { migration } from '../../src/modules/identity/migrations/0745-api-key-scopes.js';
import { migrationKit } from '../../src/platform/store/migration-kit.js';
import { type Caller, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const DECISION = {
  subject: { kind: 'gift_recipient' },
  purpose: 'marketing.email',
  categories: ['contact.email'],
};

async function call(env: TestEnv, method: string, url: string, caller: Caller, payload?: unknown) {
  const write = method !== 'GET';
  return env.app.inject({
    method: method as 'GET',
    url,
    headers: write ? caller.writeHeaders : caller.headers,
    ...(write ? { payload: (payload ?? {}) as object } : {}),
  });
}

/** The API-key routes with their scope, as /openapi.json shows it. */
async function serviceRoutes(
  env: TestEnv,
): Promise<{ method: string; url: string; scope: string | null; hidden: boolean }[]> {
  const doc = (await env.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { 'x-vow-scope'?: string }>>;
  };
  const byRoute = new Map<string, string | undefined>();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops))
      byRoute.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, op['x-vow-scope']);
  return declaredRoutes(env.app)
    .filter((r) => r.access === 'service' && r.method !== 'HEAD')
    .map((r) => ({
      method: r.method,
      url: r.url,
      // A route the document hides (the collection forms' catch-all) has its scope all the same.
      scope: byRoute.get(`${r.method} ${r.url}`) ?? scopeOf(r.method, r.url, ''),
      hidden: !byRoute.has(`${r.method} ${r.url}`),
    }));
}

const concrete = (url: string) => url.replace(/:channel/, 'email_marketing').replace(/:[A-Za-z_]+/g, 'x');

describeEachDialect(
  'API key scopes',
  (env) => {
    let collect: Awaited<ReturnType<typeof serviceCaller>>;
    before(async () => {
      collect = await serviceCaller(env(), ['collect']);
    });

    it('lets a key with only collect decide and collect', async () => {
      const decided = await call(env(), 'POST', '/v1/decisions', collect, DECISION);
      assert.equal(decided.statusCode, 200, decided.body);
      const collected = await call(env(), 'POST', '/v1/registrations', collect, {
        account_id: 'shop-scoped',
        name: 'Scoped Person',
        email: 'scoped.person@example.com',
      });
      assert.equal(collected.statusCode, 201, collected.body);
    });

    it('answers VOW_SCOPE_MISSING, naming the scope, on what collect does not cover (also from the key cache)', async () => {
      for (const [method, url, scope] of [
        ['POST', '/v1/disclosures', 'disclose'],
        ['GET', '/v1/service/audiences/email_marketing', 'marketing'],
        ['POST', '/v1/emails/render', 'marketing'],
        ['POST', '/v1/mail/feedback', 'feedback'],
        ['POST', '/v1/sms/inbound', 'feedback'],
        ['GET', '/metrics', 'metrics'],
      ] as const) {
        // Twice: the first request reads the key's row, the second is answered from this process's cache.
        for (let i = 0; i < 2; i++) {
          const res = await call(env(), method, url, collect);
          assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
          assert.deepEqual(res.json().error.code, 'VOW_SCOPE_MISSING');
          assert.deepEqual(res.json().error.details, { scope, keyScopes: ['collect'] });
        }
      }
    });

    it('lets a key through a public route, which needs no scope (a shop server filing a request for a shopper)', async () => {
      const decide = await serviceCaller(env(), ['decide']);
      const publicWrites = declaredRoutes(env().app).filter(
        (r) => r.access === 'public' && r.method === 'POST' && r.url.startsWith('/v1/'),
      );
      assert.ok(publicWrites.some((r) => r.url === '/v1/requests'));
      const filed = await call(env(), 'POST', '/v1/requests', decide, {
        type: 'access',
        jurisdiction: 'eea',
        email: 'scoped.shopper@example.com',
      });
      assert.equal(filed.statusCode, 202, filed.body);
      // No public route refuses a key for a scope it cannot name.
      for (const r of publicWrites) {
        const res = await call(env(), r.method, concrete(r.url), decide);
        assert.notEqual(res.json().error?.code, 'VOW_SCOPE_MISSING', `${r.method} ${r.url}: ${res.body}`);
        assert.ok(res.statusCode < 500, `${r.method} ${r.url}: ${res.body}`);
      }
    });

    it('never opens a staff or shopper route (rights, audit, erasure) to a key, whatever its scopes', async () => {
      const all = await serviceCaller(env(), ['all']);
      const closed = declaredRoutes(env().app).filter(
        (r) => r.method !== 'HEAD' && (r.access === 'shopper' || r.access.startsWith('staff:')),
      );
      assert.ok(
        closed.some((r) => r.url === '/v1/audit') &&
          closed.some((r) => r.url.startsWith('/v1/staff/requests/')),
      );
      for (const caller of [collect, all])
        for (const r of closed) {
          const res = await call(env(), r.method, concrete(r.url), caller);
          assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.body}`);
          assert.equal(res.json().error.code, 'VOW_FORBIDDEN');
        }
    });

    it('admits each API-key route with its scope alone and refuses it with every other scope', async () => {
      const routes = await serviceRoutes(env());
      assert.ok(routes.length >= 8, `only ${routes.length} API-key routes`);
      const keys = new Map<string, Caller>();
      for (const scope of API_SCOPES) keys.set(scope, await serviceCaller(env(), [scope]));
      for (const r of routes) {
        assert.ok(r.scope, `${r.method} ${r.url} shows no x-vow-scope`);
        assert.equal(r.hidden, r.url === '/v1/collection-points/:id/submissions');
        const url = concrete(r.url);
        for (const held of API_SCOPES) {
          const res = await call(env(), r.method, url, keys.get(held)!);
          const covers =
            held === 'all' ||
            held === r.scope ||
            (r.scope === 'decide' && ['collect', 'disclose', 'marketing'].includes(held));
          if (covers) assert.notEqual(res.statusCode, 403, `${held} on ${r.method} ${url}: ${res.body}`);
          else {
            assert.equal(res.statusCode, 403, `${held} on ${r.method} ${url}: ${res.body}`);
            assert.equal(res.json().error.code, 'VOW_SCOPE_MISSING');
            assert.equal(res.json().error.details.scope, r.scope);
          }
        }
      }
    });

    it('lists VOW_SCOPE_MISSING among the 403 answers of API-key routes only, and x-vow-scope only on them', async () => {
      const doc = (await env().app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
        paths: Record<
          string,
          Record<string, { 'x-vow-scope'?: string; responses: Record<string, { description?: string }> }>
        >;
      };
      const service = new Set(
        declaredRoutes(env().app)
          .filter((r) => r.access === 'service')
          .map((r) => `${r.method.toLowerCase()} ${r.url}`),
      );
      let seen = 0;
      for (const [path, ops] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(ops)) {
          const isService = service.has(`${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
          // The error answers are documented for the /v1 API (not /metrics).
          const listed = op.responses['403']?.description?.includes('VOW_SCOPE_MISSING') ?? false;
          if (path.startsWith('/v1/')) assert.equal(listed, isService, `${method} ${path}`);
          assert.equal(op['x-vow-scope'] !== undefined, isService, `${method} ${path}`);
          if (isService) seen++;
        }
      assert.ok(seen >= 7);
    });

    it('creates keys only with known scopes, at least one; all stands alone', async () => {
      const keys = env().services.identity.apiKeys;
      await assert.rejects(keys.create('no scopes', null, []), { code: 'VOW_VALIDATION' });
      await assert.rejects(keys.create('bad scope', null, ['collect', 'admin']), { code: 'VOW_VALIDATION' });
      assert.deepEqual((await keys.create('wide', null, ['collect', 'all'])).scopes, ['all']);
      assert.deepEqual((await keys.create('two', null, ['marketing', 'decide', 'decide'])).scopes, [
        'decide',
        'marketing',
      ]);
    });

    it('creates a key over the staff API only with scopes, and lists them', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const refused = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/api-keys',
        headers: admin.bearer.writeHeaders,
        payload: { name: 'warehouse' },
      });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.code, 'VOW_VALIDATION');
      const made = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/api-keys',
        headers: admin.bearer.writeHeaders,
        payload: { name: 'warehouse', scopes: ['disclose'] },
      });
      assert.equal(made.statusCode, 201, made.body);
      assert.deepEqual(made.json().scopes, ['disclose']);
      const listed = await env().app.inject({
        method: 'GET',
        url: '/v1/staff/api-keys',
        headers: admin.bearer.headers,
      });
      const mine = (listed.json().keys as { id: string; scopes: string[]; createdBy: string | null }[]).find(
        (k) => k.id === made.json().id,
      );
      assert.deepEqual(mine?.scopes, ['disclose']);
      assert.equal(mine?.createdBy, admin.staffId);
      const key = { authorization: `Bearer ${made.json().key}` };
      const caller = { headers: key, writeHeaders: key };
      assert.equal((await call(env(), 'POST', '/v1/decisions', caller, DECISION)).statusCode, 200);
      assert.equal(
        (await call(env(), 'POST', '/v1/registrations', caller)).json().error.code,
        'VOW_SCOPE_MISSING',
      );
    });

    it('gives keys made before scopes every scope (migration 0745)', async () => {
      const db = env().store.db;
      const old = await serviceCaller(env(), ['decide']);
      // The table as it was: no scopes column (its rows, this key's among them, kept).
      await sql`alter table api_keys drop column scopes`.execute(db);
      await migration.up(db, migrationKit(env().dialect));
      const row = await db
        .selectFrom('api_keys')
        .select('scopes')
        .where('id', '=', old.keyId)
        .executeTakeFirstOrThrow();
      assert.equal(row.scopes, 'all');
      // Not used before the migration, so read afresh: it passes every API-key route.
      for (const r of await serviceRoutes(env())) {
        const res = await call(env(), r.method, concrete(r.url), old);
        assert.notEqual(res.statusCode, 403, `${r.method} ${r.url}: ${res.body}`);
      }
    });
  },
  { auth: 'enforced', rateLimits: false },
);

describe('the scope table', () => {
  it('gives every route family a scope or null', () => {
    for (const family of API_FAMILIES) assert.ok(family in FAMILY_SCOPES, family);
  });

  it('stops Vow at start for an API-key route in a family without a scope, or a family it does not know', async () => {
    const app = Fastify();
    assignScopes(app);
    assert.throws(
      () =>
        app.post(
          '/v1/requests/x',
          { config: { access: 'service' }, schema: { tags: ['rights'] } },
          async () => ({}),
        ),
      /family "rights" gives them no scope/,
    );
    assert.throws(
      () =>
        app.get(
          '/v1/new',
          { config: { access: 'staff:admin' }, schema: { tags: ['brand-new'] } },
          async () => ({}),
        ),
      /add its family "brand-new" to FAMILY_SCOPES/,
    );
    await app.close();
  });
});
