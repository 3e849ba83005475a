// Fixtures for audience tests: many people enrolled in email marketing, written straight to the
// tables (the collection endpoints would take too long for thousands of people).
import type { Insertable } from 'kysely';
import { appendConsentEvent, type ConsentEventType } from '../../src/modules/consent/ledger.js';
import type { Database } from '../../src/platform/store/database.js';
import type { TestEnv } from './env.js';

/** A contestant's email address as the contest entry `recordId` stored it: sealed, with its keyed hash. */
export async function contestEmail(
  env: TestEnv,
  subjectId: string,
  email: string,
  recordId: string,
): Promise<Insertable<Database['subject_identifiers']>> {
  const { ctx } = env;
  return {
    id: ctx.random.uuid(),
    subject_id: subjectId,
    kind: 'email',
    blind_index: ctx.vault.blindIndex('email', email),
    sealed_value: await ctx.vault.encrypt(subjectId, email),
    field: 'email',
    subject_kind: 'contestant',
    collection_point: 'contest_entry',
    record_type: 'contest_entry',
    record_id: recordId,
    policy_version: ctx.policy.version,
    collected_at: ctx.clock.now().toISOString(),
  };
}

/**
 * One contestant written straight to the tables: the person, their identifier rows (contestEmail's),
 * and a contest entry's consent event on each channel of `events` (channel: event, in that order).
 */
export async function writeContestant(
  env: TestEnv,
  subjectId: string,
  identifiers: readonly Insertable<Database['subject_identifiers']>[],
  events: Readonly<Record<string, ConsentEventType>>,
): Promise<void> {
  const { ctx, store } = env;
  const at = ctx.clock.now().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('subjects')
      .values({ id: subjectId, created_at: at, updated_at: at, under13: 0 })
      .execute();
    await trx
      .insertInto('subject_identifiers')
      .values([...identifiers])
      .execute();
    for (const [channel, event] of Object.entries(events))
      await appendConsentEvent(trx, ctx.random, {
        subjectRef: subjectId,
        channel,
        event,
        cause: { type: 'collection_point', ref: 'contest_entry' },
        at: ctx.clock.now(),
        policyVersion: ctx.policy.version,
      });
  });
}

/** `n` contestants enrolled in email marketing, each with one address `<prefix><i>@example.com`. */
export async function enrolContestants(env: TestEnv, n: number, prefix = 'reader'): Promise<string[]> {
  const { ctx, store } = env;
  const at = ctx.clock.now().toISOString();
  const ids = Array.from({ length: n }, () => ctx.random.uuid());
  const identifiers: Insertable<Database['subject_identifiers']>[] = [];
  for (const [i, id] of ids.entries())
    identifiers.push(await contestEmail(env, id, `${prefix}${i}@example.com`, `r-${i}`));
  await store.db.transaction().execute(async (trx) => {
    // In slices: SQLite and PostgreSQL cap the parameters of one statement.
    for (let i = 0; i < n; i += 200) {
      await trx
        .insertInto('subjects')
        .values(ids.slice(i, i + 200).map((id) => ({ id, created_at: at, updated_at: at, under13: 0 })))
        .execute();
      await trx
        .insertInto('subject_identifiers')
        .values(identifiers.slice(i, i + 200))
        .execute();
    }
    for (const id of ids) {
      await appendConsentEvent(trx, ctx.random, {
        subjectRef: id,
        channel: 'email_marketing',
        event: 'enrolled',
        cause: { type: 'collection_point', ref: 'contest_entry' },
        at: ctx.clock.now(),
        policyVersion: ctx.policy.version,
      });
    }
  });
  return ids;
}
