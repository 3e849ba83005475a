// The durable outbox of signed events (Standard Webhooks): every event is a delivery row (its body
// sealed when it carries a personal value) plus a `downstream.deliver` job; a failed attempt is
// retried on a computed exponential schedule (never slept: the next attempt is a job due later), and
// after VOW_WEBHOOK_MAX_ATTEMPTS it is listed as failed (the dead-letter list) until staff retry it.
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { defineJob, type JobRunner } from '../../platform/jobs/index.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import type { WebhookEndpoints } from './endpoints.js';
import { minimise } from './events.js';
import { sign } from './signing.js';
import type { DeliveryStatus } from './tables.js';
import { attemptError } from './transport.js';
import type { Db, DeliveryView, Fetch, PreparedDelivery, PublishInput } from './webhook-shapes.js';

export const DELIVER_JOB = 'downstream.deliver';
const MAX_DELAY_MS = 10 * 60 * 60_000;

/** The wait before attempt `n + 1` after `n` failed attempts: 10 s, 30 s, 90 s, … at most 10 hours. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(MAX_DELAY_MS, 10_000 * 3 ** (failedAttempts - 1));
}

/** Told when a delivery is dead-lettered, delivered or put back (downstream tasks follow their delivery). */
export type OutcomeListener = (
  trx: Transaction<Database>,
  deliveryId: string,
  status: DeliveryStatus,
) => Promise<void> | undefined;

export class WebhookOutbox {
  readonly #ctx: VowContext;
  readonly #jobs: JobRunner;
  readonly #endpoints: WebhookEndpoints;
  readonly #fetch: Fetch;
  readonly #onOutcome: OutcomeListener;

  constructor(
    ctx: VowContext,
    jobs: JobRunner,
    endpoints: WebhookEndpoints,
    fetch: Fetch,
    onOutcome: OutcomeListener,
  ) {
    this.#ctx = ctx;
    this.#jobs = jobs;
    this.#endpoints = endpoints;
    this.#fetch = fetch;
    this.#onOutcome = onOutcome;
    jobs.register(
      defineJob({
        id: DELIVER_JOB,
        version: 1,
        schema: z.object({ deliveryId: z.string().min(1) }),
        // One attempt per job: failures are rescheduled by the handler on its own schedule.
        maxAttempts: 3,
        handler: ({ deliveryId }) => this.#attempt(deliveryId),
      }),
    );
  }

  /**
   * Builds the event's delivery for every active endpoint subscribed to it: the body minimised to
   * the endpoint's recipient and, when it carries a personal value, sealed under the delivery's own
   * key. Call it outside any transaction when `person` is given (the vault creates keys on its own
   * connection); then `insert` in the transaction of the change the event reports.
   */
  async prepare(db: Db, input: PublishInput): Promise<PreparedDelivery[]> {
    let endpoints = await this.#endpoints.subscribers(db, input.type);
    if (input.endpointIds) endpoints = endpoints.filter((e) => input.endpointIds!.includes(e.id));
    const now = this.#ctx.clock.now().toISOString();
    const out: PreparedDelivery[] = [];
    for (const e of endpoints) {
      const id = `msg_${this.#ctx.random.uuid().replaceAll('-', '')}`;
      const person = minimise(
        input.person,
        e.recipient ? this.#ctx.policy.recipient(e.recipient) : undefined,
      );
      const body = JSON.stringify({
        type: input.type,
        timestamp: now,
        data: { ...input.data, ...input.extra?.(e.id), ...(person ? { person } : {}) },
      });
      out.push({
        id,
        endpointId: e.id,
        type: input.type,
        subjectId: input.subjectId ?? null,
        sealed: person ? await this.#ctx.vault.encrypt(`webhook-delivery:${id}`, body) : null,
        body: person ? null : body,
      });
    }
    return out;
  }

