// Webhook endpoints: the retailer's systems an admin registers (https URL, the events each takes,
// the policy recipient it stands for), their signing secrets (sealed in the vault, rotated with a
// grace period) and which active endpoints receive an event.

import type { Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database, InsertSet } from '../../platform/store/index.js';
import { noun } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { EVENT_TYPES, type EventType } from './events.js';
import type { ReceiverAddresses } from './receiver-addresses.js';
import { newSecret } from './signing.js';
import { type Db, type EndpointView, validUrl } from './webhook-shapes.js';

/** An endpoint that is not disabled, with the event types it takes. */
interface ActiveEndpoint {
  readonly id: string;
  readonly recipient: string | null;
  readonly events: readonly string[];
}

const activeEndpoint = (r: { id: string; recipient: string | null; events: string }): ActiveEndpoint => ({
  id: r.id,
  recipient: r.recipient,
  events: JSON.parse(r.events) as string[],
});

/** How long the previous secret still signs after a rotation (receivers switch within this). */
export const ROTATION_GRACE_MS = 24 * 60 * 60_000;

export class WebhookEndpoints {
  readonly #ctx: VowContext;
  readonly #addresses: ReceiverAddresses;

  constructor(ctx: VowContext, addresses: ReceiverAddresses) {
    this.#ctx = ctx;
    this.#addresses = addresses;
  }

  /**
   * Registers an endpoint. Its URL is refused when its host is, or resolves now to, an address no
   * delivery may connect to (VOW_WEBHOOK_ADDRESS_REFUSED); every delivery checks again on connecting.
   */
  async create(
    input: { url: string; events: readonly string[]; recipient?: string | undefined },
    staffId: string | null,
  ): Promise<{ id: string; secret: string }> {
    const url = validUrl(input.url);
    const unknown = input.events.filter((e) => !(EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length > 0 || input.events.length === 0)
      throw new VowError(
        'VOW_WEBHOOK_EVENT_UNKNOWN',
        unknown.length > 0
          ? `Unknown event ${noun(unknown.length, 'type')}: ${unknown.join(', ')}`
          : 'No event types given: name at least one',
        {
          known: EVENT_TYPES,
        },
      );
    if (input.recipient !== undefined && !this.#ctx.policy.recipient(input.recipient))
      throw new VowError(
        'VOW_WEBHOOK_RECIPIENT_UNKNOWN',
        `The policy names no recipient "${input.recipient}"`,
      );
    await this.#addresses.checkUrl(url);
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

  /** An endpoint's row, disabled or not (VOW_WEBHOOK_NOT_FOUND when there is none). */
  async endpoint(db: Db, id: string) {
    const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new VowError('VOW_WEBHOOK_NOT_FOUND', 'No such webhook endpoint');
    return row;
  }

  /** The secrets an endpoint's messages are signed with now: the current one, and the previous during a rotation. */
  async secrets(id: string, db: Db = this.#ctx.store.db): Promise<string[]> {
    const row = await this.endpoint(db, id);
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
    await this.endpoint(this.#ctx.store.db, id);
    const sealed = await this.#ctx.vault.encrypt(`webhook:${id}`, secret);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const row = await this.endpoint(trx, id);
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
      await this.endpoint(trx, id);
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

  /**
   * The active endpoints read by `set`'s next flush in `trx` (a read riding with a statement the
   * transaction sends anyway), then given to this transaction's events as `#active` would read them.
   * Until that flush, the transaction's events read them themselves. Whoever calls this reads at
   * the point where the read of their own would have been: a batch of collections after the audit
   * head is locked (endpoints are registered and disabled in transactions that lock it too, to
   * record themselves), so an endpoint committed before that batch commits is seen by it.
   */
  readWith(trx: Transaction<Database>, set: InsertSet): void {
    if (this.#endpointsOfTransaction.has(trx)) return;
    set.read(this.#activeQuery(trx).select('created_at'), (rows) => {
      const sorted = [...rows].sort((a, b) =>
        a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0,
      );
      this.#endpointsOfTransaction.set(trx, Promise.resolve(sorted.map(activeEndpoint)));
    });
  }

  #active(db: Db): Promise<ActiveEndpoint[]> {
    if (!db.isTransaction) return this.#activeOf(db);
    let rows = this.#endpointsOfTransaction.get(db);
    if (!rows) {
      rows = this.#activeOf(db);
      this.#endpointsOfTransaction.set(db, rows);
    }
    return rows;
  }

  #activeQuery(db: Db) {
    return db
      .selectFrom('webhook_endpoints')
      .select(['id', 'recipient', 'events'])
      .where('disabled_at', 'is', null);
  }

  async #activeOf(db: Db, recipient?: string): Promise<ActiveEndpoint[]> {
    let q = this.#activeQuery(db);
    if (recipient !== undefined) q = q.where('recipient', '=', recipient);
    const rows = await q.orderBy('created_at').execute();
    return rows.map(activeEndpoint);
  }
}
