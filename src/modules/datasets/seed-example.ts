// Seeds the example shop (examples/shop) into a database named by URL, for any of the three engines.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createExampleShop, dropExampleShop } from '../../../examples/shop/shop.js';
import { VowError } from '../../platform/errors.js';
import { connectDataset, engineOf, sqlitePath } from './connect.js';

/** Creates (with reset: re-creates) the example shop's tables and rows; returns where, without credentials. */
export async function seedExampleShop(url: string, options: { reset?: boolean } = {}): Promise<string> {
  if (engineOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    if (file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      new SQLite(file).close();
    }
  }
  const conn = connectDataset(url);
  try {
    if (options.reset) await dropExampleShop(conn.db);
    try {
      await conn.db.transaction().execute((trx) => createExampleShop(trx));
    } catch (err) {
      throw new VowError(
        'VOW_DATASET_UNAVAILABLE',
        `Cannot create the example shop at ${conn.location}: ${err instanceof Error ? err.message : String(err)} (--reset re-creates it)`,
        undefined,
        { cause: err },
      );
    }
    return conn.location;
  } finally {
    await conn.close();
  }
}