  /** Queues prepared deliveries in the caller's transaction; returns delivery ids by endpoint. */
  async insert(
    trx: Transaction<Database>,
    prepared: readonly PreparedDelivery[],
  ): Promise<Map<string, string>> {
    const now = this.#ctx.clock.now().toISOString();
    const out = new Map<string, string>();
    for (const p of prepared) {
      await trx
        .insertInto('webhook_deliveries')
        .values({
          id: p.id,
          endpoint_id: p.endpointId,
          event_type: p.type,
          subject_id: p.subjectId,
          sealed: p.sealed,
          body: p.body,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          delivered_at: null,
        })
        .execute();
      await this.#jobs.enqueue(
        { name: DELIVER_JOB, payload: { deliveryId: p.id }, idempotencyKey: `${p.id}:1` },
        trx,
      );
      out.set(p.endpointId, p.id);
    }
    if (prepared.length > 0) this.#jobs.wake();
    return out;
  }

  /** An event without a personal value, queued in the caller's transaction. */
  async publish(
    trx: Transaction<Database>,
    input: Omit<PublishInput, 'person'>,
  ): Promise<Map<string, string>> {
    return this.insert(trx, await this.prepare(trx, input));
  }

  /** An event (with or without a person), prepared and queued in a transaction of its own. */
  async publishNow(input: PublishInput): Promise<Map<string, string>> {
    const prepared = await this.prepare(this.#ctx.store.db, input);
    return this.#ctx.store.db.transaction().execute((trx) => this.insert(trx, prepared));
  }

  /** One delivery attempt (the job's handler). */
  async #attempt(deliveryId: string): Promise<unknown> {
    const { store, clock, vault } = this.#ctx;
    const row = await store.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (row?.status !== 'pending') return { skipped: row?.status ?? 'missing' };
    const endpoint = await this.#endpoints.endpoint(store.db, row.endpoint_id);
    const body = row.sealed ? await vault.decrypt(`webhook-delivery:${row.id}`, row.sealed) : row.body;
    if (body === null || endpoint.disabled_at !== null)
      return this.#finish(
        row.id,
        'failed',
        Number(row.attempts),
        body === null ? 'VOW_SUBJECT_SHREDDED' : 'ENDPOINT_DISABLED',
      );
    const headers = sign(await this.#endpoints.secrets(endpoint.id), row.id, clock.now(), body);
    let error: string | null = null;
    try {
      const res = await this.#fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Vow-Webhooks/1', ...headers },
        body,
        signal: AbortSignal.timeout(15_000),
        // Never re-posted elsewhere: a redirect (to plain http, another host, a metadata address)
        // is a failed attempt, as any other answer outside 2xx.
        redirect: 'manual',
      });
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      error = attemptError(err);
    }
    const attempts = Number(row.attempts) + 1;
    if (error === null) return this.#finish(row.id, 'delivered', attempts, null, row.sealed !== null);
    if (attempts >= this.#ctx.config.webhookMaxAttempts)
      return this.#finish(row.id, 'failed', attempts, error);
    const next = new Date(clock.now().getTime() + retryDelayMs(attempts));
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_deliveries')
        .set({ attempts, last_error: error, next_attempt_at: next.toISOString() })
        .where('id', '=', row.id)
        .execute();
      await this.#jobs.enqueue(
        {
          name: DELIVER_JOB,
          payload: { deliveryId },
          idempotencyKey: `${deliveryId}:${next.toISOString()}`,
          runAt: next,
        },
        trx,
      );
    });
    return { status: 'retrying', attempts, next: next.toISOString() };
  }

  async #finish(
    id: string,
    status: 'delivered' | 'failed',
    attempts: number,
    error: string | null,
    sealedBody = false,
  ) {
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status,
          attempts,
          last_error: error,
          next_attempt_at: null,
          delivered_at: status === 'delivered' ? now : null,
          // Delivered: the body is no longer needed. Failed: kept sealed for a retry from the dead-letter list.
          ...(status === 'delivered' ? { sealed: null, body: null } : {}),
        })
        .where('id', '=', id)
        .execute();
      if (status === 'failed')
        await this.#ctx.audit.record(
          {
            actor: { type: 'system' },
            action: 'webhook.dead_lettered',
            target: { type: 'webhook_delivery', id },
            details: { attempts, error },
          },
          trx,
        );
      await this.#onOutcome(trx, id, status);
    });
    if (status === 'delivered' && sealedBody) await this.#ctx.vault.destroyKey(`webhook-delivery:${id}`);
    return { status, attempts };
  }

  async deliveries(options: { status?: DeliveryStatus; limit?: number } = {}): Promise<DeliveryView[]> {
    let q = this.#ctx.store.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select([
        'd.id',
        'd.endpoint_id',
        'e.url',
        'd.event_type',
        'd.status',
        'd.attempts',
        'd.next_attempt_at',
        'd.last_error',
        'd.created_at',
        'd.delivered_at',
      ])
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id');
    if (options.status) q = q.where('d.status', '=', options.status);
    const rows = await q.limit(options.limit ?? 200).execute();
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      url: r.url,
      eventType: r.event_type,
      status: r.status,
      attempts: Number(r.attempts),
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
    }));
  }

  /**
   * A delivery its task no longer waits for (staff closed the task: the recipient was told another
   * way, or need not be): not sent any more, its body dropped in the caller's transaction. Returns
   * the key to destroy once that commits (a sealed body's: the person's identifiers), else null.
   */
  async drop(trx: Transaction<Database>, deliveryId: string): Promise<string | null> {
    const row = await trx
      .selectFrom('webhook_deliveries')
      .select(['status', 'sealed', 'body'])
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!row || row.status === 'delivered' || (row.sealed === null && row.body === null)) return null;
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', sealed: null, body: null, next_attempt_at: null, last_error: 'TASK_CLOSED' })
      .where('id', '=', deliveryId)
      .execute();
    return row.sealed === null ? null : `webhook-delivery:${deliveryId}`;
  }

  /** Puts a dead-lettered delivery back in the outbox (a fresh round of attempts). */
  async retry(deliveryId: string, staffId: string | null): Promise<void> {
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('webhook_deliveries')
        .select(['status', 'sealed', 'body'])
        .where('id', '=', deliveryId)
        .executeTakeFirst();
      if (!row) throw new VowError('VOW_WEBHOOK_NOT_FOUND', 'No such webhook delivery');
      if (row.status !== 'failed' || (row.sealed === null && row.body === null))
        throw new VowError('VOW_TASK_STATE', 'Only a failed delivery that still has its body can be retried');
      const now = this.#ctx.clock.now();
      const round = `${deliveryId}:retry:${now.getTime()}`;
      await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now.toISOString() })
        .where('id', '=', deliveryId)
        .execute();
      await this.#jobs.enqueue({ name: DELIVER_JOB, payload: { deliveryId }, idempotencyKey: round }, trx);
      await this.#ctx.audit.record(
        {
          actor: staffId ? { type: 'staff', id: staffId } : { type: 'system' },
          action: 'webhook.retried',
          target: { type: 'webhook_delivery', id: deliveryId },
        },
        trx,
      );
      await this.#onOutcome(trx, deliveryId, 'pending');
    });
    this.#jobs.wake();
  }
}
