// "Shaped like an email address" was the regex ^[^\s@]+@[^\s@]+\.[^\s@]+$ (a shopper's log-in and
// sign-up, a correction of an email, an imported withdrawal list) or its unanchored form (the audit
// trail's guard against personal values, run on every string of every audit entry). Both backtrack
// quadratically: a 60 KB email of dots after the `@` cost 4.5 s of CPU in one anonymous log-in (the
// length limit of 254 is checked, but zod runs the regex anyway), 64 KB of letters 7.6 s in the
// audit guard (security.md #32). The tests are one-pass functions (isEmailShaped,
// containsEmailShape); this test proves they answer as the regexes did on every short text, that
// no such regex is left in src/, and that the crafted log-in is refused as before.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { containsEmailShape, isEmailShaped } from '../../src/platform/strings.js';
import { describeEachDialect } from '../helpers/env.js';

const WHOLE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ANYWHERE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

it('answers as the regexes did on every text of up to 8 characters over a@. and three spaces', () => {
  const alphabet = ['a', '@', '.', ' ', '\u00a0', '\n'];
  let texts = [''];
  let checked = 0;
  for (let length = 0; length <= 8; length++) {
    for (const t of texts) {
      assert.equal(isEmailShaped(t), WHOLE.test(t), JSON.stringify(t));
      assert.equal(containsEmailShape(t), ANYWHERE.test(t), JSON.stringify(t));
      checked++;
    }
    texts = texts.flatMap((t) => alphabet.map((c) => t + c));
  }
  assert.equal(checked, 2_015_539);
});

it('leaves no regex of that shape in src/ (each backtracks on a long run)', () => {
  const known = new Set<string>();
  const root = path.resolve(import.meta.dirname, '../../src');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !known.has(path.relative(root, file))) {
        const code = readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l))
          .join('\n');
        if (code.includes('[^\\s@]+@[^\\s@]+\\.[^\\s@]+')) found.push(path.relative(root, file));
      }
    }
  };
  walk(root);
  assert.deepEqual(found, []);
});

describeEachDialect('crafted addresses against a running Vow', (env) => {
  it('refuses a log-in whose email is 60 KB of dots as no email address', async () => {
    const e = env();
    const res = await e.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: `a@${'.'.repeat(60_000)}@`, password: 'x' },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'VOW_VALIDATION');
  });

  it('still refuses an audit entry holding an address, and takes 64 KB of letters', async () => {
    const e = env();
    const entry = (text: string) => ({
      actor: { type: 'system' as const },
      action: 'test.shape',
      target: { type: 'test', id: '1' },
      details: { text },
    });
    await assert.rejects(
      e.ctx.audit.record(entry('write to ann@example.org')),
      /VOW_AUDIT_PERSONAL_DATA|personal value/,
    );
    // Compatibility forms (full-width or small at signs, full-width digits) are the same values.
    for (const text of [
      'write to ann\uFF20example.org',
      'ann\uFE6Bexample.org',
      'call \uFF14\uFF11\uFF15 555 0100',
    ])
      await assert.rejects(e.ctx.audit.record(entry(text)), /VOW_AUDIT_PERSONAL_DATA|personal value/, text);
    await e.ctx.audit.record(entry('a'.repeat(64_000)));
  });
});
