// The cases of test/security/api-hostile-input.test.ts: each operation of the OpenAPI document, and
// for each the requests that are wrong, derived from its own schemas and from a body that passes
// them (the values put in place of a field, the bodies that are not what they say, odd query strings
// and path parameters).
import type { TestEnv } from '../../helpers/env.js';
import { type Ids, pathValue, UUID } from './fixtures.js';

/** The parts of a JSON Schema of /openapi.json the sweeps read (this one and control-characters.test.ts). */
export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  default?: unknown;
};

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: { in: string; name: string; schema: Schema }[];
  readonly body?: Schema;
  readonly contentTypes: string[];
}

export function resolve(s: Schema | undefined): Schema {
  if (!s) return {};
  if (s.anyOf || s.oneOf) return resolve((s.anyOf ?? s.oneOf)!.filter((o) => o.type !== 'null')[0]);
  if (s.allOf) return resolve(Object.assign({}, ...s.allOf));
  return s;
}

export function typesOf(s: Schema): string[] {
  return Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
}

/** A value shaped by the schema (valid for the simple ones; the fixtures below cover the others). */
export function shaped(s0: Schema | undefined): unknown {
  const s = resolve(s0);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (typesOf(s).find((t) => t !== 'null')) {
    case 'string':
      if (s.format === 'email') return 'a@example.com';
      if (s.format === 'date') return '2026-01-01';
      if (s.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (s.format === 'uuid') return UUID;
      return 'a'.repeat(Math.max(s.minLength ?? 1, 1));
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum === undefined ? 1 : s.exclusiveMinimum + 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => shaped(s.items));
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k)) out[k] = shaped(v);
      return out;
    }
  }
}

/** One request of the sweep. */
export interface Case {
  readonly label: string;
  readonly url: string;
  readonly payload?: string;
  readonly headers?: Record<string, string>;
  /** A value no route may take (a day not on the calendar): answered 2xx, it fails the case. */
  readonly refuse?: boolean;
  /** A case changing one field of a body that is otherwise right. */
  readonly field?: boolean;
}

export const JSON_TYPE = { 'content-type': 'application/json' };

// Values put in place of a field.
export const WRONG_TYPES: unknown[] = ['x', 7, true, null, [], {}, [1, 'a'], { a: 1 }];
export const ODD_STRINGS = [
  '',
  ' ',
  'x'.repeat(100_000),
  '\uD800',
  'a\uDFFFb',
  '\uFEFFa',
  'a\u202Eb',
  'e\u0301',
  '🌸'.repeat(10),
  'a\u2028b',
  '\uFFFF',
  '０',
  'NaN',
  '-0',
  '1e308',
  'null',
  '__proto__',
];
export const ODD_NUMBERS = [1e308, -1e308, -0, 2 ** 53 + 1, 1.5, -1, 0, 2 ** 31, -(2 ** 31) - 1, 5e-324];
/** Days and instants that do not exist, or that no record can be from (the test clock says 2026). */
export const IMPOSSIBLE_DATES = [
  '2025-02-30',
  '2025-02-29',
  '2025-13-01',
  '2025-00-00',
  '2025-99-99',
  '0000-01-01',
  '0001-01-01',
  '+275760-09-13',
  '-000001-01-01',
  '2025-02-30T00:00:00Z',
  '2025-01-01T25:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
];
/** Odd but possible ones. */
export const ODD_DATES = [
  '1970-01-01',
  '1970-01-01T00:00:00Z',
  '2026-01-01T00:00:00+14:00',
  '2025-06-30T23:59:60Z',
  '20260101',
];
const ODD_PATH_VALUES = [
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(2000),
  'not-a-uuid',
  '%',
  '%ZZ',
  '%C0%AE',
  '%F0%9F%8C%B8',
  '%E2%80%AE',
  '%2E%2E',
  'a%2Fb',
  '-1',
  '1e308',
  '__proto__',
  'constructor',
  '%D8%00',
];
const ODD_QUERY_VALUES = [
  '',
  'x'.repeat(100_000),
  '%00',
  '-1',
  '1e308',
  '1.5',
  'true',
  '2026-02-30',
  '%ZZ',
  '%F0',
];

