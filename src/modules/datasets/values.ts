// Values of annotated columns as the walker and expiry see them: the category a row's value holds,
// whose it is, and how a sealed value is opened, sealed again or masked.
import { sql } from 'kysely';
import type { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import { type AnyDb, type Row, rowKey } from './rows.js';
import type { AnnotatedColumn, AnnotatedTable, JsonField, PersonIdentity } from './types.js';

/** Plain JSON for an exported value: dates as ISO text, bytes as base64, bigints as text. */
export function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return v.toString();
  return v ?? null;
}

export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('v1.');
}

/**
 * The category of a column's value in this row (`category_by` picks it from another column,
 * `category_from` reads it there).
 */
export function categoryOf(column: AnnotatedColumn, row: Row): string {
  if (column.categoryFrom) {
    const named = row[column.categoryFrom];
    return named != null && named !== '' ? String(named) : column.category;
  }
  if (!column.categoryBy) return column.category;
  const v = row[column.categoryBy.column];
  return (v != null && column.categoryBy.values[String(v)]) || column.category;
}

/** The categories a column holds in this row: its fields' for a JSON column, else the row's own. */
export function rowCategories(column: AnnotatedColumn, row: Row): string[] {
  return column.fields ? column.fields.map((f) => f.category) : [categoryOf(column, row)];
}

/** Every category a column can hold (for whole-row decisions). */
export function allCategories(column: AnnotatedColumn): string[] {
  return [
    column.category,
    ...Object.values(column.categoryBy?.values ?? {}),
    ...(column.fields ?? []).map((f) => f.category),
  ];
}

/** The vault key id a sealed value of this row uses, or undefined when the row names no owner. */
export function keyIdOf(column: AnnotatedColumn, row: Row): string | undefined {
  const col = column.vaultKey?.column ?? column.subjectColumn;
  const v = col ? row[col] : undefined;
  return v == null ? undefined : `${column.vaultKey?.prefix ?? ''}${String(v)}`;
}

/**
 * A value with an owner column (subject_column) is the person's only when that column holds one
 * of their subject ids: a gift recipient's sealed address in the buyer's order is not the buyer's.
 */
export function owned(column: AnnotatedColumn, row: Row, who: PersonIdentity): boolean {
  if (!column.subjectColumn) return true;
  const owner = row[column.subjectColumn];
  return owner != null && (who.subjectIds ?? []).includes(String(owner));
}

/**
 * Opens and seals values of Vow's own store inside the walker's transaction. Wrapped data keys are
 * read through that transaction (never through a second connection: on SQLite there is only one,
 * which the transaction holds), and a destroyed key is known without asking the vault again.
 */
export class KeyRing {
  readonly #vault: Vault;
  readonly #db: AnyDb;
  readonly #wrapped = new Map<string, string | null>();

  constructor(vault: Vault, db: AnyDb) {
    this.#vault = vault;
    this.#db = db;
  }

  async #wrappedKey(keyId: string): Promise<string | null> {
    if (this.#wrapped.has(keyId)) return this.#wrapped.get(keyId) ?? null;
    const r = await sql<{
      wrapped_key: string | null;
    }>`select wrapped_key from data_keys where subject_id = ${keyId}`.execute(this.#db);
    const wrapped = r.rows[0]?.wrapped_key ?? null;
    this.#wrapped.set(keyId, wrapped);
    return wrapped;
  }

  /** The value, or null when the key was destroyed (crypto-shredded) or never existed. */
  async open(keyId: string, sealed: string): Promise<string | null> {
    return this.#vault.decryptWithWrappedKey(keyId, await this.#wrappedKey(keyId), sealed);
  }

  /**
   * Seals under an existing key (opening it first, so the vault never has to look it up itself).
   * Throws VOW_SUBJECT_SHREDDED when the key is gone.
   */
  async seal(keyId: string, plaintext: string): Promise<string> {
    const wrapped = await this.#wrappedKey(keyId);
    if (wrapped === null)
      throw new VowError(
        'VOW_SUBJECT_SHREDDED',
        'This person was deleted; nothing more can be stored for them',
      );
    // Unwrap the key from what this transaction read (the vault keeps it), so encrypt() finds it
    // without a query of its own; the empty ciphertext itself is refused, as expected.
    try {
      this.#vault.decryptWithWrappedKey(keyId, wrapped, '');
    } catch (err) {
      if (!(err instanceof VowError && err.code === 'VOW_DECRYPTION_FAILED')) throw err;
    }
    return this.#vault.encrypt(keyId, plaintext);
  }
}

/** The column's value in the row, opened with the owner's key when sealed. */
export async function readValue(
  column: AnnotatedColumn,
  row: Row,
  keys: KeyRing | undefined,
): Promise<unknown> {
  const raw = row[column.name];
  if (column.encrypted !== 'vault' || !isSealed(raw)) return plainValue(raw);
  const keyId = keyIdOf(column, row);
  if (!keys || keyId === undefined) return null;
  return keys.open(keyId, raw);
}

/** A JSON column's object (or null when empty, unreadable or not an object). */
export function parseObject(value: unknown): Record<string, unknown> | null {
  if (value == null) return null;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function fieldSpec(column: AnnotatedColumn, key: string): JsonField {
  return (
    column.fields?.find((f) => f.name === key) ?? { name: key, category: column.category, onDelete: 'remove' }
  );
}

/** The value to store for a column: sealed under the owner's key when the column is sealed. */
export async function storeValue(
  column: AnnotatedColumn,
  row: Row,
  value: string | null,
  keys: KeyRing | undefined,
) {
  if (value === null || column.encrypted !== 'vault') return value;
  const keyId = keyIdOf(column, row);
  if (!keys || keyId === undefined) throw new Error(`Cannot seal ${column.name}: no owner or no vault`);
  return keys.seal(keyId, value);
}

/** The mask for a sealed column, sealed under the owner's key (plain if that key was destroyed). */
export async function sealedMask(
  column: AnnotatedColumn,
  row: Row,
  mask: string,
  keys: KeyRing | undefined,
): Promise<string> {
  if (column.encrypted !== 'vault' || !keys) return mask;
  try {
    return (await storeValue(column, row, mask, keys)) ?? mask;
  } catch (err) {
    if (err instanceof VowError && err.code === 'VOW_SUBJECT_SHREDDED') return mask;
    throw err;
  }
}

export function maskFor(column: AnnotatedColumn, table: AnnotatedTable, row: Row): string {
  return column.maskWith.replaceAll('{pk}', rowKey(table, row));
}
