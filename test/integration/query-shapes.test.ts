import assert from 'node:assert/strict';
import { it } from 'node:test';
import { QueryShapes } from '../../src/platform/store/query-shapes.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('query shapes', (env) => {
  const counts = async (prefix = 'shape.') =>
    (
      await env()
        .store.db.selectFrom('analytics_counters')
        .select(['name', 'count'])
        .orderBy('name')
        .execute()
    )
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => [r.name, Number(r.count)]);

  it('builds a shape once and runs its SQL again with the new values', async () => {
    const shapes = new QueryShapes();
    let built = 0;
    const run = (name: string, count: number) =>
      shapes.execute(env().store.db, 'counter', [name, count, 'now'], () => {
        built++;
        return env().store.db.insertInto('analytics_counters').values({ name, count, updated_at: 'now' });
      });
    await run('shape.a', 1);
    await run('shape.b', 2);
    await run('shape.c', 3);
    assert.equal(built, 1);
    assert.deepEqual(await counts(), [
      ['shape.a', 1],
      ['shape.b', 2],
      ['shape.c', 3],
    ]);
    const { rows } = await shapes.execute(env().store.db, 'select', ['shape.b'], () =>
      env().store.db.selectFrom('analytics_counters').select('count').where('name', '=', 'shape.b'),
    );
    assert.deepEqual(
      rows.map((r) => Number(r.count)),
      [2],
    );
  });

  it('refuses, on first use, parameters listed in another order than the query takes them', async () => {
    const shapes = new QueryShapes();
    const insert = (params: unknown[]) =>
      shapes.execute(env().store.db, 'counter', params, () =>
        env()
          .store.db.insertInto('analytics_counters')
          .values({ name: 'shape.x', count: 5, updated_at: 'now' }),
      );
    await assert.rejects(insert([5, 'shape.x', 'now']), /parameters given are not the compiled query's/);
    assert.deepEqual(await counts('shape.x'), []);
    await insert(['shape.x', 5, 'now']);
    assert.deepEqual(await counts('shape.x'), [['shape.x', 5]]);
  });
});
