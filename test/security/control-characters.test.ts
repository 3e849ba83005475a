// Control characters are refused at the edge with VOW_VALIDATION, on every JSON endpoint the OpenAPI
// document declares: NUL in a string once reached PostgreSQL and answered 500 with a stack (12
// endpoints, one of them public). For each operation, each part (path parameters, query string,
// body) is sent with NUL in every string it declares, the rest valid-shaped; the answer must be 400
// naming each of those strings. Free text allows tabs and line breaks, and nothing else.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { line, prose } from '../../src/platform/strings.js';
import { describeEachDialect } from '../helpers/env.js';
import type { Schema } from './hostile-input/cases.js';

const NUL = '\u0000';

/** A string that meets the length limits and holds a NUL. */
function nulString(s: Schema): string {
  if (s.format === 'email') return `a${NUL}b@example.com`;
  if (s.format === 'date') return `2026-01-0${NUL}`;
  if (s.format === 'date-time') return `2026-01-01T00:00:00${NUL}Z`;
  const min = Math.max(s.minLength ?? 1, 2);
  return `${'a'.repeat(min - 1)}${NUL}`;
}

/**
 * A value of the schema with NUL in every string it can hold; `paths` collects the JSON pointers
 * of those strings (as VOW_VALIDATION names them).
 */
function sample(s: Schema, path: string, paths: string[]): unknown {
  if (s.anyOf || s.oneOf) {
    const options = (s.anyOf ?? s.oneOf)!.filter((o) => o.type !== 'null');
    return sample(options[0] ?? {}, path, paths);
  }
  if (s.allOf) return sample(Object.assign({}, ...s.allOf), path, paths);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      paths.push(path || '/');
      return nulString(s);
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, (_, i) =>
        sample(s.items ?? {}, `${path}/${i}`, paths),
      );
    case 'object':
    case undefined: {
      if (!s.properties && !s.additionalProperties) return type === 'object' ? {} : 'x';
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sample(v, `${path}/${k}`, paths);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        // A record: a key holding NUL (refused as a whole: its issue names the record).
        const key = `k${NUL}`;
        out[key] = sample(s.additionalProperties, `${path}/${key}`, []);
        paths.push(path || '/');
      }
      return out;
    }
    default:
      return null;
  }
}

interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; schema: Schema; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
}

