// YAML a user hands Vow, nested deep or wide: 2 KB of `[` (1,000 levels) ran the yaml library's
// recursive composer out of stack, which it catches, but near the end of the stack V8 may fail
// compiling a regular expression, and that aborts the process (a policy pasted in the console took
// Vow down); 100 levels cost nothing but are no file Vow reads. A file is now refused past 64
// levels before it is composed, with a stable code; and a file of thousands of problems reports its
// first 100 (locating 32,000 problems in one map cost 22 s). Codes, not timings (security.md #36).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseAnnotation } from '../../src/modules/datasets/index.js';
import { MAX_PROBLEMS, parsePolicy } from '../../src/modules/policy/index.js';
import { csrfOf, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

/** `levels` block maps, one inside the other, each on its own line. */
const blockMaps = (levels: number) =>
  `${Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} 1\n`;
/** `levels` flow lists, one inside the other, on one line. */
const brackets = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}\n`;

describeEachDialect(
  'deeply nested and many-problem YAML',
  (env) => {
    it('refuses nesting past 64 levels as yaml_too_deep, located, in every YAML reader', () => {
      for (const [source, line] of [
        [blockMaps(100), 65],
        [brackets(1000), 1],
      ] as const) {
        const policy = parsePolicy(source);
        assert.ok(!policy.ok);
        assert.equal(policy.problems.length, 1);
        assert.equal(policy.problems[0]!.code, 'yaml_too_deep');
        assert.equal(policy.problems[0]!.line, line);
        assert.match(policy.problems[0]!.message, /more than 64 levels deep/);
        const annotation = parseAnnotation(source, env().ctx.policy);
        assert.ok(!annotation.ok);
        assert.equal(annotation.problems[0]!.code, 'yaml_too_deep');
      }
      // 64 levels are read (and then found not to be a policy).
      const policy = parsePolicy(blockMaps(64));
      assert.ok(!policy.ok);
      assert.notEqual(policy.problems[0]!.code, 'yaml_too_deep');
    });

    it('lists the first 100 problems of a file and counts the others', () => {
      const keys = Array.from({ length: 5000 }, (_, i) => `k${i % 2500}: 1`).join('\n');
      const policy = parsePolicy(keys);
      assert.ok(!policy.ok);
      assert.equal(policy.problems.length, MAX_PROBLEMS + 1);
      assert.match(policy.problems[0]!.message, /Map keys must be unique/);
      assert.equal(policy.problems.at(-1)!.code, 'more_problems');
      assert.match(policy.problems.at(-1)!.message, /and 2400 more problem/);
    });

    it('answers the console policy check of 1,000 nested lists with the refusal, and goes on serving', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const res = await env().app.inject({
        method: 'POST',
        url: '/staff/policy/check',
        headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfOf(admin.token), yaml: brackets(1000) }).toString(),
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.match(res.body, /pasted\.yaml has 1 problem/);
      assert.match(res.body, /more than 64 levels deep/);
      assert.equal((await env().app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    });
  },
  { auth: 'enforced' },
);
