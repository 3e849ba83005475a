// Red team (review round 5): an import's refused rows are kept for good (import_refusals, listed in
// the erasure registry as holding "field names, never their values") and answered to the uploader,
// the console and `vow import`. But a refusal quoted the JSON keys it did not know, and a file can be
// keyed by a person: an export keyed by email address (`{"ann@example.com": {...}}`), or a customer's
// name as a key. Such a key is now named only when it reads as a field name (letters, digits and
// underscores, no long run of digits); others are counted.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('red team: an import refusal quotes no key that could be a value', (env) => {
  it('counts the unknown keys that are not field names instead of quoting them', async () => {
    const rows = [
      { type: 'registration', body: { email: 'x@example.com', 'ann.keyed@example.com': { since: 2020 } } },
      { type: 'order', body: { buyer: { 'Bea Keyed': 'VIP', '+44 20 7946 0958': true } } },
      { type: 'contest_entry', body: { email: 'cy@example.com', name: 'Cy', loyalty_tier: 'gold' } },
    ];
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/imports?format=ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const refusals = res.json().refusals as { line: number; reason: string }[];
    assert.equal(refusals.length, 3, res.body);
    const stored = JSON.stringify(await env().store.db.selectFrom('import_refusals').selectAll().execute());
    for (const text of [res.body, stored]) {
      assert.doesNotMatch(text, /ann\.keyed|Bea Keyed|7946/, 'no key that could be a person');
    }
    assert.match(refusals[0]!.reason, /1 unknown key that is not a field name/);
    assert.match(refusals[1]!.reason, /2 unknown keys that are not field names/);
    // A key that reads as a field name is still named, so the file can be fixed.
    assert.match(refusals[2]!.reason, /loyalty_tier/);
  });
});
