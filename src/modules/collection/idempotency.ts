// Idempotency keys for the collection endpoints: the shop backend sends `Idempotency-Key: <its
// own id for the attempt>` and may retry a request whose answer it never saw. The key's first
// answer is kept for IDEMPOTENCY_TTL_MS and given again to the same key with the same body; the same
// key with another body is refused (VOW_IDEMPOTENCY_CONFLICT). The key is stored with the answer in
// the collection's own transaction, so a key never stands for a collection that was not written,
// and two requests racing with one key store one collection (the second one's insert of the key
// fails, it finds the first one's answer and gives it).
//
// Keys are scoped to the caller (API key) and the collection point; only keyed hashes of the key
// and of the body are stored, with the answer (record and subject ids, no personal value).

import type { Transaction } from 'kysely';
import { canonicalJson } from '../../platform/canonical-json.js';
import { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';

/** How long a key's answer is kept (and given again): a day, as is common for payment APIs. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** An Idempotency-Key: 1-255 printable ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/** Whose key: the caller (the API key's id) and the key they sent. */
export interface IdempotencyScope {
  readonly caller: string;
  readonly key: string;
}

export interface KeptAnswer<T> {
  readonly status: 200 | 201;
  readonly body: T;
}

/** Old keys are swept now and then (about one new key in this many). */
const SWEEP_EVERY = 200;

export class IdempotencyKeys {
  readonly #ctx: VowContext;
  #stored = 0;

  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** The keyed hashes a request is kept under and compared by. */
  hashes(scope: IdempotencyScope, point: string, body: unknown): { key: string; request: string } {
    if (!IDEMPOTENCY_KEY.test(scope.key))
      throw new VowError('VOW_VALIDATION', 'Invalid Idempotency-Key', {
        issues: [{ path: '/idempotency-key', message: 'must be 1 to 255 printable ASCII characters' }],
      });
    return {
      key: this.#ctx.vault.blindIndex('token', `idempotency:${scope.caller}\n${point}\n${scope.key}`),
      request: this.#ctx.vault.blindIndex('token', `idempotency-body:${point}\n${canonicalJson(body)}`),
    };
  }

  /**
   * The kept answer of a key (undefined when none is kept, or it expired); VOW_IDEMPOTENCY_CONFLICT
   * when the key was used with another body.
   */
  async answerOf<T>(hashes: { key: string; request: string }): Promise<KeptAnswer<T> | undefined> {
    const row = await this.#ctx.store.db
      .selectFrom('collection_idempotency')
      .selectAll()
      .where('key_hash', '=', hashes.key)
      .where('expires_at', '>', this.#ctx.clock.now().toISOString())
      .executeTakeFirst();
    if (!row) return undefined;
    if (!Vault.equal(row.request_hash, hashes.request))
      throw new VowError(
        'VOW_IDEMPOTENCY_CONFLICT',
        'This Idempotency-Key was already used with a different body; use a new key for a new request',
      );
    return { status: Number(row.status) as 200 | 201, body: JSON.parse(row.answer) as T };
  }

  /** Keeps a key's answer, inside the transaction that wrote the collection. */
  async keep(
    trx: Transaction<Database>,
    hashes: { key: string; request: string },
    answer: KeptAnswer<{ subjectId: string; giftRecipientSubjectId?: string }>,
  ): Promise<void> {
    const now = this.#ctx.clock.now();
    // An expired answer of the same key gives way (its primary key would refuse the new one).
    await trx
      .deleteFrom('collection_idempotency')
      .where('key_hash', '=', hashes.key)
      .where('expires_at', '<=', now.toISOString())
      .execute();
    await trx
      .insertInto('collection_idempotency')
      .values({
        key_hash: hashes.key,
        request_hash: hashes.request,
        status: answer.status,
        answer: JSON.stringify(answer.body),
        subject_id: answer.body.subjectId,
        other_subject_id: answer.body.giftRecipientSubjectId ?? null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
      })
      .execute();
    if (++this.#stored % SWEEP_EVERY === 0)
      await trx.deleteFrom('collection_idempotency').where('expires_at', '<=', now.toISOString()).execute();
  }
}
