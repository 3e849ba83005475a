// docs/operations.md keeps up with the code: every environment variable Vow, its tests and its
// benchmark read is documented there (a configuration variable with its default), none that nothing
// reads, and its dependency table names exactly package.json's runtime dependencies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../src/app/error-registry.js';
import { ROTATE_KEYS } from '../../src/cli/security.js';
import { CONFIG_DEFAULTS, CONFIG_KEYS } from '../../src/platform/config.js';

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

  it("shows each configuration variable's default in its row, and has a row for no other", () => {
    const rows = new Map(
      [...section('Configuration').matchAll(/^\| `(VOW_[A-Z0-9_]+)`\s*\|([^|]*)\|/gm)].map((m) => [
        m[1]!,
        m[2]!.trim(),
      ]),
    );
    const problems: string[] = [];
    for (const key of CONFIG_KEYS) {
      const cell = rows.get(key);
      if (cell === undefined) problems.push(`${key}: no row in the Configuration table`);
      else if (key in CONFIG_DEFAULTS && !cell.includes(`\`${CONFIG_DEFAULTS[key]}\``))
        problems.push(`${key}: the default is \`${CONFIG_DEFAULTS[key]}\`, the table says ${cell}`);
    }
    for (const key of rows.keys())
      if (!CONFIG_KEYS.includes(key)) problems.push(`${key}: a row for a variable Vow does not read`);
    assert.deepEqual(problems, []);
  });

  it('documents no variable that nothing reads', () => {
    const sources = ['src', 'test', 'scripts', 'bench', 'bin']
      .flatMap((dir) => files(path.join(ROOT, dir)))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const named = new Set(
      [...doc.matchAll(/`(VOW_[A-Z0-9_]+)`/g)]
        .map((m) => m[1]!)
        .filter((v) => !(v in ERROR_CODES) && !v.endsWith('_')),
    );
    const dead = [...named].filter((v) => !new RegExp(`\\b${v}\\b`).test(sources));
    assert.deepEqual(dead, [], `docs/operations.md documents variables nothing reads: ${dead.join(', ')}`);
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
