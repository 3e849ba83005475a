// `vow retention enforce`: counts what has outlived the policy's retention on a real data folder,
// with --dry-run changing nothing and the real run erasing it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/platform/config.js';
import { cliEnvironment } from '../helpers/cli.js';

describe('vow retention enforce', () => {
  const { env, run: vow } = cliEnvironment('retention');
  const run = (...args: string[]) => vow('retention', 'enforce', ...args);

  const count = async () => {
    const ctx = await createContext(loadConfig(env));
    try {
      const r = await ctx.store.db
        .selectFrom('consent_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    } finally {
      await ctx.store.close();
    }
  };

  it('counts with --dry-run, erases without it, and finds nothing the second time', async () => {
    const ctx = await createContext(loadConfig(env));
    // A consent granted six years ago and withdrawn five and a half years ago: the grant is past the
    // policy's five years of proof (consent, P5Y); the withdrawal is the person's state in force
    // (P11) and is kept however old.
    for (const [id, event, at] of [
      ['ce-old', 'granted', '2020-01-01T00:00:00.000Z'],
      ['ce-withdrawn', 'withdrawn', '2020-06-01T00:00:00.000Z'],
    ] as const)
      await ctx.store.db
        .insertInto('consent_events')
        .values({
          id,
          subject_ref: 's-old',
          channel: 'email_marketing',
          event,
          cause_type: 'contest_entry',
          cause_ref: 'r-old',
          staff_id: null,
          policy_version: ctx.policy.version,
          at,
        })
        .execute();
    await ctx.store.close();

    const dry = await run('--dry-run', '--json');
    assert.equal(dry.code, 0, dry.err);
    const planned = JSON.parse(dry.out) as { dryRun: boolean; rowsDeleted: number };
    assert.equal(planned.dryRun, true);
    assert.equal(planned.rowsDeleted, 1);
    assert.equal(await count(), 2, 'a dry run changes nothing');

    const real = await run();
    assert.equal(real.code, 0, real.err);
    assert.match(real.out, /rows of Vow's tables deleted: 1/);
    assert.equal(await count(), 1, 'the withdrawal in force stays');
    assert.match((await run()).out, /rows of Vow's tables deleted: 0/);
  });
});
