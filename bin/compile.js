// Vow's TypeScript compiled to plain JavaScript, once per change of the sources, so a process loads
// plain modules instead of going through tsx's loader hooks (which cost about 2.3 s of CPU and 70 MB
// at every start). esbuild applies the per-file transform tsx applies; nothing of Vow is bundled.
// Only a dependency that is many small modules, and that nothing but Vow imports, always by its
// name (BUNDLED), is loaded from one file of the tree (kysely: 263 modules, ~120 ms of CPU at
// every start of a process, and the tests start ~100 of them plus hundreds of `vow` commands).
//
// The compiled tree mirrors the repository's layout, so paths taken from import.meta.url (policies/,
// datasets/, web assets, test fixtures) resolve as they do in the repository: each `.ts` file gets
// its `.js` beside it, and every other file, every directory without TypeScript and the `.ts` files
// themselves are symbolic links to the originals.
//   - bin/vow.js runs from a tree of everything but the tests and tools, kept under
//     node_modules/.cache/vow/ (compiledMain), and falls back to tsx if it cannot write there;
//   - scripts/test.js runs the tests from a tree of the whole repository in .tmp/test-build/.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** Top-level names never mirrored: not part of Vow's tree (dependencies are linked as a whole). */
const SKIP = new Set(['.git', '.tmp', 'data', 'dist', 'coverage', 'test-results', '.scratch']);

/** What the command leaves out of its tree: the tests and the tools around Vow. */
const NOT_RUNTIME = ['test', 'bench', 'scripts'];

/** The folders of the command's TypeScript: a change in them builds a new tree. */
const COMPILED = ['src', 'examples'];

/** Bumped when the way the tree is built changes, so older trees are not reused. */
const LAYOUT = 2;

/**
 * Dependencies the tree loads from one bundled file each: nothing in node_modules imports them and
 * Vow imports each by its name alone (test/platform/compile checks both), so there is one copy.
 */
export const BUNDLED = ['kysely', 'libphonenumber-js'];

const isTypeScript = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');

function holdsTypeScript(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      if (holdsTypeScript(path.join(dir, entry.name))) return true;
    } else if (entry.isFile() && isTypeScript(entry.name)) return true;
  }
  return false;
}

/** Mirrors the directory `from` into `to`; collects the TypeScript files to compile. */
function mirror(from, to, sources, names) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (names && !names(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && holdsTypeScript(source)) {
      mirror(source, target, sources);
    } else if (entry.name === 'node_modules' && names && statSync(source).isDirectory()) {
      // The repository's own node_modules (a folder, or a link to one as in a git worktree): linked
      // package by package, but for the bundled ones.
      mkdirSync(target);
      for (const dep of readdirSync(source))
        if (!BUNDLED.includes(dep)) symlinkSync(path.join(source, dep), path.join(target, dep));
    } else {
      symlinkSync(source, target);
      if (entry.isFile() && isTypeScript(entry.name)) sources.push(source);
    }
  }
}

/**
 * Builds the compiled tree of `root` at `out` (which must not exist): the whole repository but the
 * top-level names `except` lists. Fails, with esbuild's messages, if a file does not compile.
 */
export async function buildTree(root, out, { except = [], sourcemap = 'inline' } = {}) {
  const sources = [];
  const keep = (name) => !SKIP.has(name) && !except.includes(name);
  mirror(root, out, sources, keep);
  // esbuild is loaded only to build a tree: a start that finds its tree made does not pay for it.
  const { build } = await import('esbuild');
  await build({
    entryPoints: sources,
    outdir: out,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap,
    // tsconfig.json's settings for the transform, as tsx reads them.
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'silent',
  });
  for (const name of BUNDLED) {
    if (!existsSync(path.join(root, 'node_modules', name))) continue;
    // Never written through a link into the installed packages.
    if (lstatSync(path.join(out, 'node_modules')).isSymbolicLink()) continue;
    const dir = path.join(out, 'node_modules', name);
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name, type: 'module', exports: { '.': './index.js' } }),
    );
    await build({
      stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: root },
      bundle: true,
      outfile: path.join(dir, 'index.js'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    });
  }
  return out;
}

/** Where a repository file runs from in a compiled tree (a `.ts` file: its compiled `.js`). */
export function inTree(root, out, file) {
  const mirrored = path.join(out, path.relative(root, path.resolve(root, file)));
  return isTypeScript(mirrored) ? mirrored.replace(/\.ts$/, '.js') : mirrored;
}

/** A digest of the files under `dir` as they are now: path, size and modification time of each. */
function stateOf(dir, hash = createHash('sha256')) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) stateOf(full, hash);
    else {
      const s = statSync(full);
      hash.update(`${full}\0${s.size}\0${s.mtimeMs}\0`);
    }
  }
  return hash;
}

/**
 * The compiled `src/cli/main.js` of the repository at `root`, built if the sources changed since
 * the last build (a digest of their sizes and times names the tree). Processes starting together
 * each build under a name of their own and the first to finish publishes its tree by renaming it.
 * Undefined when the tree cannot be written (a read-only install): the caller runs through tsx.
 */
export async function compiledMain(root) {
  let building;
  try {
    const cache = path.join(root, 'node_modules', '.cache', 'vow');
    const hash = createHash('sha256').update(`${LAYOUT}\0${root}\0`);
    for (const dir of COMPILED) if (existsSync(path.join(root, dir))) stateOf(path.join(root, dir), hash);
    const key = hash.digest('hex').slice(0, 20);
    const tree = path.join(cache, key);
    const main = path.join(tree, 'src', 'cli', 'main.js');
    if (existsSync(path.join(tree, '.complete'))) return main;
    mkdirSync(cache, { recursive: true });
    building = `${tree}.${process.pid}.${Math.random().toString(36).slice(2)}.building`;
    await buildTree(root, building, { except: NOT_RUNTIME, sourcemap: 'linked' });
    writeFileSync(path.join(building, '.complete'), '');
    try {
      renameSync(building, tree);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process published first
    }
    building = undefined;
    forgetOlderTrees(cache, key);
    return existsSync(path.join(tree, '.complete')) ? main : undefined;
  } catch {
    if (building) rmSync(building, { recursive: true, force: true });
    return undefined;
  }
}

/**
 * Removes earlier trees, and builds a killed process left, once a day old (a process may still run
 * from a younger one).
 */
function forgetOlderTrees(cache, key) {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(cache)) {
    if (name === key) continue;
    const full = path.join(cache, name);
    try {
      if (statSync(full).mtimeMs < dayAgo) rmSync(full, { recursive: true, force: true });
    } catch {
      // already gone
    }
  }
}
