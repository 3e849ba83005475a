// Mistakes the `vow` commands reported in words without a code, run as the real command: each
// message now starts with its stable code (docs/errors.md), a script can branch on it, and a value
// of the wrong kind changes nothing (`vow demo --people 0x10` generated 16 people).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../helpers/env.js';
import { type CommandStore, commandStore, runVow, STACK_FRAME } from '../helpers/vow-command.js';

function assertLast(r: { code: number | null; stderr: string }, message: RegExp, lines = 1): void {
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, STACK_FRAME);
  const all = r.stderr.trim().split('\n');
  assert.equal(all.length, lines, r.stderr);
  assert.match(all.at(-1)!, message);
}

describe('vow policy check, datasets check, policy notice: coded messages', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-coded-'));
  const broken = path.join(dir, 'broken.yaml');
  before(() => writeFileSync(broken, 'foo: [\n'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a file that cannot be read names the code and why', async () => {
    const missing = path.join(dir, 'nope.yaml');
    assertLast(
      await runVow(['policy', 'check', missing], {}),
      /^VOW_POLICY_NOT_FOUND: Cannot read the policy file .*nope\.yaml: no such file$/,
    );
    assertLast(
      await runVow(['policy', 'check', dir], {}),
      /^VOW_POLICY_NOT_FOUND: Cannot read the policy file .*: it is a folder$/,
    );
    assertLast(
      await runVow(['datasets', 'check', missing], {}),
      /^VOW_DATASET_NOT_FOUND: Cannot read the annotation file .*nope\.yaml: no such file$/,
    );
  });

  it('a file with mistakes: each located, then the code', async () => {
    assertLast(
      await runVow(['policy', 'check', broken], {}),
      /^VOW_POLICY_INVALID: 1 problem in .*broken\.yaml: correct each line above$/,
      2,
    );
    assertLast(
      await runVow(['datasets', 'check', broken], {}),
      /^VOW_DATASET_INVALID: 1 problem in .*broken\.yaml: correct each line above$/,
      2,
    );
  });

  it('policy notice --format of another kind is VOW_USAGE listing the choices', async () => {
    const r = await runVow(['policy', 'notice', '--format', 'pdf'], {});
    assertLast(
      r,
      /^VOW_USAGE: vow policy notice: option '-f, --format <format>' argument 'pdf' is invalid\. Allowed choices are md, html, json\./,
    );
    assert.equal(r.stdout, '');
  });
});

for (const dialect of testDialects()) {
  describe(`vow demo --people and vow staff api-key revoke: coded messages [${dialect}]`, () => {
    let store: CommandStore;
    before(async () => {
      store = await commandStore(dialect);
    });
    after(async () => {
      await store.drop();
    });

    it('a number not in digits is VOW_USAGE, and nothing is generated', async () => {
      for (const value of ['0x10', '1e1', 'lots', '-5', '0', '100000001']) {
        const r = await runVow(['demo', '--people', value], store.env);
        assertLast(r, /^VOW_USAGE: --people must be a whole number from 1 to 100,000,000 in digits/);
      }
      assert.deepEqual(await store.tables(), [], 'the store was not even opened');
    });

    it('revoking a key that is not there is VOW_NOT_FOUND', async () => {
      const r = await runVow(['staff', 'api-key', 'revoke', 'no-such-key'], store.env);
      assertLast(
        r,
        /^VOW_NOT_FOUND: No active API key no-such-key: list them with `vow staff api-key list`$/,
      );
    });
  });
}
