// Public surface of src/platform/store.

export { type InsertRowsOptions, insertRows } from './bulk-insert.js';
export type { Database } from './database.js';
export { STORE_ERROR_CODES } from './errors.js';
export { type InsertResult, InsertSet, shiftParameters } from './insert-set.js';
export { claimMeta, readMeta, replaceMeta } from './meta.js';
export type { DialectName, VowMigration } from './migration-kit.js';
export { storeMigrations } from './migrations/index.js';
export { MAX_NAMED, nameStatement, statementName } from './named-statements.js';
export { forgetOldPages } from './old-pages.js';
export { migrateToLatest, openStore, type Store } from './open-store.js';
export { pgDriver } from './pg-driver.js';
export { QueryShapes } from './query-shapes.js';
export { notConnected, storageFault } from './storage-faults.js';
export { isIn, LIST_CHUNK, listChunks } from './value-lists.js';
