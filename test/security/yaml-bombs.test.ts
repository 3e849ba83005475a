// YAML a user hands Vow (a policy file checked in the console or with `vow policy check`, a dataset
// annotation file): a file whose aliases expand without end ("billion laughs", also through merge
// keys) was refused by the yaml library with an exception, which the console answered with a 500
// and the command line with a stack trace. It is now a located problem of the file, like any other.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseAnnotation } from '../../src/modules/datasets/index.js';
import { parsePolicy } from '../../src/modules/policy/index.js';
import { csrfOf, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

/** Nine levels of nine aliases each: 9^10 strings once expanded. */
function laughs(): string {
  let yaml = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (let i = 0; i < 9; i++) {
    yaml += `b${i}: &b${i} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    prev = `b${i}`;
  }
  return yaml;
}
/** The same through merge keys: every map merges the same anchored map three times. */
const MERGES = `x: &x {a: 1}\n${Array.from({ length: 2000 }, (_, i) => `k${i}: {<<: [*x, *x, *x]}`).join('\n')}\n`;

describeEachDialect(
  'YAML expansion bombs',
  (env) => {
    it('refuses an alias bomb as a located problem of the file, in every YAML reader', () => {
      for (const source of [laughs(), MERGES]) {
        const policy = parsePolicy(source);
        assert.equal(policy.ok, false);
        assert.ok(!policy.ok && policy.problems.length === 1);
        assert.match(!policy.ok ? policy.problems[0]!.message : '', /aliases \(\*name\) expand too far/);
        assert.equal(!policy.ok && policy.problems[0]!.line, 2, 'the first alias is on line 2');
        const annotation = parseAnnotation(source, env().ctx.policy);
        assert.equal(annotation.ok, false);
        assert.match(!annotation.ok ? annotation.problems[0]!.message : '', /expand too far/);
      }
    });

    it('answers the console policy check of an alias bomb with its problem, not a 500', async () => {
      const admin = await staffCaller(env(), ['admin']);
      for (const yaml of [laughs(), MERGES]) {
        const res = await env().app.inject({
          method: 'POST',
          url: '/staff/policy/check',
          headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfOf(admin.token), yaml }).toString(),
        });
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
        assert.match(res.body, /pasted\.yaml has 1 problem/);
        assert.match(res.body, /expand too far/);
      }
    });
  },
  { auth: 'enforced' },
);
