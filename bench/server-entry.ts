// Where the benchmarks start bench/server.ts from: compiled to JavaScript as `vow` runs
// (bin/compile.js, once per benchmark process), so the servers' memory and start-up are those of
// the shipped command rather than tsx's loader. Kept apart from common.ts, which the server
// itself imports.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTree, inTree } from '../bin/compile.js';

let compiled: Promise<string> | undefined;

/** The compiled bench/server.js, built on first use and removed when this process exits. */
export function serverEntry(): Promise<string> {
  compiled ??= (async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'vow-bench-tree-'));
    process.once('exit', () => rmSync(out, { recursive: true, force: true }));
    const tree = path.join(out, 'tree');
    await buildTree(process.cwd(), tree, { except: ['test'], sourcemap: 'linked' });
    return inTree(process.cwd(), tree, 'bench/server.ts');
  })();
  return compiled;
}
