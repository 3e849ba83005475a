#!/usr/bin/env node
// The `vow` command. Vow's TypeScript sources are compiled to JavaScript once per change
// (bin/compile.js: no build step to run by hand); where that tree cannot be written, or with
// VOW_COMPILE=off, the sources run through tsx instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledMain } from './compile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = process.env.VOW_COMPILE === 'off' ? undefined : await compiledMain(root);
let entry = compiled;
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = path.join(root, 'src', 'cli', 'main.ts');
}
const { main } = await import(entry);
process.exitCode = await main(process.argv);
