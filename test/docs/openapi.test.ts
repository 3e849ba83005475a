// The OpenAPI document Vow serves (/openapi.json) describes every /v1 route: its request (body, path
// parameters), its answers with their schemas, and its error answers (the one error body, with the
// codes behind each status, all of them in the registry). docs/*.md name every /v1 route and no route
// that does not exist; the curl examples' calls are checked against the document in examples.test.ts.
// A wrong method on an existing path answers 405 VOW_METHOD_NOT_ALLOWED with Allow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ERROR_CODES } from '../../src/app/error-registry.js';
import { declaredRoutes } from '../../src/http/access.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { type OpenApi, operationOf, templateOf } from './openapi.js';

/** POST routes that take no body: an action on the resource their path names. */
const BODILESS = new Set([
  'POST /v1/experiments/{id}/stop',
  'POST /v1/promises/check',
  'POST /v1/staff/totp/setup',
  'POST /v1/webhooks/{id}/rotate',
  'POST /v1/webhooks/deliveries/{id}/retry',
]);

/** The pages that document the API, where every /v1 route must be named. */
const PAGES = ['docs/api.md', 'docs/consent-script.md', 'docs/datasets.md', 'docs/import.md'];

let env: (TestEnv & { close: () => Promise<void> }) | undefined;
let doc: OpenApi;

