// `vow records-of-processing`: the Art. 30(1) record from the policy file and the annotations, as
// text, JSON (the API's answer) or CSV, without a running Vow; another policy file with --policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { cliEnvironment } from '../helpers/cli.js';

describe('vow records-of-processing', () => {
  const cli = cliEnvironment('ropa');
  const policy = loadPolicy('policies/default.yaml').doc;

  it('prints every purpose, recipient and retention period as text', async () => {
    const r = await cli.run('records-of-processing');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# Record of processing activities \(GDPR Art\. 30\(1\)\)/);
    for (const [id, p] of Object.entries(policy.purposes))
      assert.ok(r.out.includes(`## ${p.description} (${id})`), id);
    for (const x of Object.values(policy.recipients)) assert.ok(r.out.includes(x.name), x.name);
    for (const x of policy.retention) assert.ok(r.out.includes(`(${x.keep_for})`), x.keep_for);
    assert.match(r.out, /Data protection officer: not stated in the policy/);
  });

  it('answers JSON and CSV, one CSV row per purpose', async () => {
    const json = await cli.run('records-of-processing', '--json');
    assert.equal(json.code, 0, json.err);
    const record = JSON.parse(json.out) as { activities: { purpose: string }[] };
    assert.deepEqual(
      record.activities.map((a) => a.purpose),
      Object.keys(policy.purposes),
    );
    const csv = await cli.run('records-of-processing', '--csv');
    assert.equal(csv.code, 0, csv.err);
    assert.equal(csv.out.trimEnd().split('\r\n').length, 1 + Object.keys(policy.purposes).length);
  });

  it('reads another policy file with --policy', async () => {
    const r = await cli.run('records-of-processing', '--json', '--policy', 'policies/minimal.yaml');
    assert.equal(r.code, 0, r.err);
    const record = JSON.parse(r.out) as { controller: { name: string }; activities: unknown[] };
    assert.equal(record.controller.name, 'Example Shop');
    assert.equal(
      record.activities.length,
      Object.keys(loadPolicy('policies/minimal.yaml').doc.purposes).length,
    );
  });
});
