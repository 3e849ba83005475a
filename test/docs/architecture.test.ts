// ARCHITECTURE.md names every folder of the code: each module and platform part, the composition
// root, and the shells with their subfolders. Computed from the file system, so a folder added on
// any branch fails here until the page says what it is for.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');

const folders = (rel: string): string[] =>
  readdirSync(path.join(ROOT, rel))
    .filter((name) => statSync(path.join(ROOT, rel, name)).isDirectory())
    .map((name) => `${rel}/${name}`)
    .sort();

const withSubfolders = (rel: string): string[] =>
  existsSync(path.join(ROOT, rel)) ? [rel, ...folders(rel).flatMap(withSubfolders)] : [];

/** The folders ARCHITECTURE.md must name. */
export function foldersToDocument(): string[] {
  return [
    ...folders('src/modules'),
    ...folders('src/platform'),
    'src/app',
    ...withSubfolders('src/http'),
    ...withSubfolders('src/cli'),
    ...withSubfolders('src/web'),
  ];
}

const named = (folder: string): boolean =>
  new RegExp(`\`${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?\``).test(doc) ||
  doc.includes(`\`${folder}/`);

describe('ARCHITECTURE.md', () => {
  it('names every folder under src/', () => {
    const list = foldersToDocument();
    assert.ok(list.length >= 25, `found the folders (${list.length})`);
    const missing = list.filter((f) => !named(f));
    assert.deepEqual(missing, [], `say in ARCHITECTURE.md what these folders are for: ${missing.join(', ')}`);
  });

  it('names only modules and platform parts that exist', () => {
    const exists = new Set(foldersToDocument());
    const mentioned = [...doc.matchAll(/`(src\/(?:modules|platform)\/[a-z-]+)\/?`/g)].map((m) => m[1]!);
    const gone = [...new Set(mentioned)].filter((f) => !exists.has(f));
    assert.deepEqual(gone, [], `ARCHITECTURE.md names folders that do not exist: ${gone.join(', ')}`);
  });
});
