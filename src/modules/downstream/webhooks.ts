// Webhooks to the retailer's systems: the endpoints admins register (endpoints.ts), the durable
// outbox of signed events delivered to them (outbox.ts), and what a delivery may connect to
// (receiver-addresses.ts, used on every connection by transport.ts). One service, as callers see it.
import type { Transaction } from 'kysely';
import type { JobRunner } from '../../platform/jobs/index.js';
import type { Database, InsertSet } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { WebhookEndpoints } from './endpoints.js';
import type { EventType } from './events.js';
import { WebhookOutbox } from './outbox.js';
import { type Lookup, type LookupWait, ReceiverAddresses } from './receiver-addresses.js';
import type { DeliveryStatus } from './tables.js';
import { guardedPost } from './transport.js';
import type {
  Db,
  DeliveryView,
  EndpointView,
  Fetch,
  PreparedDelivery,
  PublishInput,
} from './webhook-shapes.js';

export { ROTATION_GRACE_MS } from './endpoints.js';
export { DELIVER_JOB, retryDelayMs } from './outbox.js';
export type { Lookup, LookupWait, WebhookResolver } from './receiver-addresses.js';
export type { DeliveryView, EndpointView, Fetch, PreparedDelivery, PublishInput } from './webhook-shapes.js';

export class Webhooks {
  readonly #endpoints: WebhookEndpoints;
  readonly #outbox: WebhookOutbox;
  /** Told when a delivery is dead-lettered or delivered (downstream tasks follow their delivery). */
  onOutcome:
    | ((trx: Transaction<Database>, deliveryId: string, status: DeliveryStatus) => Promise<void>)
    | undefined;

  /**
   * `fetch` replaces the whole transport (no address check then); `lookup` replaces only the name
   * resolution the address check is made on, at registration and at delivery alike (tests: names
   * answer what the test says), and `wait` how long a registration waits for it.
   */
  constructor(ctx: VowContext, jobs: JobRunner, fetch?: Fetch, lookup?: Lookup, wait?: LookupWait) {
    const addresses = new ReceiverAddresses(ctx.config.webhookPrivateNetworks, lookup, wait);
    this.#endpoints = new WebhookEndpoints(ctx, addresses);
    this.#outbox = new WebhookOutbox(
      ctx,
      jobs,
      this.#endpoints,
      fetch ?? guardedPost(addresses),
      (trx, id, status) => this.onOutcome?.(trx, id, status),
    );
  }

  create(
    input: { url: string; events: readonly string[]; recipient?: string | undefined },
    staffId: string | null,
  ): Promise<{ id: string; secret: string }> {
    return this.#endpoints.create(input, staffId);
  }

  list(): Promise<EndpointView[]> {
    return this.#endpoints.list();
  }

  /** The secrets an endpoint's messages are signed with now: the current one, and the previous during a rotation. */
  secrets(id: string, db?: Db): Promise<string[]> {
    return this.#endpoints.secrets(id, db);
  }

  /** A new secret, answered once; the previous one still signs for ROTATION_GRACE_MS. */
  rotate(id: string, staffId: string | null): Promise<{ secret: string; previousValidUntil: string }> {
    return this.#endpoints.rotate(id, staffId);
  }

  disable(id: string, staffId: string | null): Promise<void> {
    return this.#endpoints.disable(id, staffId);
  }

  /** The active endpoints receiving `type` (optionally only those of one recipient). */
  subscribers(
    db: Db,
    type: EventType,
    recipient?: string,
  ): Promise<{ id: string; recipient: string | null }[]> {
    return this.#endpoints.subscribers(db, type, recipient);
  }

  /**
   * The active endpoints read with `set`'s next flush, for this transaction's later events (instead
   * of a read of their own at the first one): see WebhookEndpoints.readWith.
   */
  readEndpointsWith(trx: Transaction<Database>, set: InsertSet): void {
    this.#endpoints.readWith(trx, set);
  }

  /** The event's deliveries, one per subscribed endpoint (see WebhookOutbox.prepare). */
  prepare(db: Db, input: PublishInput): Promise<PreparedDelivery[]> {
    return this.#outbox.prepare(db, input);
  }

  /** Queues prepared deliveries in the caller's transaction; returns delivery ids by endpoint. */
  insert(trx: Transaction<Database>, prepared: readonly PreparedDelivery[]): Promise<Map<string, string>> {
    return this.#outbox.insert(trx, prepared);
  }

  /** An event without a personal value, queued in the caller's transaction. */
  publish(trx: Transaction<Database>, input: Omit<PublishInput, 'person'>): Promise<Map<string, string>> {
    return this.#outbox.publish(trx, input);
  }

  /** An event (with or without a person), prepared and queued in a transaction of its own. */
  publishNow(input: PublishInput): Promise<Map<string, string>> {
    return this.#outbox.publishNow(input);
  }

  deliveries(options: { status?: DeliveryStatus; limit?: number } = {}): Promise<DeliveryView[]> {
    return this.#outbox.deliveries(options);
  }

  /** A delivery its closed task no longer needs: its body dropped in `trx`; the key to destroy after. */
  drop(trx: Transaction<Database>, deliveryId: string): Promise<string | null> {
    return this.#outbox.drop(trx, deliveryId);
  }

  /** Puts a dead-lettered delivery back in the outbox (a fresh round of attempts). */
  retry(deliveryId: string, staffId: string | null): Promise<void> {
    return this.#outbox.retry(deliveryId, staffId);
  }
}
