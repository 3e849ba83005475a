// Webhook endpoints and the durable outbox of signed events (Standard Webhooks): admins add the
// retailer's systems and the events each receives; every event is a delivery row (its body sealed)
// plus a `downstream.deliver` job; a failed attempt is retried on a computed exponential schedule
// (never slept: the next attempt is a job due later), and after VOW_WEBHOOK_MAX_ATTEMPTS it is
// listed as failed (the dead-letter list) until staff retry it.
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { defineJob, type JobRunner } from '../../platform/jobs/index.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { EVENT_TYPES, type EventType, minimise } from './events.js';
import { newSecret, sign } from './signing.js';
import type { DeliveryStatus } from './tables.js';
import {
  type Db,
  type DeliveryView,
  type EndpointView,
  type Fetch,
  type PreparedDelivery,
  type PublishInput,
  validUrl,
} from './webhook-shapes.js';

/** An endpoint that is not disabled, with the event types it takes. */
interface ActiveEndpoint {
  readonly id: string;
  readonly recipient: string | null;
  readonly events: readonly string[];
}

export type { DeliveryView, EndpointView, Fetch, PreparedDelivery, PublishInput } from './webhook-shapes.js';

export const DELIVER_JOB = 'downstream.deliver';
/** How long the previous secret still signs after a rotation (receivers switch within this). */
export const ROTATION_GRACE_MS = 24 * 60 * 60_000;
const MAX_DELAY_MS = 10 * 60 * 60_000;

