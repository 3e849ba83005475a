// The database schema as TypeScript types: the store's own tables here, every other part's in its
// tables.ts (merged into `Database` below).
// Timestamps are ISO 8601 UTC text and booleans are 0/1 integers, so both dialects store the same.
import type { Generated } from 'kysely';

/** Tables owned by the store itself. */
export interface StoreTables {
  /** A tiny key-value table for facts about the installation (e.g. when it was first started). */
  vow_meta: {
    key: string;
    value: string;
    updated_at: string;
  };
  /** Counter used by tests and benchmarks to prove a write happened; also a cheap liveness probe. */
  vow_heartbeat: {
    id: Generated<number>;
    at: string;
  };
}

/**
 * The whole database. Each part of Vow that owns tables declares them in its own tables.ts and adds
 * them here by declaration merging (`declare module … { interface Database extends XTables {} }`),
 * so the store knows every table's type without importing any module.
 */
export interface Database extends StoreTables {}
