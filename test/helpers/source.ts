// Reads Vow's own sources for the architecture tests: which part of Vow each file belongs to, which
// tables each part declares (its tables.ts), and where the code writes a table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every .ts file under a folder of the repository, as repository-relative paths. */
export function sourceFiles(dir = 'src'): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(path.join(ROOT, d))) {
      const rel = path.join(d, name);
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts')) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/** The part of Vow a source file belongs to: `modules/<m>`, `platform/<part>`, or the top folder. */
export function partOf(file: string): string {
  const m = file.match(/^src\/(modules|platform)\/([^/]+)\//);
  if (m) return `${m[1]}/${m[2]}`;
  const top = file.match(/^src\/([^/]+)\//);
  return top ? top[1]! : file;
}

/** Table name → the part declaring it (each tables.ts, and the store's own in database.ts). */
export function declaredTables(): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    if (!file.endsWith('/tables.ts') && file !== 'src/platform/store/database.ts') continue;
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    // Members of the exported table interfaces: `  name: {` or `  name: { … };` at two spaces.
    for (const m of text.matchAll(/^ {2}([a-z][a-z0-9_]*): \{/gm)) {
      const owner = partOf(file);
      owners.set(m[1]!, [...(owners.get(m[1]!) ?? []), owner]);
    }
  }
  return owners;
}

export interface TableWrite {
  readonly file: string;
  readonly line: number;
  readonly table: string;
  readonly how: string;
}

const BUILDER_WRITE =
  /\b(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"`]([a-z][a-z0-9_]*)['"`]/g;
const SQL_WRITE = /\b(insert\s+into|update|delete\s+from)\s+"?([a-z][a-z0-9_]*)"?/gi;

/** Every write to a known table in a piece of source text (query builder calls and raw SQL). */
export function writesIn(file: string, text: string, known: ReadonlySet<string>): TableWrite[] {
  const out: TableWrite[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(BUILDER_WRITE)) {
    out.push({ file, line: lineOf(m.index), table: m[2]!, how: m[1]! });
  }
  // Raw SQL only inside template literals (sql`…`, `…`) or strings, and only for a known table name.
  for (const m of text.matchAll(SQL_WRITE)) {
    const table = m[2]!.toLowerCase();
    if (!known.has(table)) continue;
    out.push({ file, line: lineOf(m.index), table, how: m[1]!.toLowerCase().replace(/\s+/g, ' ') });
  }
  return out;
}
