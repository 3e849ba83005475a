// Runs a table of injected violations (test/promises/injected/*.ts), one `it` per case, on every
// dialect: each case makes people the way the shop makes them (through the API), runs a full sweep
// (the store is clean for what the case looks at), then writes one violation straight into the
// store, and expects BOTH the next incremental run and a full sweep to name the promise broken with
// a finding of that table, row and rule that the clean store did not have. Shared by
// test/promises/injected-violations*.test.ts, which split the table in two files so that each
// store stays small (every sweep reads the whole store) and the two halves run side by side.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../../helpers/env.js';
import { check, findings, type StoredFinding } from '../support.js';
import type { AnyCase, Want } from './helpers.js';

const keyOf = (f: StoredFinding) => `${f.promise} ${f.table}:${f.row} ${f.rule}`;

function matches(f: StoredFinding, want: Want): boolean {
  return (
    f.promise === want.promise &&
    f.table === want.table &&
    f.rule === want.rule &&
    (want.row === undefined || f.row === want.row) &&
    (want.subject === undefined || f.values.subject === want.subject || f.row.startsWith(want.subject))
  );
}

/** Why the run missed it, or undefined when it names the promise broken with a new finding. */
async function missed(e: TestEnv, want: Want, before: ReadonlySet<string>, mode: 'incremental' | 'full') {
  const run = await check(e, mode);
  if (run.mode !== mode) return `the run was ${run.mode}, not ${mode}`;
  const all = await findings(e, { promise: want.promise });
  const found = all.filter((f) => matches(f, want) && !before.has(keyOf(f)));
  const status = run.results.find((r) => r.promise === want.promise)?.status;
  if (status !== 'broken' || found.length === 0)
    return `${mode}: ${want.promise} ${status}; no new ${want.table}${want.row ? `:${want.row}` : ''} ${want.rule} (found ${JSON.stringify(all.map(keyOf).slice(0, 8))})`;
  assert.doesNotMatch(
    JSON.stringify(found),
    /@example\.(com|org|net)|Elm Street/,
    'no personal value in evidence',
  );
  return undefined;
}

/** The suite `name` over these cases, once per dialect; `more` adds tests to it. */
export function injectedViolations(
  name: string,
  cases: readonly AnyCase[],
  more: (env: () => TestEnv) => void = () => {},
): void {
  describeEachDialect(name, (env) => {
    for (const c of cases)
      it(c.name, async () => {
        const e = env();
        const s = await c.setup(e);
        await check(e, 'full');
        const before = new Set((await findings(e)).map(keyOf));
        const want = await c.inject(e, s);
        const misses = [
          await missed(e, want, before, 'incremental'),
          await missed(e, want, before, 'full'),
        ].filter((m): m is string => m !== undefined);
        assert.deepEqual(misses, [], `${c.name}: missed`);
      });
    more(env);
  });
}
