// Retention's erasure holds on disk too (P3, P22): after the daily enforcement deleted what expired
// (a gift recipient's contact a year after the order), neither the SQLite file nor its write-ahead
// log keeps their sealed values; the log kept the pages as they were before until the next
// checkpoint. SQLite only (PostgreSQL: docs/operations.md, "Erased rows on disk").
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { withGift } from '../promises/support.js';
import { fileEnv, onDisk, removeFileEnvs } from './file-env.js';

after(removeFileEnvs);

const DAY = 86_400_000;

it('a retention run that erased a gift recipient leaves none of their sealed values in the SQLite file or its log', async () => {
  const { e, file, close } = await fileEnv();
  try {
    const { giftId } = await withGift(e);
    const rows = await e.store.db
      .selectFrom('subject_identifiers')
      .select('sealed_value')
      .where('subject_id', '=', giftId)
      .execute();
    const secrets = rows.flatMap((r) => (r.sealed_value ? [r.sealed_value.slice(0, 48)] : []));
    assert.ok(secrets.length > 0 && onDisk(file, secrets).length > 0, 'the probe sees the values before');

    e.clock.advance(366 * DAY);
    const done = await e.services.retention.enforcer.enforce();
    assert.equal(done.people, 1);
    assert.deepEqual(onDisk(file, secrets), []);
  } finally {
    await close();
  }
});
