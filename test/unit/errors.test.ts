import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES, statusOf } from '../../src/app/error-registry.js';
import { VowError } from '../../src/platform/errors.js';

describe('error registry', () => {
  it('agrees with docs/errors.md: every code documented, nothing documented that does not exist', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^## (VOW_[A-Z0-9_]+)\s*$/gm)].map((m) => m[1]);
    assert.deepEqual([...documented].sort(), Object.keys(ERROR_CODES).sort());
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      const section = doc.split(`## ${code}\n`)[1]?.split('\n## ')[0] ?? '';
      assert.match(section, new RegExp(`HTTP ${spec.status}`), `${code} documents its status ${spec.status}`);
      assert.match(section, /\*\*How to fix/, `${code} says how to fix it`);
    }
  });

  it('renders the one error body', () => {
    const e = new VowError('VOW_UNKNOWN_PURPOSE', 'Unknown purpose "x"', { purpose: 'x' });
    assert.deepEqual(e.toBody(), {
      error: { code: 'VOW_UNKNOWN_PURPOSE', message: 'Unknown purpose "x"', details: { purpose: 'x' } },
    });
    assert.equal(statusOf(e.code), 400);
  });
});
