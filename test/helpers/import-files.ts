// The import tests' files and counts: a scratch folder removed after the test file, NDJSON files of
// collection bodies (registrations), and how many rows a table holds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { TestEnv } from './env.js';

/** A new folder under the system's temporary one (vow-import-<name>-…), removed after the file's tests. */
export function scratchFolder(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `vow-import-${name}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An NDJSON file `name` in `dir` of these collection bodies, one per line: its path. */
export function ndjsonFile(dir: string, name: string, rows: readonly object[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}

/** Person `i`'s registration (account `<tag>-<i>`, email `<tag>.<i>@example.com`, catalog asked for). */
export const registration = (tag: string, i: number) => ({
  type: 'registration',
  body: {
    account_id: `${tag}-${i}`,
    name: `Reg ${i}`,
    email: `${tag}.${i}@example.com`,
    catalog_opt_in: true,
  },
});

/** How many rows `table` holds. */
export async function rowCount(
  env: TestEnv,
  table: 'subjects' | 'registrations' | 'subject_identifiers' | 'contest_entries',
): Promise<number> {
  const row = await env.ctx.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
