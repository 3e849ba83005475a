// bin/compile.js: `vow` runs its sources compiled once per change. A small repository in a
// temporary folder stands for Vow's: its compiled tree runs, keeps the layout (a file read through
// import.meta.url is found), is reused while the sources stay as they are, is built again when one
// changes, is published once when two processes start together, and is not built where it cannot
// be written (the caller then runs the sources through tsx). A dependency of many small modules
// (BUNDLED) is one file in the tree, and is safe to bundle: nothing else imports it, Vow only by name.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BUNDLED, buildTree, compiledMain, inTree } from '../../bin/compile.js';
import { ROOT, sourceFiles } from '../helpers/source.js';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A repository shaped like Vow's: src/cli/main.ts reading policies/default.yaml beside src. */
function repository(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'vow-compile-'));
  made.push(root);
  mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(path.join(root, 'policies'));
  mkdirSync(path.join(root, 'node_modules'));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  writeFileSync(path.join(root, 'tsconfig.json'), '{"compilerOptions":{"strict":true}}');
  writeFileSync(path.join(root, 'policies', 'default.yaml'), 'name: the policy\n');
  writeFileSync(
    path.join(root, 'src', 'cli', 'words.ts'),
    "export const words = (n: number): string => String(n) + ' words';\n",
  );
  writeFileSync(
    path.join(root, 'src', 'cli', 'main.ts'),
    [
      "import { readFileSync } from 'node:fs';",
      "import { words } from './words.js';",
      'interface Answer { policy: string; words: string }',
      'export function main(): Answer {',
      "  const policy = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8').trim();",
      '  return { policy, words: words(3) };',
      '}',
      '',
    ].join('\n'),
  );
  return root;
}

const run = async (main: string) =>
  ((await import(`${pathToFileURL(main).href}?${Math.random()}`)) as { main: () => unknown }).main();

