// docs/operations.md keeps up with the code: every environment variable Vow, its tests and its
// benchmark read is documented there, and its dependency table names exactly package.json's
// runtime dependencies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../src/app/error-registry.js';
import { ROTATE_KEYS } from '../../src/cli/security.js';
import { CONFIG_KEYS } from '../../src/platform/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.(ts|js|mjs)$/.test(name) ? [full] : [];
  });
}

/** `VOW_*` names a source file reads from the environment (env.X, env['X'], or a quoted name). */
function variablesIn(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/env(?:\.|\[['"])(VOW_[A-Z0-9_]+)/g)) found.add(m[1]!);
  for (const m of source.matchAll(/['"](VOW_(?:BENCH|TEST)_[A-Z0-9_]+)['"]/g)) found.add(m[1]!);
  return [...found];
}

/** The section of the doc under a `## ` heading. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `docs/operations.md has a "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/operations.md', () => {
  it('documents every VOW_* variable src/platform/config.ts reads', () => {
    const source = readFileSync(path.join(ROOT, 'src/platform/config.ts'), 'utf8');
    const read = new Set([
      ...CONFIG_KEYS,
      ...[...source.matchAll(/\b(VOW_[A-Z0-9_]+)\b/g)]
        .map((m) => m[1]!)
        .filter((v) => !(v in ERROR_CODES) && v !== 'VOW_TEST_'),
    ]);
    assert.ok(read.size >= 15, 'the configuration variables were found');
    const missing = [...read].filter((v) => !doc.includes(`\`${v}\``));
    assert.deepEqual(missing, [], `document these in docs/operations.md: ${missing.join(', ')}`);
  });

  it('documents every other variable read by the CLI, the tests and the benchmark', () => {
    const read = new Set<string>(ROTATE_KEYS);
    for (const dir of ['src', 'test', 'scripts', 'bench'])
      for (const f of files(path.join(ROOT, dir)))
        for (const v of variablesIn(readFileSync(f, 'utf8'))) read.add(v);
    const missing = [...read].filter((v) => !doc.includes(`\`${v}\``));
    assert.deepEqual(missing, [], `document these in docs/operations.md: ${missing.join(', ')}`);
  });

  it('says why each runtime dependency is there, and names no other package', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const table = section('Why each runtime dependency is there');
    const listed = [...table.matchAll(/^\| `([^`]+)`\s*\|\s*\S/gm)].map((m) => m[1]!);
    const dependencies = Object.keys(pkg.dependencies);
    const missing = dependencies.filter((d) => !listed.includes(d));
    const gone = listed.filter((d) => !dependencies.includes(d));
    assert.deepEqual(
      missing,
      [],
      `say in one line why each of these is a runtime dependency: ${missing.join(', ')}`,
    );
    assert.deepEqual(gone, [], `no longer runtime dependencies: ${gone.join(', ')}`);
    assert.equal(new Set(listed).size, listed.length, 'each package once');
  });
});
