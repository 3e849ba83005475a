// Which database failures are the infrastructure's (503 with Retry-After), and which are not.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusOf } from '../../src/app/error-registry.js';
import { VowError } from '../../src/platform/errors.js';
import { storageFault } from '../../src/platform/store/storage-faults.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('storage faults', () => {
  it('PostgreSQL out of reach is VOW_DATABASE_UNAVAILABLE (refused, reset, shut down, cut, timed out)', () => {
    for (const err of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01'),
      withCode('08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
      new Error('query failed', { cause: withCode('ETIMEDOUT') }),
    ]) {
      const fault = storageFault(err);
      assert.equal(fault?.code, 'VOW_DATABASE_UNAVAILABLE', String(err));
      assert.equal(fault && statusOf(fault.code), 503);
    }
  });

  it('a store refusing writes is VOW_STORAGE_READ_ONLY (disk full, read-only file, read-only PostgreSQL)', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', '53100', '25006']) {
      assert.equal(storageFault(withCode(code))?.code, 'VOW_STORAGE_READ_ONLY', code);
    }
  });

  it('everything else is left alone: constraint violations, bugs, Vow errors', () => {
    for (const err of [
      withCode('SQLITE_CONSTRAINT_UNIQUE'),
      withCode('23505'),
      new TypeError('undefined is not a function'),
      new VowError('VOW_NOT_FOUND', 'no'),
    ])
      assert.equal(storageFault(err), undefined, String(err));
  });

  it('never repeats the driver message (it can quote values)', () => {
    const fault = storageFault(withCode('ECONNREFUSED', 'connect ECONNREFUSED ann@example.com'));
    assert.doesNotMatch(JSON.stringify(fault?.toBody()), /ann@example\.com/);
  });
});
