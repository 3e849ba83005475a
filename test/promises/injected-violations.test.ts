// Violations injected as an adversary would: each case makes people the way the shop makes them
// (through the API), runs a full sweep (the store is clean for what the case looks at), then writes
// one violation straight into the store, the way a buggy shop integration, a hand edit, a partial
// restore or a bad import would (bypassing Vow's services), and expects BOTH the next incremental
// run and a full sweep to name the promise broken with a finding of that table, row and rule that
// the clean store did not have. One table (the cases in
// test/promises/injected/, by promise), one `it` per case, on every dialect.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestEnv } from '../helpers/env.js';
import { describeEachDialect } from '../helpers/env.js';
import { CASES as CONSENT } from './injected/consent.js';
import type { Want } from './injected/helpers.js';
import { CASES as INTEGRITY } from './injected/integrity.js';
import { CASES as LEDGER_TIMES } from './injected/ledger-times.js';
import { CASES as REQUESTS } from './injected/requests.js';
import { CASES as USES } from './injected/uses.js';
import { check, findings, type StoredFinding } from './support.js';

const CASES = [...USES, ...CONSENT, ...INTEGRITY, ...LEDGER_TIMES, ...REQUESTS];
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

describeEachDialect('promise monitor: injected violations, incremental and full', (env) => {
  for (const c of CASES)
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

  it('injects at least three violations of each promise checked on the store (P15: its one link)', () => {
    const per = new Map<string, number>();
    for (const c of CASES) {
      const p = c.name.split(':')[0]!;
      per.set(p, (per.get(p) ?? 0) + 1);
    }
    // P18 is proven by the browser tests, P26 by the policy itself (no row of the store holds it).
    for (const p of Object.keys(env().ctx.policy.doc.promises).filter((id) => !['P18', 'P26'].includes(id)))
      assert.ok((per.get(p) ?? 0) >= (p === 'P15' ? 1 : 3), `${p}: ${per.get(p) ?? 0} cases`);
  });
});
