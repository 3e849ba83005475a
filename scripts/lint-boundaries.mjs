#!/usr/bin/env node
// The boundary half of `npm run lint`: dependency-cruiser checks the rules in .dependency-cruiser.cjs
// file by file, then this script checks what a file-level rule cannot see: that no two folders
// (modules, platform parts, app, shells) reach each other at run time. Exits 1 on any violation.
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import config from '../.dependency-cruiser.cjs';

const tsConfig = extractTSConfig('tsconfig.json');
const result = await cruise(
  ['src'],
  { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } },
  undefined,
  {
    tsConfig,
  },
);
const output = result.output;
const problems = [];
for (const v of output.summary.violations) {
  const via = v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : '';
  problems.push(`${v.rule.name}: ${v.from} → ${v.to}${via}`);
}

/** The unit a file belongs to, as the walls see it: a module, a platform part, a single platform
 * file (clock, errors, config, …), or a top-level folder (app, http, cli). */
function unitOf(file) {
  if (/^src\/platform\/[^/]+\.ts$/.test(file)) return file;
  const m = file.match(/^src\/(modules|platform)\/([^/]+)\//) ?? file.match(/^src\/([^/]+)\//);
  if (!m) return file;
  return m.length === 3 ? `src/${m[1]}/${m[2]}` : `src/${m[1]}`;
}

// Unit graph over every import, type-only ones included (stricter than the rule's "at run time":
// a type cycle between folders is as much a tangle for a reader).
const edges = new Map();
for (const mod of output.modules) {
  if (!mod.source.startsWith('src/')) continue;
  const from = unitOf(mod.source);
  for (const dep of mod.dependencies) {
    if (!dep.resolved.startsWith('src/')) continue;
    const to = unitOf(dep.resolved);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${mod.source} → ${dep.resolved}`);
  }
}
// Tarjan's strongly connected components.
let index = 0;
const stack = [];
const info = new Map();
const sccs = [];
function visit(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!info.has(w)) {
      visit(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) sccs.push(scc);
  }
}
for (const v of edges.keys()) if (!info.has(v)) visit(v);
for (const scc of sccs) {
  const inside = new Set(scc);
  const why = [];
  for (const a of scc)
    for (const [b, example] of edges.get(a) ?? [])
      if (inside.has(b)) why.push(`    ${a} → ${b}  (${example})`);
  problems.push(`folder-cycle: ${scc.sort().join(', ')} reach each other:\n${why.join('\n')}`);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`✖ ${p}`);
  console.error(
    `\n${problems.length} boundary violation(s). The rules: .dependency-cruiser.cjs and ARCHITECTURE.md.`,
  );
  process.exit(1);
}
console.log(
  `✔ boundaries: ${output.summary.totalCruised} files, ${output.summary.totalDependenciesCruised} imports, no violation, no folder cycle`,
);
