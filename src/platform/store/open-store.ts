// Opens the database: SQLite (embedded, the default) or PostgreSQL, and applies pending migrations.
import { existsSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import { VowError } from '../errors.js';
import { ensurePrivateFile } from '../private-files.js';
import type { Database } from './database.js';
import { type DialectName, migrationKit, type VowMigration } from './migration-kit.js';
import { namingClient } from './named-statements.js';
import { pgDriver } from './pg-driver.js';
import { notConnected } from './storage-faults.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where the data lives, without credentials (for logs and `vow --help`). */
  readonly location: string;
  close(): Promise<void>;
  /**
   * SQLite only: the database's bytes as they stand (better-sqlite3's serialize()), which
   * `sqliteImage` opens as a copy in memory (the tests copy a migrated store instead of migrating).
   */
  readonly image?: () => Buffer;
}

export interface OpenStoreOptions {
  /** A postgres:// URL; when absent, SQLite is used. */
  readonly databaseUrl?: string | undefined;
  /** Folder of the SQLite file (created if missing). */
  readonly dataDir?: string;
  /** An explicit SQLite file, or ':memory:'. Overrides dataDir. */
  readonly sqliteFile?: string;
  /** SQLite: a copy of these bytes (a Store's image()) in memory, instead of a file. */
  readonly sqliteImage?: Buffer;
  /** Largest number of PostgreSQL connections in the pool. */
  readonly poolSize?: number;
  /**
   * SQLite's `synchronous` setting. FULL (the default) syncs the write-ahead log at every commit,
   * so a committed write survives a power cut; NORMAL may lose the last commits (the database stays
   * consistent). NORMAL exists for the benchmark that measures what FULL costs (BENCHMARKS.md).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /**
   * PostgreSQL: the bulk inserts parsed and planned once a connection (named-statements.ts); true
   * unless set false (VOW_DATABASE_PREPARE=off, for a pooler that cannot follow them).
   */
  readonly namedStatements?: boolean;
}

/** A statement that does nothing (a rollback with no transaction left to roll back). */
const NO_OP = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) };

/**
 * Kysely's SQLite driver calls better-sqlite3's prepare() for every query, and compiling the SQL
 * was about a third of the time of a write-heavy run (bench: `npm run bench`, profiled by the
 * performance work). Queries repeat (Kysely builds the same SQL text with different parameters),
 * so the compiled statements are kept, least recently used dropped first. A statement that is
 * still being iterated (a streamed query) is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database, limit = 2000): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, ...):
      // Kysely's rollback after that would throw "no transaction is active" in place of the error
      // that caused it (a full disk must answer 503, not 500), so it does nothing then.
      if (text === 'rollback' && !sqlite.inTransaction) return NO_OP as unknown as SQLite.Statement;
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
      cache.set(text, stmt);
      return stmt;
    },
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/**
 * better-sqlite3's compiled part missing (`bindings` found no file, or the file named by
 * nativeBinding is absent) or refused by this Node.js (another ABI, another platform, not a shared
 * object at all). Nothing about the data folder: its advice would send the operator the wrong way.
 */
