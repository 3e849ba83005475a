// Field encryption at rest (P13): every personal value is sealed with AES-256-GCM under a data key
// of its own person, and that key is wrapped by the master key. Destroying a person's data key
// (crypto-shredding) makes every copy of their values unreadable, old backups included.
// Equality look-ups (email, phone) use a keyed hash (HMAC-SHA-256), never plaintext.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock, Random } from '../clock.js';
import { VowError } from '../errors.js';
import { claimMeta, type Database, InsertSet, readMeta, replaceMeta, type Store } from '../store/index.js';
import { type OpenItem, open, openItems, openText, seal } from './aead.js';
import { BulkOpener, WorkerGone } from './bulk-opener.js';
import { closedAmong, closeKeys } from './closed-keys.js';
import { DataKeyCache } from './key-cache.js';

export type { OpenItem } from './aead.js';

export interface VaultOptions {
  /**
   * Batches of openMany() of at least this many values are opened in a worker thread (default 256;
   * Infinity: always inline).
   */
  readonly openInWorkerFrom?: number;
}

/**
 * How long a process may go on using a data key it holds without looking for keys other processes
 * destroyed (docs/security.md, "Destroyed data keys"): a key destroyed elsewhere is forgotten by the
 * first use of any cached key after this much time since the last look. This bounds reading only:
 * a write checks its people's keys inside its transaction (closedAmong).
 */
export const DESTROYED_KEYS_CHECK_MS = 1000;
/**
 * Each look reads the keys destroyed since its last one less this margin: a destruction stamped by a
 * process whose clock is behind this one's (or committed a moment after its stamp) is still seen.
 */
export const DESTROYED_KEYS_MARGIN_MS = 30_000;

/** What a blind index is computed over; kept apart so an email hash never equals a phone hash. */
export type IndexKind = 'email' | 'phone' | 'account' | 'address' | 'cookie' | 'token' | 'form';

/** Where the blind-index key is kept, sealed by the master key (vow_meta). */
const INDEX_KEY = 'vault.index_key';

/**
 * Opens the sealed blind-index key: the first key every process opens, so failing here means the
 * whole store was sealed under another master key (or its key row was altered), not one value.
 */
function openIndexKey(master: Buffer, sealed: string): Buffer {
  try {
    return open(master, sealed, INDEX_KEY);
  } catch (err) {
    throw new VowError(
      'VOW_DECRYPTION_FAILED',
      'The master key does not open this store: it was made with another key. Start with the master key it was made with (VOW_MASTER_KEY or VOW_MASTER_KEY_FILE)',
      undefined,
      { cause: err },
    );
  }
}

export class Vault {
  readonly #store: Store;
  readonly #random: Random;
  readonly #clock: Clock;
  #master: Buffer;
  #indexKey: Buffer | undefined;
  /** HKDF-derived blind-index keys by kind (derived from #indexKey on first use). */
  readonly #indexKeys = new Map<IndexKind, Buffer>();
  /**
   * Unwrapped data keys of the people touched most recently (least recently used dropped first,
   * zeroed on destroy): about 1 MB at the limit. Bulk readers (audiences) use batchOpener() instead,
   * so one pass over a million people neither evicts every key in use nor churns the cache.
   */
  readonly #cache = new DataKeyCache(10_000);
  /**
   * Keys made for a batch's new people, not yet stored by its transaction (makeKeys), each with its
   * wrapping under the master key (made with it, so the transaction only writes it).
   */
  readonly #pending = new Map<string, { readonly key: Buffer; readonly wrapped: string }>();
  /** Large batches of openMany(), opened in a worker thread. */
  #bulk: BulkOpener;
  readonly #openInWorkerFrom: number;
  /**
   * When (this clock, ms) the vault last looked for keys destroyed by other processes, and the look
   * in flight (concurrent uses wait for the same one).
   */
  #checkedAt: number;
  #checking: Promise<void> | undefined;