describeEachDialect('control characters at the edge', (env) => {
  it('has one helper: a line refuses every control character, free text keeps tabs and line breaks', () => {
    for (const c of [NUL, '\u0001', '\u0008', '\u001b', '\u007f', '\u0085', '\u009b'])
      assert.equal(line().safeParse(`a${c}b`).success, false, JSON.stringify(c));
    for (const c of ['\t', '\n', '\r']) {
      assert.equal(line().safeParse(`a${c}b`).success, false, JSON.stringify(c));
      assert.equal(prose().safeParse(`a${c}b`).success, true, JSON.stringify(c));
    }
    assert.equal(prose().safeParse(`a${NUL}b`).success, false);
    assert.equal(line().safeParse('Zoë — 東京 🌸').success, true, 'any other text is fine');
    // Half of a surrogate pair (JSON can carry "\ud800") became U+FFFD once written as UTF-8.
    for (const lone of ['\ud800', 'a\udbffb', '\udc00', 'x\udfff', '🌸'.slice(0, 1), '🌸'.slice(1)]) {
      assert.equal(line().safeParse(lone).success, false, JSON.stringify(lone));
      assert.equal(prose().safeParse(lone).success, false, JSON.stringify(lone));
    }
    assert.equal(prose().safeParse('🌸\n💎').success, true, 'whole pairs are text');
  });

  it('refuses a lone surrogate on the hot routes and the forms, and stores nothing of it', async () => {
    const post = (url: string, payload: string) =>
      env().app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
    // Escaped in the JSON text, as a client sending one would.
    const decision = await post(
      '/v1/decisions',
      '{"subject":{"kind":"customer"},"purpose":"order.fulfilment\\ud800","categories":["contact.email"]}',
    );
    assert.equal(decision.statusCode, 400, decision.body);
    assert.equal(decision.json().error.code, 'VOW_VALIDATION');
    const entry = await post(
      '/v1/contest-entries',
      '{"email":"lone.surrogate@example.com","name":"Ann \\udc00"}',
    );
    assert.equal(entry.statusCode, 400, entry.body);
    assert.equal(entry.json().error.code, 'VOW_VALIDATION');
    assert.match(entry.body, /surrogate/);
    const found = await env().services.subjects.findByEmail('lone.surrogate@example.com');
    assert.equal(found, undefined, 'nobody was stored');
    const fine = await post(
      '/v1/contest-entries',
      '{"email":"whole.pair@example.com","name":"Ann \\ud83c\\udf38"}',
    );
    assert.equal(fine.statusCode, 201, fine.body);
  });

  it('refuses NUL in every string of every JSON endpoint of the OpenAPI document with 400, never 500', async () => {
    const doc = (await env().app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
    };
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods))
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
          operations.push({ method, path, ...op });
    assert.ok(operations.length > 80, `${operations.length} operations`);
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path');
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      const jsonBody = op.requestBody?.content?.['application/json']?.schema;
      // A raw body verified as received (a signed acknowledgement) is not a JSON document of
      // fields: its signature refuses any byte changed, NUL included.
      const body = jsonBody?.type === 'string' ? undefined : jsonBody;
      // Valid-shaped values for the parts not under test.
      const fillPath = (nul: boolean) =>
        op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          const p = params.find((x) => x.name === name);
          return encodeURIComponent(
            nul ? nulString(p?.schema ?? {}) : 'a'.repeat(Math.max(20, p?.schema.minLength ?? 1)),
          );
        });
      const parts: { part: string; url: string; payload?: unknown; expect: string[] }[] = [];
      if (params.some((p) => (p.schema.type === 'string' || !p.schema.type) && !p.schema.enum))
        parts.push({
          part: 'params',
          url: fillPath(true),
          payload: body ? {} : undefined,
          expect: params.filter((p) => !p.schema.enum).map((p) => `/${p.name}`),
        });
      const queryStrings = query.filter(
        (q) => (q.schema.type === 'string' || !q.schema.type) && !q.schema.enum,
      );
      if (queryStrings.length > 0)
        parts.push({
          part: 'querystring',
          url: `${fillPath(false)}?${queryStrings.map((q) => `${q.name}=${encodeURIComponent(nulString(q.schema))}`).join('&')}`,
          payload: body ? {} : undefined,
          expect: queryStrings.map((q) => `/${q.name}`),
        });
      if (body) {
        const paths: string[] = [];
        const payload = sample(body, '', paths);
        if (paths.length > 0) parts.push({ part: 'body', url: fillPath(false), payload, expect: paths });
      }
      for (const part of parts) {
        sent++;
        const res = await env().app.inject({
          method: op.method.toUpperCase() as 'GET',
          url: part.url,
          ...(part.payload === undefined ? {} : { payload: part.payload as object }),
        });
        const where = `${op.method.toUpperCase()} ${op.path} (${part.part})`;
        if (res.statusCode !== 400) {
          failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 160)}`);
          continue;
        }
        if (!String(res.headers['content-type']).startsWith('application/json')) {
          failures.push(`${where}: 400 without the error body (the handler ran)`);
          continue;
        }
        const error = res.json().error as { code: string; details?: { issues?: { path: string }[] } };
        if (error.code !== 'VOW_VALIDATION') {
          failures.push(`${where}: ${error.code}`);
          continue;
        }
        const named = new Set((error.details?.issues ?? []).map((i) => i.path));
        const missed = part.expect.filter((p) => ![...named].some((n) => n === p || n.startsWith(`${p}/`)));
        if (missed.length > 0) failures.push(`${where}: NUL let through at ${missed.join(', ')}`);
      }
    }
    assert.ok(sent > 60, `${sent} requests sent`);
    assert.deepEqual(failures, []);
  });
});
