// The import fixtures (test/fixtures/imports) and a reader of a format's units without a database.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importUnits } from '../../src/modules/imports/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'imports');

export const fixture = (name: string) => path.join(FIXTURES, name);

export async function readRecordsForTest(name: string, format: string) {
  const policy = loadPolicy();
  const out = [];
  for await (const u of importUnits(fixture(name), format, { policy, now: new Date('2026-01-01T00:00:00Z') }))
    out.push(u);
  return out;
}
