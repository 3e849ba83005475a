// vow_meta, the store's key-value table of facts about the installation (the vault's sealed index
// key, a demo seed already used, …). Only these functions write it, so the table has one owner.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The value under a key, or undefined. */
export async function readMeta(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('vow_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores a value under a key unless one is there already; true when this call stored it. */
export async function claimMeta(db: Executor, key: string, value: string, at: Date): Promise<boolean> {
  const res = await db
    .insertInto('vow_meta')
    .values({ key, value, updated_at: at.toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Replaces the value under an existing key; true when there was one. */
export async function replaceMeta(db: Executor, key: string, value: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('vow_meta')
    .set({ value, updated_at: at.toISOString() })
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