export function setAt(body: unknown, path: string[], value: unknown, remove = false): unknown {
  const copy = structuredClone(body ?? {}) as Record<string, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  if (remove) delete o[path.at(-1)!];
  else o[path.at(-1)!] = value;
  return copy;
}

/** The fields of a body (its own and those its schema declares), with their schemas, three deep. */
export function fieldsOf(
  schema: Schema,
  value: unknown,
  prefix: string[] = [],
): { path: string[]; schema: Schema }[] {
  const s = resolve(schema);
  const names = new Set([
    ...Object.keys(s.properties ?? {}),
    ...(value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []),
  ]);
  const out: { path: string[]; schema: Schema }[] = [];
  for (const k of names) {
    const sub = resolve(s.properties?.[k]);
    const v = (value as Record<string, unknown> | undefined)?.[k];
    out.push({ path: [...prefix, k], schema: sub });
    if (prefix.length < 2 && (sub.properties || (v && typeof v === 'object' && !Array.isArray(v))))
      out.push(...fieldsOf(sub, v, [...prefix, k]));
  }
  return out;
}

const DEEP = '\u0000deep\u0000';
const deepJson = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** The catalogue of body cases of one operation. */
export function bodyCases(op: Operation, base: unknown, url: string): Case[] {
  const cases: Case[] = [];
  const add = (label: string, body: unknown, refuse = false) =>
    cases.push({ label, url, payload: JSON.stringify(body), headers: JSON_TYPE, refuse, field: true });
  const raw = (label: string, payload: string, headers: Record<string, string> = JSON_TYPE) =>
    cases.push({ label, url, payload, headers });
  if (op.body) {
    const required = new Set(resolve(op.body).required ?? []);
    for (const f of fieldsOf(op.body, base)) {
      const name = f.path.join('.');
      for (const w of WRONG_TYPES) add(`${name} = ${JSON.stringify(w)}`, setAt(base, f.path, w));
      if (f.path.length > 1 || required.has(name))
        add(`${name} missing`, setAt(base, f.path, undefined, true));
      const types = typesOf(f.schema);
      if (types.includes('string') || types.length === 0) {
        for (const s of ODD_STRINGS)
          add(`${name} = ${JSON.stringify(s.slice(0, 16))} (${s.length})`, setAt(base, f.path, s));
        if (f.schema.format?.startsWith('date') || /date|_at$|On$/.test(name)) {
          for (const d of ODD_DATES) add(`${name} = ${d}`, setAt(base, f.path, d));
          for (const d of IMPOSSIBLE_DATES) add(`${name} = ${d}`, setAt(base, f.path, d), true);
        }
      }
      if (types.includes('number') || types.includes('integer') || typeof f.schema.minimum === 'number')
        for (const n of ODD_NUMBERS) add(`${name} = ${n}`, setAt(base, f.path, n));
      if (types.includes('array')) {
        const item = (getAt(base, f.path) as unknown[] | undefined)?.[0] ?? shaped(f.schema.items);
        add(
          `${name} = 10,000 items`,
          setAt(
            base,
            f.path,
            Array.from({ length: 10_000 }, () => item),
          ),
        );
        add(`${name} = the same item twice`, setAt(base, f.path, [item, item]));
      }
      // JSON.stringify cannot write 5,000 levels (its stack): the text is put in place of a marker.
      raw(
        `${name} = 5,000 levels`,
        JSON.stringify(setAt(base, f.path, DEEP)).replace(`"${DEEP}"`, deepJson(5000)),
      );
    }
    add('an unknown extra field', { ...(base as object), zzUnknown: 1 });
    const text = JSON.stringify(base);
    const proto = '"__proto__":{"admin":true}';
    raw('a __proto__ key', text === '{}' ? `{${proto}}` : text.replace(/^\{/, `{${proto},`));
    add('a constructor key', { ...(base as object), constructor: { prototype: { admin: true } } });
    const first = Object.keys((base as object) ?? {})[0];
    if (first) raw('a duplicate key', text.replace(/\}$/, `,${JSON.stringify(first)}:7}`));
    raw('5,000 levels of nesting', deepJson(5000));
    for (const b of ['[]', 'null', '"x"', '1e308', 'true']) raw(`the body ${b}`, b);
  }
  // Routes that take another media type (an import's CSV, a bounce message, a signed acknowledgement)
  // get the careless bodies in their own type too.
  for (const type of op.contentTypes.filter((t) => t !== 'application/json')) {
    const headers = { 'content-type': type };
    raw(`${type}: empty`, '', headers);
    raw(`${type}: binary`, '\u0000\u00ff\ufffd\ud800PK\u0003\u0004', headers);
    raw(`${type}: one 100,000-character line`, 'x'.repeat(100_000), headers);
    raw(`${type}: 2 MB`, 'a,b\n'.repeat(512 * 1024), headers);
  }
  raw('malformed JSON', '{"a":');
  raw('an empty JSON body', '');
  raw('text/plain', 'hello', { 'content-type': 'text/plain' });
  raw('form-urlencoded', 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' });
  raw('no content type', '{"a":1}', {});
  raw('a 2 MB body', JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }));
  raw('a UTF-16 charset', '{}', { 'content-type': 'application/json; charset=utf-16' });
  raw('a garbled content type', '{}', { 'content-type': 'application/json;;;==' });
  return cases;
}