describe('the compiled copy of the sources (bin/compile.js)', () => {
  it('runs compiled, finds the files beside the sources, and is reused while they do not change', async () => {
    const root = repository();
    const main = (await compiledMain(root)) ?? assert.fail('not compiled');
    assert.ok(main.endsWith(path.join('src', 'cli', 'main.js')), main);
    assert.ok(main.startsWith(path.join(root, 'node_modules', '.cache', 'vow')));
    assert.deepEqual(await run(main), { policy: 'name: the policy', words: '3 words' });
    assert.equal(await compiledMain(root), main, 'the same sources: the same tree');
  });

  it('builds a new tree when a source changes', async () => {
    const root = repository();
    const first = await compiledMain(root);
    const file = path.join(root, 'src', 'cli', 'words.ts');
    writeFileSync(file, "export const words = (n: number): string => String(n) + ' new words';\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = await compiledMain(root);
    assert.notEqual(second, first);
    assert.deepEqual(await run(second!), { policy: 'name: the policy', words: '3 new words' });
  });

  it('publishes one tree when processes build at once', async () => {
    const root = repository();
    const mains = await Promise.all([compiledMain(root), compiledMain(root), compiledMain(root)]);
    assert.equal(new Set(mains).size, 1);
    const cache = path.join(root, 'node_modules', '.cache', 'vow');
    assert.deepEqual(
      readdirSync(cache).filter((n) => n.includes('building')),
      [],
      'no half-built tree is left behind',
    );
  });

  it('answers undefined where the tree cannot be written, so the caller runs the sources', async () => {
    // A file where the cache folder goes (permissions would not bind a test running as root).
    const root = repository();
    const cache = path.join(root, 'node_modules', '.cache');
    writeFileSync(cache, 'not a folder');
    assert.equal(await compiledMain(root), undefined);
  });

  it('mirrors a whole repository for the tests: a .ts file runs from its .js, the rest are links', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'vow-tree-'));
    made.push(out);
    const tree = path.join(out, 'tree');
    const root = repository();
    await buildTree(root, tree);
    assert.equal(inTree(root, tree, 'src/cli/main.ts'), path.join(tree, 'src', 'cli', 'main.js'));
    assert.ok(existsSync(path.join(tree, 'src', 'cli', 'main.ts')), 'the source itself is linked');
    assert.deepEqual(await run(inTree(root, tree, 'src/cli/main.ts')), {
      policy: 'name: the policy',
      words: '3 words',
    });
  });

  it("is what bin/vow.js starts from in Vow's own repository", async () => {
    // The tests run from a mirror of the repository; its package.json links to the original.
    const repo = path.dirname(realpathSync(path.join(ROOT, 'package.json')));
    const main = await compiledMain(repo);
    assert.ok(main && existsSync(main), 'Vow compiles');
  });

  it('loads a bundled dependency from one file of the tree, the same module for every importer', async () => {
    const root = repository();
    const pkg = path.join(root, 'node_modules', 'kysely');
    mkdirSync(path.join(pkg, 'lib'), { recursive: true });
    writeFileSync(
      path.join(pkg, 'package.json'),
      '{"name":"kysely","type":"module","exports":"./lib/index.js"}',
    );
    writeFileSync(path.join(pkg, 'lib', 'index.js'), "export { Kysely } from './kysely.js';\n");
    writeFileSync(path.join(pkg, 'lib', 'kysely.js'), 'export class Kysely {}\n');
    writeFileSync(
      path.join(root, 'src', 'cli', 'main.ts'),
      "import { Kysely } from 'kysely';\nexport const main = () => ({ made: new Kysely() instanceof Kysely });\n",
    );
    const out = mkdtempSync(path.join(tmpdir(), 'vow-tree-'));
    made.push(out);
    const tree = path.join(out, 'tree');
    await buildTree(root, tree);
    assert.deepEqual(readdirSync(path.join(tree, 'node_modules', 'kysely')).sort(), [
      'index.js',
      'package.json',
    ]);
    assert.deepEqual(await run(inTree(root, tree, 'src/cli/main.ts')), { made: true });
  });

  it('bundles from a node_modules that is a link (a git worktree), writing nothing into the linked packages', async () => {
    const root = repository();
    const installed = mkdtempSync(path.join(tmpdir(), 'vow-installed-'));
    made.push(installed);
    mkdirSync(path.join(installed, 'kysely'));
    writeFileSync(
      path.join(installed, 'kysely', 'package.json'),
      '{"name":"kysely","type":"module","exports":"./k.js"}',
    );
    writeFileSync(path.join(installed, 'kysely', 'k.js'), 'export const kysely = 1;\n');
    rmSync(path.join(root, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(root, 'node_modules'));
    const out = mkdtempSync(path.join(tmpdir(), 'vow-tree-'));
    made.push(out);
    await buildTree(root, path.join(out, 'tree'));
    assert.deepEqual(readdirSync(path.join(out, 'tree', 'node_modules', 'kysely')).sort(), [
      'index.js',
      'package.json',
    ]);
    assert.deepEqual(
      readdirSync(path.join(installed, 'kysely')).sort(),
      ['k.js', 'package.json'],
      'the installed package untouched',
    );
    assert.match(readFileSync(path.join(installed, 'kysely', 'package.json'), 'utf8'), /k\.js/);
  });

  it("is safe for Vow's bundled dependencies: no other package imports them, Vow only by name", () => {
    const repo = path.dirname(realpathSync(path.join(ROOT, 'package.json')));
    const modules = path.join(repo, 'node_modules');
    const manifests = readdirSync(modules).flatMap((name) =>
      name.startsWith('@')
        ? readdirSync(path.join(modules, name)).map((n) => path.join(modules, name, n, 'package.json'))
        : [path.join(modules, name, 'package.json')],
    );
    for (const name of BUNDLED) {
      assert.ok(existsSync(path.join(modules, name)), `${name} is installed`);
      const dependents = manifests.filter((file) => {
        if (!existsSync(file) || file.startsWith(path.join(modules, name, ''))) return false;
        const m = JSON.parse(readFileSync(file, 'utf8')) as Record<
          string,
          Record<string, string> | undefined
        >;
        return [m.dependencies, m.peerDependencies, m.optionalDependencies].some(
          (d) => d?.[name] !== undefined,
        );
      });
      assert.deepEqual(dependents, [], `${name} would be a second copy for these packages`);
      const deep = ['src', 'test', 'bench', 'scripts'].flatMap((dir) =>
        sourceFiles(dir).filter((f) =>
          new RegExp(`from '${name}/|import\\('${name}`).test(readFileSync(path.join(ROOT, f), 'utf8')),
        ),
      );
      assert.deepEqual(
        deep,
        [],
        `${name} is imported by a path or dynamically: the bundle has only its name`,
      );
    }
  });
});
