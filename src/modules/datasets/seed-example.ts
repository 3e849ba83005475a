// Seeds the example shop (examples/shop) into a database named by URL, for any of the three engines.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createExampleShop, dropExampleShop } from '../../../examples/shop/shop.js';
import { VowError } from '../../platform/errors.js';
import { notConnected } from '../../platform/store/index.js';
import { connectDataset, engineOf, sqlitePath } from './connect.js';

/** Creates (with reset: re-creates) the example shop's tables and rows; returns where, without credentials. */
export async function seedExampleShop(url: string, options: { reset?: boolean } = {}): Promise<string> {
  if (engineOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    if (file !== ':memory:') {
      try {
        mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        new SQLite(file).close();
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw new VowError(
          'VOW_DATASET_UNAVAILABLE',
          `Cannot create the example shop at ${file}: ${statSync(file, { throwIfNoEntry: false })?.isDirectory() ? 'it is a folder' : (code ?? String(err))}`,
          undefined,
          { cause: err },
        );
      }
    }
  }
  const conn = connectDataset(url);
  try {
    try {
      if (options.reset) await dropExampleShop(conn.db);
      await conn.db.transaction().execute((trx) => createExampleShop(trx));
    } catch (err) {
      // --reset helps with tables already there, not with a database out of reach.
      const hint = notConnected(err)
        ? 'check the URL and that the database is running'
        : '--reset re-creates it';
      throw new VowError(
        'VOW_DATASET_UNAVAILABLE',
        `Cannot create the example shop at ${conn.location}: ${err instanceof Error ? err.message : String(err)} (${hint})`,
        undefined,
        { cause: err },
      );
    }
    return conn.location;
  } finally {
    await conn.close();
  }
}