function getAt(body: unknown, path: string[]): unknown {
  let o = body as Record<string, unknown> | undefined;
  for (const k of path) o = o?.[k] as Record<string, unknown> | undefined;
  return o;
}

/** Query string and path parameter cases of one operation. */
export function urlCases(op: Operation, ids: Ids, base: string | undefined): Case[] {
  const cases: Case[] = [];
  const payload = base;
  const headers = base === undefined ? undefined : JSON_TYPE;
  const url = fillPath(op, ids);
  for (const q of op.parameters.filter((p) => p.in === 'query')) {
    const good = encodeURIComponent(String(shaped(q.schema)));
    for (const bad of ODD_QUERY_VALUES) {
      const value = bad.startsWith('%') ? bad : encodeURIComponent(bad);
      cases.push({
        label: `?${q.name}=${bad.slice(0, 16)}`,
        url: `${url}?${q.name}=${value}`,
        payload,
        headers,
      });
    }
    cases.push({
      label: `?${q.name} twice`,
      url: `${url}?${q.name}=${good}&${q.name}=${good}`,
      payload,
      headers,
    });
    cases.push({ label: `?${q.name}[]`, url: `${url}?${q.name}[]=1&${q.name}[a]=2`, payload, headers });
  }
  cases.push({ label: 'unknown query parameters', url: `${url}?zz=1&zz=2&__proto__=1`, payload, headers });
  if (op.parameters.some((p) => p.in === 'path'))
    for (const bad of ODD_PATH_VALUES)
      cases.push({
        label: `path ${bad.slice(0, 24)}`,
        url: op.path.replace(/\{\w+\}/g, bad),
        payload,
        headers,
      });
  return cases;
}

export function fillPath(op: Operation, ids: Ids): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(pathValue(op, name, ids)));
}

/** Operations of the OpenAPI document (the promise checks' trigger aside: it runs every check). */
export async function operations(env: TestEnv): Promise<Operation[]> {
  const doc = (await env.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Operation['parameters'];
          requestBody?: { content?: Record<string, { schema: Schema }> };
        }
      >
    >;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(json && json.type !== 'string' ? { body: json } : {}),
        contentTypes: Object.keys(content),
      });
    }
  return ops;
}
