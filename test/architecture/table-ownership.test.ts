import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { declaredTables, partOf, ROOT, sourceFiles, writesIn } from '../helpers/source.js';

// Tables Kysely keeps for itself, and SQLite's own.
const TOOL_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'sqlite_sequence']);

describe('table ownership', () => {
  it('each table is declared by exactly one part of Vow (its tables.ts)', () => {
    const twice = [...declaredTables()].filter(([, owners]) => owners.length > 1);
    assert.deepEqual(twice, [], 'a table declared by two parts');
  });

  it('only the owning part writes a table (query builder and raw SQL; migrations aside)', () => {
    const owners = declaredTables();
    const known = new Set(owners.keys());
    const foreign: string[] = [];
    let writes = 0;
    for (const file of sourceFiles()) {
      // Migrations are history: they ran before the parts existed and are never edited.
      if (file.includes('/migrations/')) continue;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const w of writesIn(file, text, known)) {
        const owner = owners.get(w.table)?.[0];
        if (!owner) continue;
        writes++;
        if (partOf(file) !== owner)
          foreign.push(`${w.file}:${w.line} ${w.how} ${w.table} (owned by ${owner})`);
      }
    }
    assert.ok(writes > 50, `the scan found the writes (${writes})`);
    assert.deepEqual(foreign, [], 'writes to another part’s table');
  });

  it('the shells (HTTP, CLI) reach data through services, never by querying the store (health aside)', () => {
    const direct: string[] = [];
    for (const file of sourceFiles()) {
      if (!/^src\/(http|cli)\//.test(file) || file === 'src/http/api/health.ts') continue;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/\.(selectFrom|insertInto|updateTable|deleteFrom)\(/g))
        direct.push(`${file}:${text.slice(0, m.index).split('\n').length} ${m[1]}`);
    }
    assert.deepEqual(direct, []);
  });

  it('the scan sees builder and raw SQL writes, so the rule above can fail', () => {
    const known = new Set(['consent_events', 'disclosures']);
    const text = [
      "await trx.insertInto('consent_events').values(row).execute();",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test, not a template
      'await sql`delete from disclosures where subject_id = ${id}`.execute(db);',
      "await trx.selectFrom('consent_events').selectAll().execute();",
    ].join('\n');
    const found = writesIn('src/modules/x/y.ts', text, known).map((w) => `${w.line}:${w.how}:${w.table}`);
    assert.deepEqual(found, ['1:insertInto:consent_events', '2:delete from:disclosures']);
  });
});

describeEachDialect('table ownership in the migrated schema', (env) => {
  it('every table of the schema has an owner, and every declared table exists', async () => {
    const actual = (await env().store.db.introspection.getTables())
      .map((t) => t.name)
      .filter((name) => !TOOL_TABLES.has(name))
      .sort();
    const declared = [...declaredTables().keys()].sort();
    assert.deepEqual(
      actual.filter((t) => !declared.includes(t)),
      [],
      'tables no part declares',
    );
    assert.deepEqual(
      declared.filter((t) => !actual.includes(t)),
      [],
      'declared tables the migrations never create',
    );
  });
});