  constructor(store: Store, masterKey: Buffer, random: Random, clock: Clock, options: VaultOptions = {}) {
    if (masterKey.length !== 32)
      throw new VowError('VOW_MASTER_KEY_INVALID', 'The master key must be 32 bytes');
    this.#store = store;
    this.#master = masterKey;
    this.#random = random;
    this.#clock = clock;
    this.#bulk = new BulkOpener(masterKey);
    this.#openInWorkerFrom = options.openInWorkerFrom ?? 256;
    // Nothing is cached yet: every key is read from the store from now on.
    this.#checkedAt = clock.now().getTime();
  }

  /** Loads (or creates once) the blind-index key, itself stored wrapped by the master key. */
  async init(): Promise<void> {
    this.#indexKeys.clear();
    const db = this.#store.db;
    const existing = await readMeta(db, INDEX_KEY);
    if (existing) {
      this.#indexKey = openIndexKey(this.#master, existing);
      return;
    }
    const fresh = this.#random.bytes(32);
    await claimMeta(
      db,
      INDEX_KEY,
      seal(this.#master, fresh, INDEX_KEY, this.#random.bytes(12)),
      this.#clock.now(),
    );
    // Another process may have won the race: read back whichever key is stored.
    const stored = await readMeta(db, INDEX_KEY);
    if (!stored) throw new Error('The vault index key was not stored');
    this.#indexKey = openIndexKey(this.#master, stored);
  }

  /**
   * Whether this master key opens the store, asked before anything is written to it (its pending
   * migrations included), so a start with the wrong key changes nothing. A store without an index
   * key yet (new) passes; one that cannot be read yet (no tables, or out of reach) is left to the
   * migrations, which create it or say why they cannot.
   */
  static async checkKey(store: Store, masterKey: Buffer): Promise<void> {
    let sealed: string | undefined;
    try {
      sealed = await readMeta(store.db, INDEX_KEY);
    } catch {
      return;
    }
    if (sealed) openIndexKey(masterKey, sealed);
  }

  /** Keyed hash for equality search: same input, same output; reveals nothing without the key. */
  blindIndex(kind: IndexKind, normalisedValue: string): string {
    if (!this.#indexKey) throw new Error('Vault.init() was not called');
    // The per-kind key is derived once (HKDF on every call was ~6% of a bulk import's CPU).
    let key = this.#indexKeys.get(kind);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#indexKey, Buffer.alloc(0), `vow-index:${kind}`, 32));
      this.#indexKeys.set(kind, key);
    }
    return createHmac('sha256', key).update(normalisedValue, 'utf8').digest('base64url');
  }

  /** Constant-time comparison of two secrets (tokens, codes, hashes). */
  static equal(a: string, b: string): boolean {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    return x.length === y.length && timingSafeEqual(x, y);
  }

  /**
   * Drops from the cache the keys destroyed (by any process on the store) since the last look, when
   * that look is DESTROYED_KEYS_CHECK_MS old: one indexed query a second at most, and only while keys
   * are used. Another process's destroyKey() drops the key from its own cache at once; this bounds
   * how long every other process may go on opening values with it (writes: closedAmong).
   */
  #forgetDestroyed(): Promise<void> | undefined {
    if (this.#checking) return this.#checking;
    const now = this.#clock.now().getTime();
    // (A clock set back counts as time gone by: the look reaches back from the earlier of the two.)
    if (Math.abs(now - this.#checkedAt) < DESTROYED_KEYS_CHECK_MS) return undefined;
    if (this.#cache.size === 0) {
      // Nothing to forget: every key from now on is read from the store.
      this.#checkedAt = now;
      return undefined;
    }
    const since = new Date(Math.min(this.#checkedAt, now) - DESTROYED_KEYS_MARGIN_MS).toISOString();
    this.#checking = (async () => {
      try {
        const destroyed = await this.#store.db
          .selectFrom('data_keys')
          .select('subject_id')
          .where('destroyed_at', '>=', since)
          .execute();
        for (const d of destroyed) this.#cache.delete(d.subject_id);
        // Only a look that happened moves the mark: a failed one is tried again by the next use.
        this.#checkedAt = now;
      } finally {
        this.#checking = undefined;
      }
    })();
    return this.#checking;
  }

  async #dataKey(subjectId: string, create: boolean): Promise<Buffer | undefined> {
    const checking = this.#forgetDestroyed();
    if (checking) await checking;
    const cached = this.#cache.get(subjectId) ?? this.#pending.get(subjectId)?.key;
    if (cached) return cached;
    const db = this.#store.db;
    let row = await db
      .selectFrom('data_keys')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
    if (!row && create) {
      const key = this.#random.bytes(32);
      await db
        .insertInto('data_keys')
        .values({
          subject_id: subjectId,
          wrapped_key: seal(this.#master, key, `data-key:${subjectId}`, this.#random.bytes(12)),
          created_at: this.#clock.now().toISOString(),
          destroyed_at: null,
        })
        .onConflict((oc) => oc.column('subject_id').doNothing())
        .execute();
      row = await db
        .selectFrom('data_keys')
        .selectAll()
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
    }
    if (!row || row.wrapped_key === null) return undefined;
    // A key an erasure has closed (destroyed_at set, destroyed once its rows are gone) still opens
    // what is there, but seals nothing more, and is not kept.
    if (row.destroyed_at !== null) {
      if (create) return undefined;
      return open(this.#master, row.wrapped_key, `data-key:${subjectId}`);
    }
    const key = open(this.#master, row.wrapped_key, `data-key:${subjectId}`);
    this.#cache.set(subjectId, key);
    return key;
  }

  /**
   * Inside a writer's transaction, before it stores rows for people it resolved before the
   * transaction began: which of them an erasure has closed (their key destroyed, or being destroyed),
   * so that nothing more may be written for them. One indexed statement for any number of people
   * (one per 500 on SQLite). On PostgreSQL it takes a share lock on their key rows, which an
   * erasure's closeKeys (an UPDATE) conflicts with: either this transaction commits first and the
   * erasure, which deletes only after closing, sees its rows; or the erasure commits first and this
   * statement, having waited for it, sees the key closed. On SQLite writers run one at a time, so
   * reading inside the transaction suffices. The closed keys are dropped from this process's cache
   * (a person without a key row, never sealed under, is not closed).
   */
  async closedAmong(trx: Transaction<Database>, subjectIds: readonly string[]): Promise<Set<string>> {
    const closed = await closedAmong(trx, this.#store.dialect, subjectIds);
    for (const id of closed) this.#cache.delete(id);
    return closed;
  }

  /**
   * closedAmong that refuses: VOW_SUBJECT_SHREDDED when an erasure closed any of these people's keys
   * (for writes that cannot resolve the person again, as a collection does).
   */
  async assertOpen(trx: Transaction<Database>, subjectIds: readonly string[]): Promise<void> {
    if ((await this.closedAmong(trx, subjectIds)).size > 0)
      throw new VowError(
        'VOW_SUBJECT_SHREDDED',
        'This person was deleted; nothing more can be stored for them',
      );
  }

  /**
   * The first step of an erasure that destroys people's keys, in its own transaction before any of
   * their rows is deleted: from its commit on, no writer stores anything more for them (closedAmong;
   * sealing under the key is refused), while what is there can still be read until destroyKey. On
   * PostgreSQL this UPDATE waits for every writer that share-locked one of the keys to commit, so
   * the erasure's later deletes see their rows.
   */
  async closeKeys(trx: Transaction<Database>, subjectIds: readonly string[]): Promise<void> {
    for (const id of subjectIds) this.#cache.delete(id);
    await closeKeys(trx, this.#store.dialect, subjectIds, this.#clock.now().toISOString());
  }

  /**
   * The data keys of a batch's new people, made in memory: values are sealed under them at once
   * (encrypt() finds them here), and the batch's own transaction stores them (storeKeys), so a batch
   * commits once instead of twice. The caller settles them when its transaction has ended.
   */
  makeKeys(subjectIds: readonly string[]): void {
    for (const id of subjectIds) {
      if (this.#pending.has(id)) continue;
      const key = this.#random.bytes(32);
      this.#pending.set(id, {
        key,
        wrapped: seal(this.#master, key, `data-key:${id}`, this.#random.bytes(12)),
      });
    }
  }

  /**
   * Stores, in the caller's transaction, the keys makeKeys made for these people, in multi-row
   * statements. A person who already has a stored key cannot take a new one (values are sealed
   * under the key made here): that fails the transaction. With `set`, the insert joins the caller's
   * other inserts and the check runs when the caller flushes them.
   */
  async storeKeys(trx: Transaction<Database>, subjectIds: readonly string[], set?: InsertSet): Promise<void> {
    const now = this.#clock.now().toISOString();
    const rows = [...new Set(subjectIds)].map((id) => {
      const wrapped = this.#pending.get(id)?.wrapped;
      // (No person's id in the message: it may be logged.)
      if (!wrapped) throw new Error('A new person of the batch has no data key made for it');
      return {
        subject_id: id,
        wrapped_key: wrapped,
        created_at: now,
        destroyed_at: null,
      };
    });
    if (rows.length === 0) return;
    const writes = set ?? new InsertSet(trx, this.#store.dialect);
    writes.add('data_keys', rows, { onConflictDoNothing: ['subject_id'], returning: ['subject_id'] }, (r) => {
      if (r.returned.length !== rows.length)
        throw new Error('A new person of the batch has a data key already; the batch is written again');
    });
    if (!set) await writes.flush();
  }

  /**
   * Ends the keys makeKeys made: kept (cached) if the transaction that stored them committed,
   * forgotten if it did not (the batch is prepared again, with new people and new keys).
   */
  settleKeys(subjectIds: readonly string[], committed: boolean): void {
    for (const id of subjectIds) {
      const made = this.#pending.get(id);
      if (!made) continue;
      this.#pending.delete(id);
      if (committed) this.#cache.set(id, made.key);
    }
  }

  /** Seals a value of one person; creates their data key on first use. */
  encrypt(subjectId: string, plaintext: string): Promise<string> {
    // Key at hand, no look for destroyed keys due: sealed at once, without #dataKey's two awaits.
    if (this.#forgetDestroyed() === undefined) {
      const key = this.#cache.get(subjectId) ?? this.#pending.get(subjectId)?.key;
      if (key) {
        try {
          return Promise.resolve(this.#sealValue(key, subjectId, plaintext));
        } catch (err) {
          return Promise.reject(err);
        }
      }
    }
    return this.#encryptReading(subjectId, plaintext);
  }

  #sealValue(key: Buffer, subjectId: string, plaintext: string): string {
    return seal(key, Buffer.from(plaintext, 'utf8'), `value:${subjectId}`, this.#random.bytes(12));
  }

  /** encrypt() once the key is to be read or made and destroyed keys looked for. */
  async #encryptReading(subjectId: string, plaintext: string): Promise<string> {
    const key = await this.#dataKey(subjectId, true);
    if (!key)
      throw new VowError(
        'VOW_SUBJECT_SHREDDED',
        'This person was deleted; nothing more can be stored for them',
      );
    return this.#sealValue(key, subjectId, plaintext);
  }

  /** Opens a value of one person, or returns null when their key was destroyed (crypto-shredded). */
  async decrypt(subjectId: string, sealed: string): Promise<string | null> {
    const key = await this.#dataKey(subjectId, false);
    if (!key) return null;
    return openText(key, sealed, `value:${subjectId}`);
  }

  /**
   * Opens a value with a data key the caller already read (data_keys.wrapped_key), so a batch of
   * people costs one query instead of one per person (audiences). Null when the key was destroyed.
   */
  decryptWithWrappedKey(subjectId: string, wrappedKey: string | null, sealed: string): string | null {
    if (wrappedKey === null) {
      // Destroyed, perhaps by another process: not kept here either.
      this.#cache.delete(subjectId);
      return null;
    }
    let key = this.#cache.get(subjectId);
    if (!key) {
      key = open(this.#master, wrappedKey, `data-key:${subjectId}`);
      this.#cache.set(subjectId, key);
    }
    return openText(key, sealed, `value:${subjectId}`);
  }

  /**
   * For reading many people once each (an audience page): opens values with the wrapped keys the
   * caller read, unwrapping each person's key once for the opener's lifetime and never putting it
   * in the vault's cache (a million-person pass would only evict the keys in use and leave a
   * million dead cache entries to collect). Drop the opener with the batch. Null when the key was
   * destroyed.
   */
  batchOpener(): (subjectId: string, wrappedKey: string | null, sealed: string) => string | null {
    const keys = new Map<string, Buffer>();
    return (subjectId, wrappedKey, sealed) => {
      if (wrappedKey === null) return null;
      let key = keys.get(subjectId);
      if (!key) {
        key = open(this.#master, wrappedKey, `data-key:${subjectId}`);
        keys.set(subjectId, key);
      }
      return openText(key, sealed, `value:${subjectId}`);
    };
  }

  /**
   * Opens many people's values with the wrapped keys the caller read (an audience page), each
   * person's key unwrapped once and never cached: null where the key was destroyed. A batch of
   * openInWorkerFrom values or more is opened in a worker thread (bulk-opener.ts), so the caller can
   * read its next batch meanwhile; smaller ones here.
   */
  openMany(items: readonly OpenItem[]): Promise<(string | null)[]> {
    const master = this.#master;
    if (items.length >= this.#openInWorkerFrom)
      // A worker that cannot start or stops mid-way costs the second core, not the batch.
      return this.#bulk.open(items).catch((err: unknown) => {
        if (err instanceof WorkerGone) return openItems(master, items);
        throw err;
      });
    try {
      return Promise.resolve(openItems(master, items));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Whether openMany's worker thread is running now (for tests). */
  get openWorkerRunning(): boolean {
    return this.#bulk.running;
  }

  /** Stops openMany's worker thread now (it stops by itself when idle); it restarts on demand. */
  stopWorkers(): Promise<void> {
    return this.#bulk.stop();
  }

  /**
   * Crypto-shredding: the wrapped key is erased, so every value sealed under it is gone for good.
   * With `trx`, in the caller's transaction (an erasure that deletes in the same transaction calls
   * it before its deletes, as closeKeys; see there).
   */
  async destroyKey(subjectId: string, trx?: Transaction<Database>): Promise<void> {
    this.#cache.delete(subjectId);
    await (trx ?? this.#store.db)
      .updateTable('data_keys')
      .set({ wrapped_key: null, destroyed_at: this.#clock.now().toISOString() })
      .where('subject_id', '=', subjectId)
      .execute();
  }

  /**
   * Re-wraps every data key (and the index key) under a new master key without touching any
   * sealed value. Returns how many keys were re-wrapped.
   */
  async rotateMasterKey(newMaster: Buffer): Promise<number> {
    if (newMaster.length !== 32)
      throw new VowError('VOW_MASTER_KEY_INVALID', 'The new master key must be 32 bytes');
    const db = this.#store.db;
    let count = 0;
    await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('data_keys')
        .select(['subject_id', 'wrapped_key'])
        .where('wrapped_key', 'is not', null)
        // In key order, as writers share-lock them (closedAmong): the two wait, never in a circle.
        .orderBy('subject_id')
        .execute();
      for (const r of rows) {
        const key = open(this.#master, r.wrapped_key!, `data-key:${r.subject_id}`);
        await trx
          .updateTable('data_keys')
          .set({ wrapped_key: seal(newMaster, key, `data-key:${r.subject_id}`, this.#random.bytes(12)) })
          .where('subject_id', '=', r.subject_id)
          .execute();
        count++;
      }
      const idx = await readMeta(trx, INDEX_KEY);
      if (idx) {
        const indexKey = open(this.#master, idx, INDEX_KEY);
        await replaceMeta(
          trx,
          INDEX_KEY,
          seal(newMaster, indexKey, INDEX_KEY, this.#random.bytes(12)),
          this.#clock.now(),
        );
        count++;
      }
    });
    this.#master = newMaster;
    this.#cache.clear();
    // The worker holds the old master key: stopped, and the next bulk opening starts one with the new.
    const old = this.#bulk;
    this.#bulk = new BulkOpener(newMaster);
    await old.stop();
    return count;
  }
}
