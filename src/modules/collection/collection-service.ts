// Where personal data enters: orders, registrations, contest entries, catalog requests, SMS
// sign-ups, inbound customer-service email, and every form the policy declares. Each collection is
// checked by the under-13 gate, stored with its collection point, the policy version in force and
// the purposes each field may serve, linked to the person with the kind they had there, and handed
// to the consent rules, all in one transaction.
//
// One code path writes every collection (write-batch.ts): the endpoints' requests are written by
// group commit (group-commit.ts: requests arriving together share one transaction), and
// `collectBatch` (bulk imports, `vow demo`) writes many validated submissions in one transaction,
// each exactly as its endpoint would have (a person created earlier in the batch is found again, as
// a later request would find them). Each point's own code only plans: checkout in orders.ts, the
// five other built-in forms in built-in-forms.ts, declared forms in declared-forms.ts.

import type { VowContext } from '../policy/index.js';
import { type IndexedIdentifier, openSealed, type SubjectService } from '../subjects/index.js';
import {
  builtInValues,
  planCatalogRequest,
  planContestEntry,
  planInboundMessage,
  planRegistration,
  planSmsSignup,
} from './built-in-forms.js';
import { type CatalogRequestAnswers, catalogRequestsOf } from './catalog-requests-of.js';
import { FORM_RECORD_TYPE, formValues, planForm } from './declared-forms.js';
import { GroupCommit, POSTGRES_WRITERS } from './group-commit.js';
import { IdempotencyKeys, type IdempotencyScope } from './idempotency.js';
import { orderReplays, ordersStoredMeanwhile, orderValues, planOrder, type Replays } from './orders.js';
import { ordersOf, type PersonOrder } from './orders-of.js';
import type {
  AnySubmission,
  BatchCollected,
  CollectionResult,
  ConsentRecorder,
  OnWritten,
  OrderCollected,
  Plan,
  PlanDeps,
  Submission,
} from './plan.js';
import type {
  CatalogRequestBody,
  ContestEntryBody,
  InboundMessageBody,
  OrderBody,
  RegistrationBody,
  SmsSignupBody,
} from './schemas.js';
import {
  type AfterRows,
  commitBatch,
  discardBatch,
  type PreparedBatch,
  prepareBatch,
} from './write-batch.js';

/**
 * A batch checked and prepared outside any transaction (`CollectionService.prepare`): its plans,
 * its orders already recorded, its people and sealed values. Written by `writePrepared`, or given
 * up with `discard`.
 */
export interface PreparedCollection {
  readonly plans: readonly Plan[];
  readonly identifiers: readonly IndexedIdentifier[];
  readonly replays: Replays;
  readonly batch: PreparedBatch;
}

export class CollectionService {
  readonly #ctx: VowContext;
  readonly #deps: PlanDeps;
  readonly #consent: () => ConsentRecorder | undefined;
  readonly #keys: IdempotencyKeys;
  readonly #group: GroupCommit;