/** The wait before attempt `n + 1` after `n` failed attempts: 10 s, 30 s, 90 s, … at most 10 hours. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(MAX_DELAY_MS, 10_000 * 3 ** (failedAttempts - 1));
}

export class Webhooks {
  readonly #ctx: VowContext;
  readonly #jobs: JobRunner;
  readonly #fetch: Fetch;
  /** Told when a delivery is dead-lettered or delivered (downstream tasks follow their delivery). */
  onOutcome:
    | ((trx: Transaction<Database>, deliveryId: string, status: DeliveryStatus) => Promise<void>)
    | undefined;

  constructor(ctx: VowContext, jobs: JobRunner, fetch?: Fetch) {
    this.#ctx = ctx;
    this.#jobs = jobs;
    this.#fetch = fetch ?? ((url, init) => globalThis.fetch(url, init));
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

  async create(
    input: { url: string; events: readonly string[]; recipient?: string | undefined },
    staffId: string | null,
  ): Promise<{ id: string; secret: string }> {
    const url = validUrl(input.url);
    const unknown = input.events.filter((e) => !(EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length > 0 || input.events.length === 0)
      throw new VowError(
        'VOW_WEBHOOK_EVENT_UNKNOWN',
        `Unknown event type(s): ${unknown.join(', ') || '(none given)'}`,
        {
          known: EVENT_TYPES,
        },
      );
    if (input.recipient !== undefined && !this.#ctx.policy.recipient(input.recipient))
      throw new VowError(
        'VOW_WEBHOOK_RECIPIENT_UNKNOWN',
        `The policy names no recipient "${input.recipient}"`,
      );
    const id = `whep_${this.#ctx.random.uuid().replaceAll('-', '')}`;
    const secret = newSecret(this.#ctx.random);
    const now = this.#ctx.clock.now().toISOString();
    // Sealed before the transaction: the vault creates the endpoint's key on its own connection.
    const sealed = await this.#ctx.vault.encrypt(`webhook:${id}`, secret);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_endpoints')
        .values({
          id,
          url,
          events: JSON.stringify([...new Set(input.events)]),
          recipient: input.recipient ?? null,
          secret_sealed: sealed,
          previous_sealed: null,
          previous_until: null,
          created_at: now,
          created_by: staffId,
          disabled_at: null,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: staffId ? { type: 'staff', id: staffId } : { type: 'system' },
          action: 'webhook.endpoint_added',
          target: { type: 'webhook_endpoint', id },
          details: { events: input.events, recipient: input.recipient ?? null },
        },
        trx,
      );
    });
    return { id, secret };
  }

  async list(): Promise<EndpointView[]> {
    const rows = await this.#ctx.store.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .orderBy('created_at')
      .execute();
    const now = this.#ctx.clock.now().toISOString();
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      events: JSON.parse(r.events) as string[],
      recipient: r.recipient,
      createdAt: r.created_at,
      rotating: r.previous_until !== null && r.previous_until > now,
      disabled: r.disabled_at !== null,
    }));
  }

  async #endpoint(db: Db, id: string) {
    const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new VowError('VOW_WEBHOOK_NOT_FOUND', 'No such webhook endpoint');
    return row;
  }

  /** The secrets an endpoint's messages are signed with now: the current one, and the previous during a rotation. */
  async secrets(id: string, db: Db = this.#ctx.store.db): Promise<string[]> {
    const row = await this.#endpoint(db, id);
    const now = this.#ctx.clock.now().toISOString();
    const vaultKey = `webhook:${id}`;
    const out = [await this.#ctx.vault.decrypt(vaultKey, row.secret_sealed)];
    if (row.previous_sealed && row.previous_until && row.previous_until > now)
      out.push(await this.#ctx.vault.decrypt(vaultKey, row.previous_sealed));
    return out.filter((s): s is string => typeof s === 'string');
  }

  /**
   * A new secret, answered once. Messages are signed with both the new and the old secret for
   * ROTATION_GRACE_MS, so the receiver verifies throughout its switch (no downtime).
   */
  async rotate(id: string, staffId: string | null): Promise<{ secret: string; previousValidUntil: string }> {
    const secret = newSecret(this.#ctx.random);
    const until = new Date(this.#ctx.clock.now().getTime() + ROTATION_GRACE_MS).toISOString();
    await this.#endpoint(this.#ctx.store.db, id);
    const sealed = await this.#ctx.vault.encrypt(`webhook:${id}`, secret);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const row = await this.#endpoint(trx, id);
      await trx
        .updateTable('webhook_endpoints')
        .set({
          secret_sealed: sealed,
          previous_sealed: row.secret_sealed,
          previous_until: until,
        })
        .where('id', '=', id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: staffId ? { type: 'staff', id: staffId } : { type: 'system' },
          action: 'webhook.secret_rotated',
          target: { type: 'webhook_endpoint', id },
          details: { previousValidUntil: until },
        },
        trx,
      );
    });
    return { secret, previousValidUntil: until };
  }

  async disable(id: string, staffId: string | null): Promise<void> {
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await this.#endpoint(trx, id);
      await trx
        .updateTable('webhook_endpoints')
        .set({ disabled_at: this.#ctx.clock.now().toISOString() })
        .where('id', '=', id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: staffId ? { type: 'staff', id: staffId } : { type: 'system' },
          action: 'webhook.endpoint_disabled',
          target: { type: 'webhook_endpoint', id },
        },
        trx,
      );
    });
  }

  /** The active endpoints receiving `type` (optionally only those of one recipient). */
  async subscribers(
    db: Db,
    type: EventType,
    recipient?: string,
  ): Promise<{ id: string; recipient: string | null }[]> {
    const rows = recipient === undefined ? await this.#active(db) : await this.#activeOf(db, recipient);
    return rows.filter((r) => r.events.includes(type));
  }

  /**
   * Every active endpoint, read once per transaction: a batch of collections publishing an event
   * per consent change asks once, not once per event. Endpoints are only changed in transactions
   * of their own (register, disable, rotate), never in one that publishes.
   */
  readonly #endpointsOfTransaction = new WeakMap<object, Promise<ActiveEndpoint[]>>();

  #active(db: Db): Promise<ActiveEndpoint[]> {
    if (!db.isTransaction) return this.#activeOf(db);
    let rows = this.#endpointsOfTransaction.get(db);
    if (!rows) {
      rows = this.#activeOf(db);
      this.#endpointsOfTransaction.set(db, rows);
    }
    return rows;
  }

  async #activeOf(db: Db, recipient?: string): Promise<ActiveEndpoint[]> {
    let q = db
      .selectFrom('webhook_endpoints')
      .select(['id', 'recipient', 'events'])
      .where('disabled_at', 'is', null);
    if (recipient !== undefined) q = q.where('recipient', '=', recipient);
    const rows = await q.orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, recipient: r.recipient, events: JSON.parse(r.events) as string[] }));
  }

  /**
   * Builds the event's delivery for every active endpoint subscribed to it: the body minimised to
   * the endpoint's recipient and, when it carries a personal value, sealed under the delivery's own
   * key. Call it outside any transaction when `person` is given (the vault creates keys on its own
   * connection); then `insert` in the transaction of the change the event reports.
   */
  async prepare(db: Db, input: PublishInput): Promise<PreparedDelivery[]> {
    let endpoints = await this.subscribers(db, input.type);
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
    const endpoint = await this.#endpoint(store.db, row.endpoint_id);
    const body = row.sealed ? await vault.decrypt(`webhook-delivery:${row.id}`, row.sealed) : row.body;
    if (body === null || endpoint.disabled_at !== null)
      return this.#finish(
        row.id,
        'failed',
        Number(row.attempts),
        body === null ? 'VOW_SUBJECT_SHREDDED' : 'ENDPOINT_DISABLED',
      );
    const headers = sign(await this.secrets(endpoint.id), row.id, clock.now(), body);
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
      error = err instanceof Error ? (err.cause instanceof Error ? err.cause.name : err.name) : 'Error';
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      if (typeof code === 'string') error = code;
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
      await this.onOutcome?.(trx, id, status);
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
      await this.onOutcome?.(trx, deliveryId, 'pending');
    });
    this.#jobs.wake();
  }
}
