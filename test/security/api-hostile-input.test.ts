// Hostile and careless input on every operation of the OpenAPI document: each must be refused with a
// 4xx and the one error body (a `code` that docs/errors.md lists), never a 5xx, and a refused write
// must leave every table as it was. Inputs are derived from each operation's own schemas (and, for
// the routes that write, from a body that passes them, so a wrong field reaches past the others):
// each field retyped, removed, emptied, 100,000 characters long, odd Unicode, odd numbers, dates that
// do not exist, 10,000-item arrays, deep nesting; `__proto__`, `constructor` and duplicate keys; bodies
// that are not what their content type says; repeated and oversized query parameters; odd path
// parameters. A fixed catalogue of such cases runs on every operation, then fast-check draws further
// combinations of them (fixed seed, bounded runs). Run as an authorised caller (the test principal)
// and anonymously (real access control, where only the public routes get past the access check).
// A day or instant that cannot be meant (2025-02-30, 2025-99-99, year 1, 9999) must not be taken at
// all: each was stored once, with deadlines or retention counted from it. Pages may answer a GET
// with an HTML page; a failed credential check is counted, and a failed identity check audited, on
// purpose (the only writes a refusal makes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import {
  bodyCases,
  type Case,
  fieldsOf,
  fillPath,
  IMPOSSIBLE_DATES,
  JSON_TYPE,
  ODD_DATES,
  ODD_NUMBERS,
  ODD_STRINGS,
  type Operation,
  operations,
  setAt,
  shaped,
  urlCases,
  WRONG_TYPES,
} from './hostile-input/cases.js';
import { FIXTURES, type Ids, makeIds, UUID } from './hostile-input/fixtures.js';

/** Every code docs/errors.md documents. */
const CODES = new Set(
  [
    ...readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^## (VOW_\w+)$/gm),
  ].map((m) => m[1]!),
);

const SEED = 20_261_205;

/** The tables and the query counting their rows, per environment. */
const COUNTERS = new WeakMap<TestEnv, { tables: string[]; query: string }>();

/**
 * One query counting the rows of every table, made once per environment: on PostgreSQL a function
 * in the suite's throw-away database, whose plan is kept (a 66-table union was planned anew each
 * time, 2 to 4 ms a count, twice as long as the requests).
 */
async function counter(env: TestEnv): Promise<{ tables: string[]; query: string }> {
  let made = COUNTERS.get(env);
  if (made === undefined) {
    const sqlite = env.store.dialect === 'sqlite';
    const found = sqlite
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(env.store.db)
      : await sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(env.store.db);
    const tables = found.rows.map((t) => t.name);
    const counts = tables.map((t) => `(select count(*) from "${t}")`);
    if (sqlite) made = { tables, query: `select ${counts.map((c, i) => `${c} as c${i}`).join(', ')}` };
    else {
      await sql
        .raw(`create or replace function hostile_row_counts() returns bigint[] language plpgsql stable
          as $$ begin return array[${counts.join(', ')}]; end $$`)
        .execute(env.store.db);
      made = { tables, query: 'select hostile_row_counts() as n' };
    }
    COUNTERS.set(env, made);
  }
  return made;
}

/** Row counts of every table (the store as a refused write must leave it). */
async function rowCounts(env: TestEnv): Promise<Map<string, number>> {
  const { tables, query } = await counter(env);
  const row = (await sql.raw<Record<string, unknown>>(query).execute(env.store.db)).rows[0] ?? {};
  const values = Array.isArray(row.n) ? row.n : tables.map((_t, i) => row[`c${i}`]);
  return new Map(tables.map((t, i) => [t, Number(values[i])]));
}

/**
 * Tables a refusal writes on purpose: a failed log-in or code is counted (the lock-out's counter,
 * docs/security.md), whatever made it fail.
 */
const COUNTED_ON_REFUSAL = new Set(['attempt_counters']);

/** And per route: staff's failed identity check is audited (request.verification_failed). */
const AUDITED_ON_REFUSAL: Record<string, string> = {
  'POST /v1/staff/requests/{id}/verify-data-points': 'audit_log',
};

/** Pages answer a browser's GET with a page, refusals included; everything else answers JSON. */
const answersJson = (op: Operation) => op.path.startsWith('/v1/') || op.method !== 'GET';

/**
 * The row counts after the last write case, which the next one starts from (half the counting);
 * any other request forgets them (a GET may write: a view is audited).
 */
const LAST_COUNTS = new WeakMap<TestEnv, Map<string, number>>();

async function check(env: TestEnv, op: Operation, c: Case, failures: string[]): Promise<void> {
  const write = op.method !== 'GET';
  const before = write ? (LAST_COUNTS.get(env) ?? (await rowCounts(env))) : undefined;
  LAST_COUNTS.delete(env);
  const where = `${op.method} ${op.path} [${c.label}]`;
  const res = await env.app.inject({
    method: op.method as 'GET',
    url: c.url,
    ...(c.payload === undefined ? {} : { payload: c.payload }),
    headers: c.headers ?? {},
  });
  const after = write ? await rowCounts(env) : undefined;
  if (after) LAST_COUNTS.set(env, after);
  if (res.statusCode >= 500) {
    failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return;
  }
  if (res.statusCode < 400) {
    if (c.refuse) failures.push(`${where}: ${res.statusCode}, taken`);
    return;
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) {
    if (answersJson(op) || !type.startsWith('text/html'))
      failures.push(`${where}: ${res.statusCode} ${type}`);
    return;
  }
  let code: unknown;
  try {
    code = (res.json() as { error?: { code?: unknown } }).error?.code;
  } catch {
    failures.push(`${where}: ${res.statusCode} with a body that is not JSON`);
    return;
  }
  if (typeof code !== 'string' || !CODES.has(code)) {
    failures.push(
      `${where}: ${res.statusCode} ${String(code)} (not in docs/errors.md) ${res.body.slice(0, 160)}`,
    );
    return;
  }
  if (before && after) {
    const audited = AUDITED_ON_REFUSAL[`${op.method} ${op.path}`];
    const changed = [...after].filter(
      ([t, n]) => before.get(t) !== n && !COUNTED_ON_REFUSAL.has(t) && t !== audited,
    );
    if (changed.length > 0)
      failures.push(
        `${where}: ${res.statusCode} ${code} yet wrote ${changed.map(([t, n]) => `${t} ${before.get(t)}->${n}`).join(', ')}`,
      );
  }
}