  constructor(ctx: VowContext, subjects: SubjectService, consent: () => ConsentRecorder | undefined) {
    this.#ctx = ctx;
    this.#deps = { ctx, subjects };
    this.#consent = consent;
    this.#keys = new IdempotencyKeys(ctx);
    this.#group = new GroupCommit((plans, onWritten) => this.#writePlans(plans, onWritten), this.#keys, {
      writers: ctx.store.dialect === 'postgres' ? POSTGRES_WRITERS : 1,
    });
  }

  /** How many groups the endpoints' group commit wrote, with how many submissions (tests, benchmarks). */
  get groupStats(): Readonly<GroupCommit['stats']> {
    return this.#group.stats;
  }

  /**
   * One collection, as its endpoint receives it; with an Idempotency-Key (`scope`), the key's first
   * answer is given again (`replayed`) to a retry with the same body, kept for a day, and a reuse
   * with another body is refused (VOW_IDEMPOTENCY_CONFLICT). The key is kept in the collection's own
   * transaction; of two requests racing with one key, one stores and the other answers as its retry.
   * Written by group commit (group-commit.ts): requests arriving together share one transaction.
   */
  async collect(s: AnySubmission, scope?: IdempotencyScope): Promise<CollectionResult<OrderCollected>> {
    const plan = this.#plan(s);
    return this.#group.submit(plan, scope ? this.#keys.hashes(scope, plan.point, s.body) : undefined);
  }

  /** Checks one submission (point in the policy, under-13 gate, phone numbers) and plans its write. */
  #plan(s: AnySubmission): Plan {
    const plan = this.#planOf(s);
    return s.evidence ? { ...plan, evidence: s.evidence } : plan;
  }

  #planOf(s: AnySubmission): Plan {
    const at = s.collectedAt ?? this.#ctx.clock.now();
    switch (s.type) {
      case 'order':
        return planOrder(this.#deps, s.body, at);
      case 'registration':
        return planRegistration(this.#deps, s.body, at);
      case 'contest_entry':
        return planContestEntry(this.#deps, s.body, at);
      case 'catalog_request':
        return planCatalogRequest(this.#deps, s.body, at);
      case 'sms_signup':
        return planSmsSignup(this.#deps, s.body, at);
      case 'inbound_message':
        return planInboundMessage(this.#deps, s.body, at);
      case 'form':
        return planForm(this.#deps, s.point, s.body, at);
    }
  }

  /** POST /v1/orders: the buyer and, optionally, a gift recipient. Idempotent on shop_order_id. */
  order(body: OrderBody): Promise<CollectionResult<OrderCollected>> {
    return this.#one({ type: 'order', body });
  }

  /** POST /v1/registrations: an account holder; the catalog box grants the policy's channels (P5). */
  registration(body: RegistrationBody): Promise<CollectionResult> {
    return this.#one({ type: 'registration', body });
  }

  /** POST /v1/contest-entries: enrolls the entrant in email marketing (P8, by the consent rules). */
  contestEntry(body: ContestEntryBody): Promise<CollectionResult> {
    return this.#one({ type: 'contest_entry', body });
  }

  /** POST /v1/catalog-requests: the catalog form, every answer within the policy's values. */
  catalogRequest(body: CatalogRequestBody): Promise<CollectionResult> {
    return this.#one({ type: 'catalog_request', body });
  }

  /** POST /v1/sms-signups: prior express written consent, its wording kept as proof. */
  smsSignup(body: SmsSignupBody): Promise<CollectionResult> {
    return this.#one({ type: 'sms_signup', body });
  }

  /** POST /v1/inbound-messages: a return address for support.reply only (P4); enrolls nothing. */
  inboundMessage(body: InboundMessageBody): Promise<CollectionResult> {
    return this.#one({ type: 'inbound_message', body });
  }

  /**
   * The buyer of the order the shop numbered `shopOrderId` (the number a customer quotes on the
   * phone), or undefined when no order has it; compared exactly, as the shop sent it. `erased`: the
   * buyer's data was deleted (their key closed), the order's history kept on its exemption.
   */
  buyerOfOrder(shopOrderId: string): Promise<{ subjectId: string; erased: boolean } | undefined> {
    return this.#ctx.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('orders')
        .select('buyer_subject_id')
        .where('shop_order_id', '=', shopOrderId)
        .executeTakeFirst();
      if (!row) return undefined;
      const closed = await this.#ctx.vault.closedAmong(trx, [row.buyer_subject_id]);
      return { subjectId: row.buyer_subject_id, erased: closed.size > 0 };
    });
  }

  #one(s: AnySubmission): Promise<CollectionResult<OrderCollected>> {
    return this.collect(s);
  }

  /**
   * Many validated submissions written in ONE transaction, each through the same code as its
   * endpoint (the endpoints are batches of one): same checks, rows, consent events and audit
   * entries. All or nothing: one refused submission (under 13, an order id recorded with another
   * body, a point the policy lacks) refuses the batch and stores nothing of it.
   */
  collectBatch(submissions: readonly Submission[], onWritten?: OnWritten): Promise<BatchCollected> {
    return this.collectAll(submissions, onWritten);
  }

  /** `collectBatch` for submissions to any point, declared forms included. */
  async collectAll(submissions: readonly AnySubmission[], onWritten?: OnWritten): Promise<BatchCollected> {
    if (submissions.length === 0) return { results: [], newSubjectIds: [] };
    return this.#writePlans(
      submissions.map((s) => this.#plan(s)),
      onWritten,
    );
  }

  /**
   * Phase one of `collectAll` alone: the submissions checked and planned, their people resolved and
   * values sealed, outside any transaction. A bulk caller (the importer) prepares its next batch
   * this way while the previous batch's transaction runs, then writes it with `writePrepared`.
   */
  prepare(submissions: readonly AnySubmission[]): Promise<PreparedCollection> {
    return this.#prepare(submissions.map((s) => this.#plan(s)));
  }

  /**
   * Writes a prepared batch in ONE transaction, as `collectAll` would. Whatever changed since it was
   * prepared is handled as for two requests at once: a person another writer created meanwhile, or
   * an order stored meanwhile, prepares the batch again. `afterRows` runs in the transaction between
   * its rows and its consent (write-batch.ts says what for).
   */
  async writePrepared(
    prepared: PreparedCollection,
    onWritten?: OnWritten,
    afterRows?: AfterRows,
  ): Promise<BatchCollected> {
    let p = prepared;
    for (;;) {
      let fresh = false;
      try {
        return await this.#deps.subjects.withResolution(async () => {
          const batch = fresh ? await prepareBatch(this.#deps, p.plans, p.replays) : p.batch;
          fresh = true;
          return commitBatch(
            this.#deps,
            this.#consent(),
            batch,
            p.replays,
            p.identifiers,
            onWritten,
            afterRows,
          );
        });
      } catch (err) {
        // Two requests with the same order id at once: the loser answers as a replay would. Each
        // time round reads at least one more stored order as a replay, so this ends: a group can
        // lose as many races as it has orders (another of its ids stored while it was prepared
        // again), never more.
        if (await ordersStoredMeanwhile(this.#ctx, p.plans, p.replays)) {
          p = await this.#prepare(p.plans);
          continue;
        }
        throw err;
      }
    }
  }

  /** Gives up a prepared batch that will not be written (its new people's keys are forgotten). */
  discard(prepared: PreparedCollection): void {
    discardBatch(this.#deps, prepared.batch);
  }

  /**
   * Replays, then phase one of write-batch.ts. People marked under 13 are refused by `commitBatch`,
   * which reads the markers inside the transaction (the check that counts: staff may mark someone
   * meanwhile); they were read here too, before anything was prepared, until an import's batches
   * showed it a statement and ~90 KB of array literal a batch of 1,000 for nothing: a bulk caller
   * refused whole writes the batch again one by one either way (batch-writer.ts). `early` (for a
   * bulk caller that prepares a batch long before writing it): the orders already recorded are read
   * here. Without, an order recorded before fails the write, which `writePrepared` then does again
   * with the stored orders read (one round trip a group fewer on PostgreSQL while orders are new,
   * one more and a transaction rolled back for a group holding a retry).
   */
  async #prepare(plans: readonly Plan[], early = true): Promise<PreparedCollection> {
    const identifiers = plans.flatMap((p) => p.parties.flatMap((party) => party.identifiers));
    const replays = await orderReplays(this.#ctx, plans, early);
    return { plans, identifiers, replays, batch: await prepareBatch(this.#deps, plans, replays) };
  }

  /**
   * The one write path of checked plans: prepared, then written (write-batch.ts) at once, so the
   * under-13 markers are read once, in the transaction, and the stored orders only when the write
   * meets one (#prepare): two round trips a group fewer on PostgreSQL.
   */
  async #writePlans(plans: readonly Plan[], onWritten?: OnWritten): Promise<BatchCollected> {
    return this.writePrepared(await this.#prepare(plans, false), onWritten);
  }

  /** A person's orders, newest first, as buyer or gift recipient (the console's person view). */
  orders(subjectId: string): Promise<PersonOrder[]> {
    return ordersOf(this.#ctx, subjectId);
  }

  /** A person's catalog requests with their answers as stored, newest first (the console's person view). */
  catalogRequests(subjectId: string): Promise<CatalogRequestAnswers[]> {
    return catalogRequestsOf(this.#ctx, subjectId);
  }

  /** Decrypted values of one person in one record, by field (for disclosures and exports). */
  async recordValues(
    subjectId: string,
    recordType: string,
    recordId: string,
  ): Promise<Record<string, unknown>> {
    const open = async (sealed: string | null | undefined): Promise<Record<string, unknown>> => {
      if (!sealed) return {};
      const plain = await openSealed(this.#ctx.vault, subjectId, sealed ?? null);
      return plain === null ? {} : (JSON.parse(plain) as Record<string, unknown>);
    };
    if (recordType === 'order') return orderValues(this.#ctx, subjectId, recordId, open);
    if (recordType === FORM_RECORD_TYPE) return formValues(this.#ctx, subjectId, recordId);
    return builtInValues(this.#ctx, recordType, recordId, open);
  }
}
