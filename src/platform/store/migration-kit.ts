// What a migration gets besides the database: the dialect, and helpers for the few column types
// SQLite and PostgreSQL spell differently.
import type { CreateTableBuilder, Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface MigrationKit {
  readonly dialect: DialectName;
  /** Adds an auto-incrementing integer primary key (identity on PostgreSQL, rowid alias on SQLite). */
  withSerialId<T extends string, C extends string>(
    builder: CreateTableBuilder<T, C>,
    column: string,
  ): CreateTableBuilder<T, C>;
}

export interface VowMigration {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
  up(db: Kysely<any>, kit: MigrationKit): Promise<void>;
}

export function migrationKit(dialect: DialectName): MigrationKit {
  return {
    dialect,
    withSerialId: (builder, column) =>
      dialect === 'postgres'
        ? builder.addColumn(column, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : builder.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement()),
  };
}
