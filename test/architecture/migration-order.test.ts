// A store that ran a released Vow's migrations upgrades: Kysely's Migrator refuses ("corrupted
// migrations") a new migration whose name sorts before the last one a store has executed. A migration
// named 0773 among a release's 0780-0791 would have stopped every existing store at its next start
// (found in review on 7 December 2026). test/fixtures/released-migrations.txt lists what released
// stores have run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MIGRATIONS } from '../../src/app/migrations.js';

const released = readFileSync(new URL('../fixtures/released-migrations.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

describe('migration order', () => {
  const names = Object.keys(MIGRATIONS);

  it('keeps every released migration, under its name', () => {
    for (const name of released)
      assert.ok(names.includes(name), `${name} was released: never rename or drop it`);
  });

  it('names every new migration after the last released one', () => {
    const last = [...released].sort().at(-1)!;
    const late = names.filter((n) => !released.includes(n) && n <= last);
    assert.deepEqual(late, [], `new migrations must sort after ${last} (rename them)`);
  });
});
