// Violations injected as an adversary would (test/promises/injected/run.ts says how each case runs):
// a buggy shop integration, a hand edit, a partial restore or a bad import writes one violation
// straight into the store, and both the next incremental run and a full sweep must name it. This
// file: the uses of data and consent (test/promises/injected/uses.ts, consent.ts), and the check
// that the whole table injects at least three violations of each promise checked on the store;
// injected-violations-store.test.ts: integrity, the ledger's times and requests.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CASES as CONSENT } from './injected/consent.js';
import { CASES as INTEGRITY } from './injected/integrity.js';
import { CASES as LEDGER_TIMES } from './injected/ledger-times.js';
import { CASES as REQUESTS } from './injected/requests.js';
import { injectedViolations } from './injected/run.js';
import { CASES as USES } from './injected/uses.js';

const ALL = [...USES, ...CONSENT, ...INTEGRITY, ...LEDGER_TIMES, ...REQUESTS];

injectedViolations(
  'promise monitor: injected violations of uses and consent, incremental and full',
  [...USES, ...CONSENT],
  (env) => {
    it('injects at least three violations of each promise checked on the store (P15: its one link)', () => {
      const per = new Map<string, number>();
      for (const c of ALL) {
        const p = c.name.split(':')[0]!;
        per.set(p, (per.get(p) ?? 0) + 1);
      }
      // P18 is proven by the browser tests, P26 by the policy itself (no row of the store holds it).
      for (const p of Object.keys(env().ctx.policy.doc.promises).filter((id) => !['P18', 'P26'].includes(id)))
        assert.ok((per.get(p) ?? 0) >= (p === 'P15' ? 1 : 3), `${p}: ${per.get(p) ?? 0} cases`);
    });
  },
);
