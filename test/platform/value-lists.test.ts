// isIn and listChunks: a column compared with a list of values as ONE array parameter on PostgreSQL
// (the same statement text for any number of values) and as IN lists of at most LIST_CHUNK values
// on SQLite, finding exactly the rows an IN list finds.
import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { isIn, LIST_CHUNK, listChunks } from '../../src/platform/store/index.js';
import { describeEachDialect } from '../helpers/env.js';

const at = '2026-01-01T00:00:00.000Z';
/** Values an array literal must quote or escape: quotes, backslashes, commas, braces, spaces, NULL. */
const AWKWARD = ['a"b', 'c\\d', 'e,f', '{g}', ' h ', 'NULL', '', 'ü-ß'];

describeEachDialect('value lists (isIn)', (env) => {
  beforeEach(async () => {
    await env().store.db.deleteFrom('subject_lookup').execute();
  });

  async function store(values: readonly string[]): Promise<void> {
    const { store } = env();
    for (const chunk of listChunks(store.dialect, values))
      await store.db
        .insertInto('subject_lookup')
        .values(chunk.map((v) => ({ kind: 'email', blind_index: v, subject_id: `s:${v}`, created_at: at })))
        .execute();
  }

  async function found(values: readonly string[]): Promise<string[]> {
    const { store } = env();
    const out: string[] = [];
    for (const chunk of listChunks(store.dialect, values)) {
      const rows = await store.db
        .selectFrom('subject_lookup')
        .select('blind_index')
        .where((eb) => isIn(eb, store.dialect, 'blind_index', chunk))
        .execute();
      out.push(...rows.map((r) => r.blind_index));
    }
    return out.sort();
  }

  it('finds exactly the listed values, however the array literal must quote them', async () => {
    await store([...AWKWARD, 'other']);
    assert.deepEqual(await found(AWKWARD), [...AWKWARD].sort());
    assert.deepEqual(await found(['a"b', 'missing']), ['a"b']);
  });

  it('finds nothing for an empty list', async () => {
    await store(['x']);
    const { store: s } = env();
    const rows = await s.db
      .selectFrom('subject_lookup')
      .select('blind_index')
      .where((eb) => isIn(eb, s.dialect, 'blind_index', []))
      .execute();
    assert.deepEqual(rows, []);
    assert.deepEqual(listChunks(s.dialect, []), []);
  });

  it('runs one statement on PostgreSQL and LIST_CHUNK values a statement on SQLite', async () => {
    const values = Array.from({ length: 2 * LIST_CHUNK + 7 }, (_, n) => `v-${n}`);
    await store(values);
    const { store: s } = env();
    const chunks = listChunks(s.dialect, values);
    assert.deepEqual(
      chunks.map((c) => c.length),
      s.dialect === 'postgres' ? [values.length] : [LIST_CHUNK, LIST_CHUNK, 7],
    );
    assert.deepEqual(chunks.flat(), values);
    assert.equal((await found(values)).length, values.length);
  });

  it('gives PostgreSQL one text for any number of values, with the list as one parameter', () => {
    const { store: s } = env();
    const compiled = (values: readonly string[]) =>
      s.db
        .selectFrom('subject_lookup')
        .select('subject_id')
        .where('kind', '=', 'email')
        .where((eb) => isIn(eb, s.dialect, 'blind_index', values))
        .compile();
    const three = compiled(['a', 'b', 'c']);
    const many = compiled(Array.from({ length: 3000 }, (_, n) => `v-${n}`));
    if (s.dialect === 'postgres') {
      assert.equal(three.sql, many.sql);
      assert.match(three.sql, /"blind_index" = any\(\$2::text\[\]\)/);
      assert.deepEqual(three.parameters, ['email', ['a', 'b', 'c']]);
    } else {
      assert.match(three.sql, /"blind_index" in \(\?, \?, \?\)/);
      assert.deepEqual(three.parameters, ['email', 'a', 'b', 'c']);
    }
  });
});
