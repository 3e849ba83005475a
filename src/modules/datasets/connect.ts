// Connectors: one Kysely instance over any of the three engines a retailer's database may run on.
// The walker speaks to all of them through Kysely's `sql` tag, which quotes names and numbers
// parameters in each engine's own way.
// The PostgreSQL and MySQL drivers are loaded only when a dataset on that engine is opened.
import { createRequire } from 'node:module';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import type mysql from 'mysql2';
import { VowError } from '../../platform/errors.js';
import { pgDriver } from '../../platform/store/index.js';
import { redactUrl } from './redact-url.js';

export type DatasetEngine = 'sqlite' | 'postgres' | 'mysql';

export interface DatasetConnection {
  // biome-ignore lint/suspicious/noExplicitAny: a retailer's schema is described by its annotation, not by types
  readonly db: Kysely<any>;
  readonly engine: DatasetEngine;
  /** Where it points, without credentials. */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * The engine a connection URL names: postgres://, mysql:// or mariadb://, sqlite:PATH or a file path.
 * Any other scheme (http://, a typo such as postgress://) is refused: it was taken for a SQLite file
 * path, and `vow datasets seed-example` created a database file named after the URL.
 */
export function engineOf(url: string): DatasetEngine {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^(sqlite|file):/i.test(url))
    throw new VowError(
      'VOW_DATASET_UNAVAILABLE',
      `Cannot open the dataset at ${redactUrl(url)}: not a database URL (use postgres://…, mysql://…, mariadb://… or sqlite:PATH)`,
    );
  return 'sqlite';
}

/** The SQLite file a `sqlite:` URL (or plain path) names. */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
}

/** Opens a dataset's database. Nothing is queried until the walker asks. */
export function connectDataset(url: string): DatasetConnection {
  const engine = engineOf(url);
  try {
    if (engine === 'postgres') {
      const pool = new (pgDriver().Pool)({ connectionString: url, max: 4 });
      pool.on('error', () => {});
      const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
      return { db, engine, location: redactUrl(url), close: () => db.destroy() };
    }
    if (engine === 'mysql') {
      const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
      const { createPool } = createRequire(import.meta.url)('mysql2') as typeof mysql;
      const pool = createPool({
        host: u.hostname,
        port: u.port ? Number(u.port) : 3306,
        user: decodeURIComponent(u.username || 'root'),
        password: decodeURIComponent(u.password),
        database: u.pathname.replace(/^\//, '') || undefined,
        connectionLimit: 4,
        // Keep DATETIME/DECIMAL as text so every engine exports the same values.
        dateStrings: true,
        decimalNumbers: true,
      });
      const db = new Kysely({ dialect: new MysqlDialect({ pool }) });
      return { db, engine, location: redactUrl(url), close: () => db.destroy() };
    }
    const file = sqlitePath(url);
    const sqlite = new SQLite(file, { fileMustExist: file !== ':memory:' });
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, engine, location: file, close: () => db.destroy() };
  } catch (err) {
    throw new VowError(
      'VOW_DATASET_UNAVAILABLE',
      `Cannot open the dataset at ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`,
      undefined,
      { cause: err },
    );
  }
}