/** Whether the route refuses an anonymous caller (VOW_UNAUTHENTICATED) a body that is right. */
async function closedToAnonymous(env: TestEnv, op: Operation, url: string, base: unknown): Promise<boolean> {
  LAST_COUNTS.delete(env);
  const res = await env.app.inject({
    method: op.method as 'GET',
    url,
    ...(base === undefined || op.method === 'GET'
      ? {}
      : { payload: JSON.stringify(base), headers: JSON_TYPE }),
  });
  return res.statusCode === 401;
}

function sweep(anonymous: boolean) {
  return (env: () => TestEnv) => {
    let ids: Ids;
    let ops: Operation[];
    const skip = (op: Operation) => op.path === '/v1/promises/check';

    it('lists the operations and makes the resources their paths name', async () => {
      ops = (await operations(env())).filter((op) => !skip(op));
      assert.ok(ops.length > 100, `${ops.length} operations`);
      if (anonymous) {
        ids = {
          subject: UUID,
          order: 'SO-0',
          experiment: 'none',
          request: UUID,
          requestToken: 'a'.repeat(32),
          complaint: UUID,
          complaintToken: 'a'.repeat(32),
          webhook: UUID,
          apiKey: UUID,
          staff: 'nobody',
          consentVersion: 'x',
        };
      } else ids = await makeIds(env());
    });

    it('refuses every case of the catalogue with a 4xx and a documented code, writing nothing', async () => {
      LAST_COUNTS.delete(env());
      const failures: string[] = [];
      const swept = new Set<string>();
      let sent = 0;
      for (const op of ops) {
        const url = fillPath(op, ids);
        const fixture = FIXTURES[`${op.method} ${op.path}`];
        const base = fixture ? fixture(ids) : op.body ? shaped(op.body) : undefined;
        let cases = [
          ...(op.method === 'GET' ? [] : bodyCases(op, base, url)),
          ...urlCases(op, ids, base === undefined ? undefined : JSON.stringify(base)),
        ];
        // Anonymously, a route that is not public refuses before it reads the body: its fields'
        // cases would all take the same path, so it gets the bodies and addresses that are wrong
        // as a whole (those are read before the access check).
        if (anonymous && cases.length > 0 && (await closedToAnonymous(env(), op, url, base)))
          cases = cases.filter((c) => !c.field);
        // A form's second address (/v1/collection-points/checkout/submissions for /v1/orders) runs
        // the same schema and code: its fields' cases ran once already.
        const schema = JSON.stringify(op.body ?? null);
        if (op.body && swept.has(schema)) cases = cases.filter((c) => !c.field);
        swept.add(schema);
        for (const c of cases) {
          sent++;
          await check(env(), op, c, failures);
        }
      }
      assert.ok(sent > (anonymous ? 3000 : 5000), `${sent} cases`);
      assert.equal(
        failures.length,
        0,
        `${failures.length} failed of ${sent}:\n${failures.slice(0, 60).join('\n')}`,
      );
    });

    it('refuses what fast-check draws from the same ingredients, combined', async () => {
      LAST_COUNTS.delete(env());
      const failures: string[] = [];
      const withBody = ops.filter((op) => op.body && op.method !== 'GET');
      const oddValue = fc.oneof(
        fc.constantFrom(...WRONG_TYPES, ...ODD_STRINGS, ...ODD_NUMBERS, ...ODD_DATES, ...IMPOSSIBLE_DATES),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.double(),
        fc.integer(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.jsonValue({ maxDepth: 4 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...withBody),
          fc.array(fc.tuple(fc.nat(), oddValue, fc.boolean()), { minLength: 1, maxLength: 4 }),
          async (op, changes) => {
            const fixture = FIXTURES[`${op.method} ${op.path}`];
            let body = fixture ? fixture(ids) : shaped(op.body);
            const fields = fieldsOf(op.body!, body);
            for (const [i, value, remove] of changes) {
              const f = fields[i % fields.length];
              if (f) body = setAt(body, f.path, value, remove && i % 5 === 0);
            }
            const before = failures.length;
            await check(
              env(),
              op,
              {
                label: JSON.stringify(body).slice(0, 300),
                url: fillPath(op, ids),
                payload: JSON.stringify(body),
                headers: JSON_TYPE,
              },
              failures,
            );
            return failures.length === before;
          },
        ),
        { seed: SEED, numRuns: 400, endOnFailure: true },
      );
      assert.equal(failures.length, 0, failures.join('\n'));
    });
  };
}

describeEachDialect('hostile input on every operation, as an authorised caller', sweep(false));
describeEachDialect('hostile input on every operation, anonymously', sweep(true), {
  auth: 'enforced',
  rateLimits: false,
});