function driverNotLoaded(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_DLOPEN_FAILED') return true;
  return (
    /Could not locate the bindings file|NODE_MODULE_VERSION/.test(err.message) ||
    (code === 'MODULE_NOT_FOUND' && /\.node\b/.test(err.message))
  );
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

/**
 * Why the SQLite store could not be opened, as an error with a stable code: its folder is a file
 * (VOW_CONFIG_INVALID: VOW_DATA_DIR is wrong), or the process may not write there (a read-only
 * folder, file or volume, or one owned by another user: VOW_STORAGE_READ_ONLY), or the driver itself
 * cannot be loaded (VOW_STORE_DRIVER). Each was a stack trace, and nothing was created.
 */
export function sqliteOpenError(file: string, err: unknown): VowError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const where = path.resolve(file);
  if (driverNotLoaded(err))
    return new VowError(
      'VOW_STORE_DRIVER',
      `Cannot open the SQLite store: the SQLite driver's native module (better-sqlite3) cannot be loaded, built for another Node.js version or not built at all (${firstLine(err)}). Run \`npm rebuild better-sqlite3\` with the Node.js that runs Vow (20.19 or later)`,
      undefined,
      { cause: err },
    );
  if (code === 'EEXIST' || code === 'ENOTDIR')
    return new VowError(
      'VOW_CONFIG_INVALID',
      `Invalid configuration: VOW_DATA_DIR: ${path.dirname(where)} is not a folder (it, or one above it, is a file): point VOW_DATA_DIR at a folder (it is created if missing)`,
      undefined,
      { cause: err },
    );
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'no permission (the folder or the file is read-only, or belongs to another user)'
      : code === 'EROFS'
        ? 'the volume is read-only'
        : err instanceof Error
          ? err.message
          : String(err);
  return new VowError(
    'VOW_STORAGE_READ_ONLY',
    `Cannot open the SQLite store ${where}: ${why}. Run Vow as the folder's owner, or make VOW_DATA_DIR writable`,
    undefined,
    { cause: err },
  );
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const driver = pgDriver();
    const pool = new driver.Pool({
      Client: namingClient(driver, options.namedStatements !== false),
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // A database that does not answer fails the request (503) instead of hanging it.
      connectionTimeoutMillis: 10_000,
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    // Nor one in use: a connection cut mid-transaction emits 'error' on its client, which would
    // crash the process without a listener. The query in flight still fails (503, see
    // src/faults/storage-faults.ts) and the pool drops the broken client and connects anew.
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', location: redactUrl(options.databaseUrl), close: () => db.destroy() };
  }
  const file = options.sqliteImage
    ? ':memory:'
    : (options.sqliteFile ?? path.join(options.dataDir ?? './data', 'vow.sqlite'));
  let sqlite: SQLite.Database;
  try {
    if (file !== ':memory:') {
      // Owner-only: the folder 0700, the database 0600 (SQLite gives its -wal and -shm files the
      // database file's permissions; ones left by an older version are tightened here).
      for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
        if (f === file || existsSync(f)) ensurePrivateFile(f);
    }
    sqlite = new SQLite(options.sqliteImage ?? file);
  } catch (err) {
    throw sqliteOpenError(file, err);
  }
  sqlite.pragma('journal_mode = WAL');
  // FULL: every commit is on disk before it is acknowledged (the README's power-cut promise).
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  // Deleted rows and the old bytes of updated ones are overwritten with zeros, not left in free
  // space: an erasure's destroyed data key (data_keys.wrapped_key) and deleted keyed hashes would
  // otherwise stay in the file, where a copy of it and the master key open what backups still seal.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's page cache: 4 MB instead of better-sqlite3's 16 MB (SQLite's own default is 2 MB). The
  // file's pages stay in the OS's cache either way; streaming the email audience of a million people
  // took as long with 2, 4 or 16 MB, and the 16 MB cache was 12 MB of the server's peak RSS.
  sqlite.pragma('cache_size = -4000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    location: file === ':memory:' ? file : path.resolve(file),
    close: () => db.destroy(),
    image: () => sqlite.serialize(),
  };
}

function provider(
  dialect: DialectName,
  migrations: Readonly<Record<string, VowMigration>>,
): MigrationProvider {
  const kit = migrationKit(dialect);
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(migrations)) out[name] = { up: (db) => m.up(db, kit) };
      return out;
    },
  };
}

/**
 * Applies every pending migration of the set (the composition root passes all of Vow's, src/app/
 * migrations.ts); returns the names applied. Each runs in its own transaction.
 */
export async function migrateToLatest(
  store: Store,
  migrations: Readonly<Record<string, VowMigration>>,
): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: provider(store.dialect, migrations) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    // Not a migration that failed, but no database to migrate: out of reach, or refusing this URL.
    if (failed === undefined && notConnected(error))
      throw new VowError(
        'VOW_DATABASE_UNAVAILABLE',
        `Cannot connect to the database at ${store.location}: ${error instanceof Error ? error.message : String(error)}. Check VOW_DATABASE_URL (host, port, database name, user and password) and that PostgreSQL is running; nothing was changed`,
        { retryAfterSeconds: 5 },
        { cause: error },
      );
    throw new VowError(
      'VOW_MIGRATION_FAILED',
      `Migration ${failed ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`,
      { migration: failed },
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
