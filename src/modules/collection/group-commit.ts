// Group commit of the collection endpoints (POST /v1/orders and the other collection points), as
// measurements have it: a request joins the group being gathered, and the group is written by the
// one write path (collectAll's) in ONE transaction, so under load one commit (one fsync on SQLite,
// one round trip of COMMIT on PostgreSQL) carries many collections instead of one each. Each request
// is answered only once its group is committed.
//
// Nothing is weakened: each submission was planned (point, under-13 gate, phone numbers) before it
// joined, so a refusal found there answers that request alone; inside the group, the write path
// handles an order id twice (the later one answers as a replay) and a person found twice, as a batch
// does. A group is all or nothing, so when one fails (an order id recorded with another body, a
// person marked as under 13 meanwhile, two requests with one Idempotency-Key, a lost race), nothing
// of it is stored and every submission is written again alone, in arrival order, each getting its
// own answer exactly as it would have without grouping. What a group's transaction meets of
// another's (another Vow process on the same PostgreSQL: the same new person, the same order id or
// Idempotency-Key) is a lost race or a conflict, so that group fails and is written again alone.
import { GroupQueue } from '../../platform/group-queue.js';
import type { IdempotencyKeys } from './idempotency.js';
import type { BatchCollected, CollectionResult, OnWritten, OrderCollected, Plan } from './plan.js';

/** The keyed hashes of an Idempotency-Key and of its request (IdempotencyKeys.hashes). */
export type KeyHashes = { readonly key: string; readonly request: string };

/** The one write path of a batch of plans (CollectionService's). */
export type WritePlans = (plans: readonly Plan[], onWritten?: OnWritten) => Promise<BatchCollected>;

/** The most submissions one transaction carries (the rest wait for the next one). */
export const MAX_GROUP = 64;

/**
 * Groups written at the same time on PostgreSQL: one. Two writers (6 December: one had left the
 * process idle 63% of the time under load) halve each group, and a group's round trips (about 11 a
 * group of new buyers) are paid per group: with one writer, groups of ~16 orders instead of ~10 under
 * the benchmark's load cost 2-12% less of Vow's CPU and 14-29% less of PostgreSQL's an order (three
 * pairs alternated with two writers on a loaded machine, 7 December; BENCHMARKS.md). The requests
 * are still read, checked and planned while a group is written. SQLite writes one
 * transaction at a time on its one connection, so it is 1 there in any case.
 */
export const POSTGRES_WRITERS = 1;

interface Pending {
  readonly plan: Plan;
  readonly hashes: KeyHashes | undefined;
  readonly resolve: (r: CollectionResult<OrderCollected>) => void;
  readonly reject: (err: unknown) => void;
}

export class GroupCommit {
  readonly #write: WritePlans;
  readonly #keys: IdempotencyKeys;
  readonly #queue: GroupQueue<Pending>;
  /**
   * Groups written, submissions in them, submissions written again alone, and the most groups
   * written at the same time (for tests and the benchmark's notes).
   */
  readonly stats = { groups: 0, submissions: 0, retriedAlone: 0, mostAtOnce: 0 };

  /** `writers`: groups written at the same time (POSTGRES_WRITERS on PostgreSQL, else 1). */
  constructor(write: WritePlans, keys: IdempotencyKeys, options: { max?: number; writers?: number } = {}) {
    this.#write = write;
    this.#keys = keys;
    this.#queue = new GroupQueue(options.max ?? MAX_GROUP, (group) => this.#writeGroup(group), {
      writers: options.writers ?? 1,
    });
  }

  /**
   * Writes one planned submission with the group being gathered and answers once it is committed.
   * With an Idempotency-Key, a kept answer is given again (`replayed`) without joining.
   */
  async submit(plan: Plan, hashes?: KeyHashes): Promise<CollectionResult<OrderCollected>> {
    if (hashes) {
      const kept = await this.#keys.answerOf<OrderCollected>(hashes);
      if (kept) return { ...kept, replayed: true };
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ plan, hashes, resolve, reject });
    });
  }

  async #writeGroup(group: readonly Pending[]): Promise<void> {
    this.stats.groups++;
    this.stats.submissions += group.length;
    this.stats.mostAtOnce = Math.max(this.stats.mostAtOnce, this.#queue.active);
    if (group.length === 1) {
      const only = group[0]!;
      await this.#alone(only, false).then(only.resolve, only.reject);
      return;
    }
    let results: readonly CollectionResult<OrderCollected>[];
    try {
      ({ results } = await this.#write(
        group.map((p) => p.plan),
        (trx, answers) => this.#keepAll(trx, group, answers),
      ));
    } catch {
      // Nothing of the group was stored: each submission again on its own, in arrival order.
      for (const p of group) {
        this.stats.retriedAlone++;
        await this.#alone(p, true).then(p.resolve, p.reject);
      }
      return;
    }
    for (const [i, p] of group.entries()) p.resolve(results[i]!);
  }

  /** Keeps the group's Idempotency-Keys with their answers, in the group's transaction. */
  async #keepAll(
    trx: Parameters<OnWritten>[0],
    group: readonly Pending[],
    answers: Parameters<OnWritten>[1],
  ): Promise<void> {
    for (const [i, p] of group.entries()) if (p.hashes) await this.#keys.keep(trx, p.hashes, answers[i]!);
  }

  /**
   * One submission in its own transaction, as an endpoint without grouping writes it: a key whose
   * answer was kept meanwhile (by the other request of a race, or earlier in a failed group's retry)
   * answers as a replay.
   */
  async #alone(p: Pending, checkKey: boolean): Promise<CollectionResult<OrderCollected>> {
    const hashes = p.hashes;
    for (let attempt = 1; ; attempt++) {
      if (hashes && checkKey) {
        const kept = await this.#keys.answerOf<OrderCollected>(hashes);
        if (kept) return { ...kept, replayed: true };
      }
      try {
        const { results } = await this.#write(
          [p.plan],
          hashes ? (trx, answers) => this.#keys.keep(trx, hashes, answers[0]!) : undefined,
        );
        return results[0]!;
      } catch (err) {
        // The other request of a race kept the key first: answer as its retry.
        if (hashes && attempt === 1 && (await this.#keys.answerOf(hashes).catch(() => 'conflict'))) {
          checkKey = true;
          continue;
        }
        throw err;
      }
    }
  }
}
