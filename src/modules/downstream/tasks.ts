// Downstream tasks (GDPR Art. 19, CCPA § 1798.105(c)): each deletion, correction, restriction and
// opt-out gets one task per system the policy names as a recipient of that person's data (for a
// correction, of the category corrected). A recipient with a
// webhook endpoint is sent the task in a signed event and closes it with a signed acknowledgement
// callback; a recipient without an API gets a drafted email and staff close the task with evidence.
// A request waits for its blocking tasks (VOW_DOWNSTREAM_WAIT) and is answered when the last closes.
import type { Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { MailService } from '../../platform/mail/index.js';
import type { Database } from '../../platform/store/index.js';
import type { Recipient, VowContext } from '../policy/index.js';
import { isWithin } from '../policy/index.js';
import { overdueTasks, requestDeadlines, unreachableEvidence } from './deadlines.js';
import { draftText } from './drafts.js';
import { categoriesSent, type EventType, minimise, type PersonValues } from './events.js';
import { checkEvidence } from './evidence.js';
import { verify } from './signing.js';
import type { DeliveryStatus, TaskKind, TaskStatus } from './tables.js';
import type { Webhooks } from './webhooks.js';

export interface OpenTasksInput {
  readonly requestId: string | null;
  readonly kind: TaskKind;
  readonly subjectId?: string | null;
  readonly person?: PersonValues | undefined;
  /**
   * Deletion: categories (or all); correction: the category corrected; restriction: purposes (or
   * all); opt-out: the channel's purposes.
   */
  readonly scope: 'all' | readonly string[];
  /** Extra fields for the event (channel, request type). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Notices the caller already put in the mail outbox, by recipient (they serve as the tasks' drafts). */
  readonly notices?: Readonly<Record<string, string>> | undefined;
}

export interface TaskView {
  readonly id: string;
  readonly requestId: string | null;
  readonly kind: TaskKind;
  readonly recipient: string;
  readonly recipientName: string;
  readonly method: 'webhook' | 'email';
  readonly blocking: boolean;
  readonly status: TaskStatus;
  /** What the task waits on, in words staff act on. */
  readonly waitingOn: string | null;
  readonly deliveryId: string | null;
  readonly evidence: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
  /** The request's deadline in force (YYYY-MM-DD; null: an opt-out outside a request). */
  readonly dueOn: string | null;
  /** Open past its request's deadline. */
  readonly overdue: boolean;
}

const EVENT_OF: Record<TaskKind, EventType> = {
  deletion: 'deletion.requested',
  correction: 'subject.corrected',
  restriction: 'restriction.set',
  opt_out: 'consent.withdrawn',
};

type Row = Database['downstream_tasks'];

/** Whether the recipient holds data this task is about (its categories or purposes meet the scope). */
function concerns(kind: TaskKind, recipient: Recipient, scope: 'all' | readonly string[]): boolean {
  if (recipient.personal_data === 'never') return false;
  if (scope === 'all') return true;
  const theirs = kind === 'deletion' || kind === 'correction' ? recipient.categories : recipient.purposes;
  return theirs.some((t) => scope.some((s) => isWithin(t, s) || isWithin(s, t)));
}

export class DownstreamTasks {
  readonly #ctx: VowContext;
  readonly #webhooks: Webhooks;
  readonly #mail: MailService;
  /** Called (after commit) when a request's last blocking task closes. */
  onSettled: ((requestId: string) => Promise<void>) | undefined;

  constructor(ctx: VowContext, webhooks: Webhooks, mail: MailService) {
    this.#ctx = ctx;
    this.#webhooks = webhooks;
    this.#mail = mail;
    webhooks.onOutcome = (trx, deliveryId, status) => this.#followDelivery(trx, deliveryId, status);
  }

  /**
   * Creates the tasks of one request and queues the event that carries each webhook task; returns
   * how many tasks the request now waits for. Runs its own transaction (values are sealed before
   * it), in which `within` also runs; opening a request's tasks twice returns the first count.
   */
  async open(
    input: OpenTasksInput,
    within?: (trx: Transaction<Database>, opened: { tasks: number; blocking: number }) => Promise<void>,
  ): Promise<{ tasks: number; blocking: number }> {
    const ctx = this.#ctx;
    const db = ctx.store.db;
    if (input.requestId !== null) {
      const existing = await db
        .selectFrom('downstream_tasks')
        .select(['blocking'])
        .where('request_id', '=', input.requestId)
        .where('kind', '=', input.kind)
        .execute();
      if (existing.length > 0)
        return { tasks: existing.length, blocking: existing.filter((t) => Number(t.blocking) === 1).length };
    }
    const now = ctx.clock.now().toISOString();
    const event = EVENT_OF[input.kind];
    const recipients = Object.entries(ctx.policy.doc.recipients).filter(([, r]) =>
      concerns(input.kind, r, input.scope),
    );
    const ref = input.requestId ?? `opt-out ${ctx.random.bytes(4).toString('hex')}`;
    const taskByEndpoint = new Map<string, string>();
    const rows: Database['downstream_tasks'][] = [];
    const drafts = new Map<string, { to: string; kind: string; subject: string; text: string }>();
    for (const [recipientId, recipient] of recipients) {
      const id = `task_${ctx.random.uuid().replaceAll('-', '')}`;
      const endpoint = (await this.#webhooks.subscribers(db, event, recipientId))[0];
      const method = endpoint ? 'webhook' : 'email';
      const isBlocking =
        input.requestId !== null && (method === 'webhook' || ctx.config.downstreamWait === 'all');
      if (endpoint) taskByEndpoint.set(endpoint.id, id);
      const draft =
        endpoint || input.notices?.[recipientId]
          ? null
          : {
              to: `recipient:${recipientId}`,
              kind: 'downstream.task_notice',
              subject: `${{ deletion: 'Deletion', correction: 'Correction', restriction: 'Restriction', opt_out: 'Opt-out' }[input.kind]} request ${ref}`,
              text: draftText(input.kind, ref, minimise(input.person, recipient)),
            };
      if (draft) drafts.set(id, draft);
      rows.push({
        id,
        request_id: input.requestId,
        kind: input.kind,
        recipient: recipientId,
        method,
        endpoint_id: endpoint?.id ?? null,
        blocking: isBlocking ? 1 : 0,
        status: 'waiting',
        delivery_id: null,
        evidence: null,
        draft_outbox_id: endpoint ? null : (input.notices?.[recipientId] ?? null),
        completed_by: null,
        created_at: now,
        completed_at: null,
      });
    }
    // A correction's event goes only to the systems it concerns (and to endpoints tied to no
    // recipient, which get no personal value): a recipient that never got the category hears nothing.
    const concerned = new Set(rows.map((r) => r.recipient));
    const endpointIds =
      input.kind === 'correction'
        ? (await this.#webhooks.subscribers(db, event))
            .filter((e) => e.recipient === null || concerned.has(e.recipient))
            .map((e) => e.id)
        : undefined;
    const prepared = await this.#webhooks.prepare(db, {
      type: event,
      ...(endpointIds ? { endpointIds } : {}),
      subjectId: input.kind === 'deletion' ? null : (input.subjectId ?? null),
      person: input.person,
      data: { requestId: input.requestId, scope: input.scope, ...input.data },
      extra: (endpointId) => {
        const taskId = taskByEndpoint.get(endpointId);
        return taskId
          ? { task: { id: taskId, ackUrl: `${ctx.config.publicUrl}/v1/downstream-tasks/${taskId}/ack` } }
          : undefined;
      },
    });
    const opened = { tasks: rows.length, blocking: rows.filter((r) => r.blocking === 1).length };
    await db.transaction().execute(async (trx) => {
      const deliveries = await this.#webhooks.insert(trx, prepared);
      for (const row of rows) {
        const deliveryId = row.endpoint_id ? (deliveries.get(row.endpoint_id) ?? null) : null;
        const draft = drafts.get(row.id);
        const outboxId = draft ? await this.#mail.enqueue(draft, trx) : row.draft_outbox_id;
        await trx
          .insertInto('downstream_tasks')
          .values({ ...row, delivery_id: deliveryId, draft_outbox_id: outboxId })
          .execute();
      }
      await ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'downstream.tasks_opened',
          target: input.requestId ? { type: 'request', id: input.requestId } : undefined,
          details: { kind: input.kind, recipients: rows.map((r) => r.recipient), blocking: opened.blocking },
        },
        trx,
      );
      await within?.(trx, opened);
    });
    return opened;
  }

  async #row(id: string): Promise<Row> {
    const row = await this.#ctx.store.db
      .selectFrom('downstream_tasks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new VowError('VOW_TASK_NOT_FOUND', 'No such downstream task');
    return row;
  }

  /**
   * The recipient's signed acknowledgement: the raw body signed like a webhook (Standard Webhooks
   * headers) with the secret of the endpoint the task was sent to.
   */
  async acknowledge(
    id: string,
    headers: { id?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
    rawBody: string,
  ): Promise<TaskView> {
    const row = await this.#row(id).catch(() => undefined);
    // The same answer for an unknown task and a bad signature: the id alone proves nothing.
    const secrets = row?.endpoint_id ? await this.#webhooks.secrets(row.endpoint_id) : [];
    if (!row || !verify(secrets, headers, rawBody, this.#ctx.clock.now()))
      throw new VowError(
        'VOW_ACK_SIGNATURE_INVALID',
        'The acknowledgement is not signed with this task’s endpoint secret',
      );
    if (row.status === 'done' || row.status === 'explained') return this.#viewOf(row);
    await this.#close(row, 'done', 'acknowledged by signed callback', null);
    return this.#viewOf(await this.#row(id));
  }

  /** Staff close a task: done (with evidence of the recipient's confirmation) or explained (why none is needed). */
  async complete(
    id: string,
    input: { outcome: 'done' | 'explained'; evidence: string },
    staffId: string,
  ): Promise<TaskView> {
    checkEvidence(input.evidence);
    const row = await this.#row(id);
    if (row.status === 'done' || row.status === 'explained')
      throw new VowError('VOW_TASK_STATE', 'The task is already closed');
    await this.#close(row, input.outcome, input.evidence, staffId);
    return this.#viewOf(await this.#row(id));
  }

  async #close(
    row: Row,
    status: 'done' | 'explained',
    evidence: string,
    staffId: string | null,
    action?: string,
  ): Promise<void> {
    const now = this.#ctx.clock.now().toISOString();
    let dropped: string | null = null;
    const settled = await this.#ctx.store.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('downstream_tasks')
        .set({ status, evidence, completed_by: staffId, completed_at: now })
        .where('id', '=', row.id)
        .where('status', 'in', ['waiting', 'failed'])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      // A webhook task closed by staff (its event dead-lettered, the recipient told another way): the
      // event is not sent any more, and the identifiers it carries (a deleted person's) go with it.
      if (row.delivery_id) dropped = await this.#webhooks.drop(trx, row.delivery_id);
      await this.#ctx.audit.record(
        {
          actor: staffId ? { type: 'staff', id: staffId } : { type: 'system' },
          action: action ?? (status === 'done' ? 'downstream.task_done' : 'downstream.task_explained'),
          target: { type: 'downstream_task', id: row.id },
          details: { recipient: row.recipient, requestId: row.request_id, method: row.method },
        },
        trx,
      );
      if (!row.request_id) return false;
      const open = await trx
        .selectFrom('downstream_tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('request_id', '=', row.request_id)
        .where('blocking', '=', 1)
        .where('status', 'in', ['waiting', 'failed'])
        .executeTakeFirstOrThrow();
      return Number(open.n) === 0;
    });
    if (dropped) await this.#ctx.vault.destroyKey(dropped);
    if (settled && row.request_id) await this.onSettled?.(row.request_id);
  }

  /** A webhook task follows its delivery: dead-lettered → failed (surfaced), retried → waiting again. */
  async #followDelivery(
    trx: Transaction<Database>,
    deliveryId: string,
    status: DeliveryStatus,
  ): Promise<void> {
    if (status === 'delivered') return;
    await trx
      .updateTable('downstream_tasks')
      .set({ status: status === 'failed' ? 'failed' : 'waiting' })
      .where('delivery_id', '=', deliveryId)
      .where('status', '=', status === 'failed' ? 'waiting' : 'failed')
      .execute();
  }

  /**
   * The daily expiry (deadlines.ts): each webhook task whose event was dead-lettered and whose
   * request's deadline has passed is closed `explained` by Vow, its event dropped with its key (the
   * request is then answered if it waited for nothing else); returns how many.
   */
  async expireDeadLetters(): Promise<number> {
    const today = this.#ctx.clock.now().toISOString().slice(0, 10);
    const due = await overdueTasks(this.#ctx.store.db, today, { deadLettered: true });
    for (const t of due)
      await this.#close(
        await this.#row(t.id),
        'explained',
        unreachableEvidence(t.dueOn),
        null,
        'downstream.task_unreachable',
      );
    return due.length;
  }

  /** Blocking tasks of a request not yet closed. */
  async pending(requestId: string): Promise<number> {
    const r = await this.#ctx.store.db
      .selectFrom('downstream_tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('request_id', '=', requestId)
      .where('blocking', '=', 1)
      .where('status', 'in', ['waiting', 'failed'])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async forRequest(requestId: string): Promise<TaskView[]> {
    const rows = await this.#ctx.store.db
      .selectFrom('downstream_tasks')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('recipient')
      .execute();
    return this.#views(rows);
  }

  /**
   * Tasks, oldest first (200 unless `limit`), of one kind or recipient if asked. `holdingFirst` puts
   * the tasks a request's answer waits on first, then the other tasks of a request, then opt-outs
   * outside any request (staff's queue: the few deletions a deadline hangs on came after hundreds
   * of opt-outs, past the limit).
   */
  async list(
    options: {
      open?: boolean;
      limit?: number;
      kind?: TaskKind | undefined;
      recipient?: string | undefined;
      holdingFirst?: boolean;
    } = {},
  ): Promise<TaskView[]> {
    let q = this.#ctx.store.db.selectFrom('downstream_tasks').selectAll();
    if (options.holdingFirst)
      q = q
        .orderBy('blocking', 'desc')
        .orderBy((eb) => eb.case().when('request_id', 'is', null).then(1).else(0).end());
    q = q.orderBy('created_at').orderBy('id');
    if (options.open) q = q.where('status', 'in', ['waiting', 'failed']);
    if (options.kind) q = q.where('kind', '=', options.kind);
    if (options.recipient) q = q.where('recipient', '=', options.recipient);
    return this.#views(await q.limit(options.limit ?? 200).execute());
  }

  /**
   * How many tasks are open, by kind, how many of them a request's answer waits on, and how many
   * are past their request's deadline.
   */
  async openCounts(): Promise<{
    total: number;
    holding: number;
    overdue: number;
    byKind: Partial<Record<TaskKind, number>>;
  }> {
    const rows = await this.#ctx.store.db
      .selectFrom('downstream_tasks')
      .select(['kind', 'blocking', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('status', 'in', ['waiting', 'failed'])
      .groupBy(['kind', 'blocking'])
      .execute();
    const today = this.#ctx.clock.now().toISOString().slice(0, 10);
    const overdue = (await overdueTasks(this.#ctx.store.db, today)).length;
    const out = { total: 0, holding: 0, overdue, byKind: {} as Partial<Record<TaskKind, number>> };
    for (const r of rows) {
      const n = Number(r.n);
      out.total += n;
      if (Number(r.blocking) === 1) out.holding += n;
      out.byKind[r.kind] = (out.byKind[r.kind] ?? 0) + n;
    }
    return out;
  }

  /** What each open blocking task of these requests waits on (the deadline view). */
  async waitingByRequest(requestIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (requestIds.length === 0) return out;
    const rows = await this.#ctx.store.db
      .selectFrom('downstream_tasks')
      .selectAll()
      .where('request_id', 'in', [...requestIds])
      .where('status', 'in', ['waiting', 'failed'])
      .orderBy('recipient')
      .execute();
    for (const r of rows) {
      const v = await this.#view(r);
      const list = out.get(r.request_id!) ?? [];
      list.push(`${v.recipientName}: ${v.waitingOn}`);
      out.set(r.request_id!, list);
    }
    return out;
  }

  /** The drafted email of a task for a system without an API (null once the outbox forgot its text). */
  async draft(id: string): Promise<{ to: string; subject: string; text: string } | null> {
    const row = await this.#row(id);
    if (!row.draft_outbox_id) return null;
    const m = await this.#mail.read(row.draft_outbox_id);
    return m ? { to: m.to, subject: m.subject, text: m.text } : null;
  }

  async #viewOf(row: Row): Promise<TaskView> {
    return (await this.#views([row]))[0]!;
  }

  /** Views of rows, each with its request's deadline. */
  async #views(rows: readonly Row[]): Promise<TaskView[]> {
    const due = await requestDeadlines(
      this.#ctx.store.db,
      rows.flatMap((r) => (r.request_id ? [r.request_id] : [])),
    );
    return Promise.all(rows.map((r) => this.#view(r, r.request_id ? (due.get(r.request_id) ?? null) : null)));
  }

  async #view(r: Row, dueOn: string | null = null): Promise<TaskView> {
    let waitingOn: string | null = null;
    if (r.status === 'waiting' || r.status === 'failed') {
      if (r.method === 'email') waitingOn = 'staff to send the drafted email and record the confirmation';
      else {
        const d = r.delivery_id
          ? await this.#ctx.store.db
              .selectFrom('webhook_deliveries')
              .select(['status', 'attempts', 'next_attempt_at', 'last_error'])
              .where('id', '=', r.delivery_id)
              .executeTakeFirst()
          : undefined;
        if (!d) waitingOn = 'the event to be queued';
        else if (d.status === 'delivered') waitingOn = 'the recipient’s signed acknowledgement';
        else if (d.status === 'failed')
          waitingOn = `delivery failed after ${d.attempts} attempts (${d.last_error ?? 'error'}): retry it or record evidence`;
        else
          waitingOn =
            Number(d.attempts) === 0
              ? 'delivery of the event'
              : `delivery retry ${Number(d.attempts) + 1} at ${d.next_attempt_at} (last: ${d.last_error})`;
      }
    }
    return {
      id: r.id,
      requestId: r.request_id,
      kind: r.kind,
      recipient: r.recipient,
      recipientName: this.#ctx.policy.recipient(r.recipient)?.name ?? r.recipient,
      method: r.method,
      blocking: Number(r.blocking) === 1,
      status: r.status,
      waitingOn,
      deliveryId: r.delivery_id,
      evidence: r.evidence,
      createdAt: r.created_at,
      completedAt: r.completed_at,
      dueOn,
      overdue:
        dueOn !== null &&
        (r.status === 'waiting' || r.status === 'failed') &&
        this.#ctx.clock.now().toISOString().slice(0, 10) > dueOn,
    };
  }

  /** Which categories of person values each recipient receives (for the console). */
  sentTo(recipient: string): string[] {
    return categoriesSent(this.#ctx.policy.recipient(recipient));
  }
}