before(async () => {
  env = await createTestEnv('sqlite', { auth: 'enforced', rateLimits: false });
  doc = (await env.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi;
});
after(async () => {
  await env?.close();
});

function operations(): { key: string; path: string; method: string; op: OpenApi['paths'][string][string] }[] {
  return Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/v1/'))
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        path,
        method: method.toUpperCase(),
        op,
      })),
    );
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI document', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it('describes every /v1 route, and only those', () => {
    const routes = new Set(
      declaredRoutes(env!.app)
        .filter((r) => r.url.startsWith('/v1/') && r.method !== 'HEAD' && r.method !== 'OPTIONS')
        .map((r) => `${r.method} ${templateOf(r.url)}`)
        // The generic address of every form is described once per form of the policy in force.
        .filter((r) => r !== 'POST /v1/collection-points/{id}/submissions'),
    );
    const described = new Set(operations().map((o) => o.key));
    assert.deepEqual(
      [...routes].filter((r) => !described.has(r)),
      [],
      'routes missing from /openapi.json',
    );
    assert.deepEqual(
      [...described].filter((r) => !routes.has(r)),
      [],
      'operations without a route',
    );
  });

  it('gives each route its request schemas: a body for each write, each path parameter', () => {
    const problems: string[] = [];
    for (const { key, path, method, op } of operations()) {
      const writes = ['POST', 'PUT', 'PATCH'].includes(method);
      if (writes && !BODILESS.has(key) && !op.requestBody) problems.push(`${key}: no request body schema`);
      if (BODILESS.has(key) && op.requestBody) problems.push(`${key}: has a body now (not BODILESS)`);
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const p of params)
        if (!op.parameters?.some((x) => x.in === 'path' && x.name === p))
          problems.push(`${key}: path parameter ${p} undescribed`);
    }
    assert.deepEqual(problems, []);
  });

  it('gives each route its answers with their schemas, and its error answers with their codes', () => {
    const problems: string[] = [];
    const access = new Map(
      declaredRoutes(env!.app).map((r) => [`${r.method} ${templateOf(r.url)}`, r.access]),
    );
    for (const { key, path, op } of operations()) {
      const statuses = Object.keys(op.responses ?? {}).map(Number);
      const ok = statuses.filter((s) => s >= 200 && s < 300);
      if (ok.length === 0) problems.push(`${key}: no success answer`);
      for (const s of ok)
        if (s !== 204 && !op.responses[s]!.content) problems.push(`${key}: answer ${s} without a schema`);
      const errors = statuses.filter((s) => s >= 400);
      for (const s of errors) {
        const r = op.responses[s]!;
        const ref = r.content?.['application/json']?.schema?.$ref;
        if (ref !== '#/components/schemas/VowError') problems.push(`${key}: ${s} is not the error body`);
        const codes = [...(r.description ?? '').matchAll(/VOW_[A-Z0-9_]+/g)].map((m) => m[0]);
        if (codes.length === 0) problems.push(`${key}: ${s} names no code`);
        for (const c of codes)
          if ((ERROR_CODES as Record<string, { status: number }>)[c]?.status !== s)
            problems.push(`${key}: ${s} names ${c}, which is not a ${s}`);
      }
      const needed = [500];
      if (op.requestBody || op.parameters?.length) needed.push(400);
      if (access.get(key) !== 'public') needed.push(401, 403);
      if (/\{\w+\}/.test(path)) needed.push(404);
      for (const s of needed) if (!errors.includes(s)) problems.push(`${key}: no ${s} answer`);
    }
    assert.deepEqual(problems, []);
  });

  it("lists each route's own codes only: every one registered and explained in docs/errors.md", () => {
    const explained = new Set(
      [...readFileSync('docs/errors.md', 'utf8').matchAll(/^## (VOW_[A-Z0-9_]+)$/gm)].map((m) => m[1]),
    );
    const problems: string[] = [];
    const listed = new Map<string, Set<string>>();
    for (const { key, op } of operations()) {
      const codes = Object.entries(op.responses ?? {})
        .filter(([s]) => Number(s) >= 400)
        .flatMap(([, r]) => [...(r.description ?? '').matchAll(/VOW_[A-Z0-9_]+/g)].map((m) => m[0]));
      listed.set(key, new Set(codes));
      for (const c of codes) {
        if (!(c in ERROR_CODES)) problems.push(`${key}: ${c} is not a registered code`);
        if (!explained.has(c)) problems.push(`${key}: ${c} is not explained in docs/errors.md`);
      }
    }
    assert.deepEqual(problems, []);
    // Exact, not a family's codes: a route lists what it raises, and not what only its siblings do.
    const has = (key: string, code: string) => listed.get(key)?.has(code) ?? false;
    assert.ok(has('POST /v1/webhooks', 'VOW_WEBHOOK_URL_INVALID'));
    assert.ok(!has('GET /v1/webhooks', 'VOW_WEBHOOK_URL_INVALID'), 'a list does not raise a URL refusal');
    assert.ok(has('POST /v1/orders', 'VOW_ORDER_CONFLICT'));
    assert.ok(
      !has('POST /v1/registrations', 'VOW_ORDER_CONFLICT'),
      "an order's conflict is not a registration's",
    );
    assert.ok(!has('GET /v1/staff/requests/{id}', 'VOW_VERIFICATION_FAILED'));
    // A body sent to a write without a body schema is still read: its refusals are listed.
    assert.ok(has('POST /v1/webhooks/{id}/rotate', 'VOW_BAD_JSON'));
    assert.ok(has('DELETE /v1/webhooks/{id}', 'VOW_UNSUPPORTED_MEDIA_TYPE'));
  });

  it('lists 410 VOW_SUBJECT_SHREDDED where a write about a deleted person is refused', () => {
    const paths = operations();
    for (const key of ['POST /v1/disclosures', 'POST /v1/emails/render', 'POST /v1/requests']) {
      const op = paths.find((o) => o.key === key)?.op;
      assert.ok(op, `${key} is described`);
      assert.match(op.responses[410]?.description ?? '', /VOW_SUBJECT_SHREDDED/, key);
    }
  });

  it('names each route in the API pages, and no route that does not exist', () => {
    const text = PAGES.map((p) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8'))
      .join('\n')
      // A value taken from an earlier answer (`$(jq -r .id x.json)`) is one segment.
      .replace(/\$\([^)]*\)/g, '$X');
    const mentioned = [...text.matchAll(/\/v1\/[^\s`'"|)\]]*/g)].map((m) => m[0].replace(/[.,:;]+$/, ''));
    // The generic address of every form, whatever forms the policy in force declares.
    const known = [...Object.keys(doc.paths), '/v1/collection-points/{id}/submissions'];
    const unnamed = Object.keys(doc.paths)
      .filter((p) => p.startsWith('/v1/') && !p.startsWith('/v1/collection-points/'))
      .filter((p) => !mentioned.some((m) => operationOf({ [p]: {} }, m) !== undefined));
    assert.deepEqual(unnamed, [], `name these routes in ${PAGES.join(', ')}`);
    const paths = Object.fromEntries(known.map((p) => [p, {}]));
    const unknown = mentioned.filter(
      (m) => operationOf(paths, m) === undefined && !/^\/v1\/collection-points\/\w+\/submissions$/.test(m),
    );
    assert.deepEqual([...new Set(unknown)], [], 'the pages name routes Vow does not have');
  });
});

describe('a wrong method on an existing path', () => {
  it('answers 405 VOW_METHOD_NOT_ALLOWED with the methods it takes; an unknown path stays 404', async () => {
    for (const [method, url, allow] of [
      ['GET', '/v1/decisions', 'POST'],
      ['PUT', '/v1/staff/requests', 'GET, HEAD, POST'],
      ['GET', '/v1/webhooks/whep_1', 'DELETE'],
    ] as const) {
      const res = await env!.app.inject({ method, url });
      assert.equal(res.statusCode, 405, `${method} ${url}: ${res.body}`);
      assert.equal(res.headers.allow, allow, url);
      assert.equal(res.json().error.code, 'VOW_METHOD_NOT_ALLOWED');
      assert.deepEqual(res.json().error.details, { allow: allow.split(', ') });
    }
    const none = await env!.app.inject({ method: 'GET', url: '/v1/no-such-thing' });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, 'VOW_NOT_FOUND');
  });
});
