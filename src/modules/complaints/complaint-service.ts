// Complaints (P25): intake from the web and from staff (complaints that arrived by email or post),
// replies tracked against a deadline, and the regulator the person may escalate to, by jurisdiction.

import { VowError } from '../../platform/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import { DAY_MS, type JobRunner, registerRecurringJob } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import type { VowContext } from '../policy/index.js';
import { regulatorName } from '../policy/index.js';
import type { Jurisdiction, RequestChannel } from '../rights/index.js';
import { deadlinesFor, EARLIEST_DAY, isCalendarDay, isOverdue, isoDay } from '../rights/index.js';
import { complaintMail } from './mail-text.js';
import { pruneClosedComplaints } from './prune.js';

export const PRUNE_COMPLAINTS_JOB = 'complaints.prune_closed';

export interface ComplaintInput {
  readonly jurisdiction: Jurisdiction;
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly message: string;
  /** The request the complaint is about, if any (its id). */
  readonly requestId?: string | undefined;
}

export interface ComplaintView {
  readonly id: string;
  readonly jurisdiction: Jurisdiction;
  readonly channel: RequestChannel;
  readonly status: 'open' | 'answered' | 'closed';
  readonly receivedOn: string;
  readonly replyDueOn: string;
  readonly firstReplyAt: string | null;
  readonly overdue: boolean;
  readonly regulator: { id: string; name: string; url: string } | null;
  readonly requestId: string | null;
}

export interface ComplaintDetail extends ComplaintView {
  readonly contact: { email?: string; name?: string; message: string };
  readonly replies: { at: string; staffId: string | null; text: string }[];
}

type Row = {
  id: string;
  jurisdiction: Jurisdiction;
  channel: RequestChannel;
  status: 'open' | 'answered' | 'closed';
  sealed: string;
  received_at: string;
  reply_due_on: string;
  first_reply_at: string | null;
  regulator: string | null;
  request_id: string | null;
  locale: string;
};

export class ComplaintService {
  readonly #ctx: VowContext;
  readonly #mail: MailService;

  /** Queues today's `complaints.prune_closed` (daily; a no-op without a job runner). */
  readonly schedulePrune: () => Promise<void>;

  /** `jobs`: the runner of the daily pruning of closed complaints past their retention (prune.ts). */
  constructor(ctx: VowContext, mail: MailService, jobs?: JobRunner) {
    this.#ctx = ctx;
    this.#mail = mail;
    this.schedulePrune = jobs
      ? registerRecurringJob(jobs, ctx.clock, {
          id: PRUNE_COMPLAINTS_JOB,
          everyMs: DAY_MS,
          run: async () => ({ pruned: await this.prune() }),
        }).schedule
      : async () => {};
  }

  /** The regulator to escalate to: a US state → its attorney general; eea → the person's DPA. */
  regulatorFor(jurisdiction: Jurisdiction): { id: string; name: string; url: string } | null {
    return this.#ctx.policy.regulator(jurisdiction) ?? null;
  }

  #index(token: string): string {
    return this.#ctx.vault.blindIndex('token', `complaint-status:${token}`);
  }

  #view(r: Row): ComplaintView {
    const today = isoDay(this.#ctx.clock.now());
    return {
      id: r.id,
      jurisdiction: r.jurisdiction,
      channel: r.channel,
      status: r.status,
      receivedOn: r.received_at.slice(0, 10),
      replyDueOn: r.reply_due_on,
      firstReplyAt: r.first_reply_at,
      overdue: r.first_reply_at === null && r.status === 'open' && isOverdue(r.reply_due_on, today),
      regulator: this.regulatorFor(r.jurisdiction),
      requestId: r.request_id,
    };
  }

  async submit(
    input: ComplaintInput,
    options: {
      channel: RequestChannel;
      receivedOn?: string | undefined;
      staffId?: string | undefined;
      /** The person's language: the acknowledgement and every reply are written in it. */
      locale?: Locale | undefined;
    },
  ): Promise<{ complaintId: string; statusToken: string; view: ComplaintView }> {
    const ctx = this.#ctx;
    if (input.message.trim() === '')
      throw new VowError('VOW_REQUEST_INVALID', 'The complaint needs a message');
    const now = ctx.clock.now();
    const locale = options.locale ?? DEFAULT_LOCALE;
    const receivedOn = options.receivedOn ?? isoDay(now);
    if (!isCalendarDay(receivedOn))
      throw new VowError(
        'VOW_REQUEST_INVALID',
        `The day of receipt is not a day of the calendar from ${EARLIEST_DAY} on (YYYY-MM-DD)`,
      );
    if (receivedOn > isoDay(now))
      throw new VowError('VOW_REQUEST_INVALID', 'The day of receipt cannot be in the future');
    const id = ctx.random.uuid();
    const token = ctx.random.bytes(32).toString('base64url');
    const sealed = await ctx.vault.encrypt(
      `complaint:${id}`,
      JSON.stringify({ email: input.email, name: input.name, message: input.message }),
    );
    const due = deadlinesFor(input.jurisdiction, receivedOn, this.#ctx.policy).dueOn;
    const regulator = this.regulatorFor(input.jurisdiction);
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('complaints')
        .values({
          id,
          jurisdiction: input.jurisdiction,
          channel: options.channel,
          status: 'open',
          sealed,
          received_at: options.receivedOn ? `${options.receivedOn}T00:00:00.000Z` : now.toISOString(),
          reply_due_on: due,
          first_reply_at: null,
          regulator: regulator?.id ?? null,
          request_id: input.requestId ?? null,
          status_token_index: this.#index(token),
          created_by: options.staffId ?? null,
          updated_at: now.toISOString(),
          locale,
        })
        .execute();
      if (input.email) {
        await this.#mail.enqueue(
          {
            to: input.email,
            kind: 'complaints.received',
            ...complaintMail(locale).received({
              receivedOn,
              dueOn: due,
              statusUrl: `${ctx.config.publicUrl}/privacy/complaint/status/${token}`,
              ...(regulator
                ? { regulator: { name: regulatorName(ctx.policy, regulator.id, locale), url: regulator.url } }
                : {}),
            }),
          },
          trx,
        );
      }
      await ctx.audit.record(
        {
          actor: options.staffId ? { type: 'staff', id: options.staffId } : { type: 'subject' },
          action: 'complaint.received',
          target: { type: 'complaint', id },
          details: {
            jurisdiction: input.jurisdiction,
            channel: options.channel,
            replyDueOn: due,
            regulator: regulator?.id ?? null,
          },
        },
        trx,
      );
    });
    return { complaintId: id, statusToken: token, view: await this.get(id) };
  }

  async #row(id: string): Promise<Row> {
    const r = await this.#ctx.store.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw new VowError('VOW_COMPLAINT_NOT_FOUND', 'No such complaint');
    return r;
  }

  async get(id: string): Promise<ComplaintView> {
    return this.#view(await this.#row(id));
  }

  async statusByToken(token: string): Promise<ComplaintView> {
    const r = await this.#ctx.store.db
      .selectFrom('complaints')
      .selectAll()
      .where('status_token_index', '=', this.#index(token))
      .executeTakeFirst();
    if (!r) throw new VowError('VOW_COMPLAINT_NOT_FOUND', 'No complaint matches this link');
    return this.#view(r);
  }

  /** Open complaints first, soonest reply due first; overdue flagged. */
  async list(options: { includeClosed?: boolean } = {}): Promise<ComplaintView[]> {
    let q = this.#ctx.store.db.selectFrom('complaints').selectAll();
    if (!options.includeClosed) q = q.where('status', '!=', 'closed');
    const rows = await q.orderBy('reply_due_on', 'asc').orderBy('received_at', 'asc').limit(2000).execute();
    return rows.map((r) => this.#view(r));
  }

  /**
   * A person's complaints, for the staff person page: those sent from one of their email addresses
   * (compared case-insensitively after opening each complaint's sealed part) or tied to one of their
   * requests. Newest first.
   */
  async forPerson(emails: readonly string[], requestIds: readonly string[]): Promise<ComplaintView[]> {
    const wanted = new Set(emails.map((e) => e.trim().toLowerCase()));
    const requests = new Set(requestIds);
    const rows = await this.#ctx.store.db
      .selectFrom('complaints')
      .selectAll()
      .orderBy('received_at', 'desc')
      .limit(2000)
      .execute();
    const out: ComplaintView[] = [];
    for (const r of rows) {
      if (r.request_id && requests.has(r.request_id)) {
        out.push(this.#view(r));
        continue;
      }
      if (!wanted.size) continue;
      const plain = await this.#ctx.vault.decrypt(`complaint:${r.id}`, r.sealed);
      const email = plain === null ? undefined : (JSON.parse(plain) as { email?: string }).email;
      if (email && wanted.has(email.trim().toLowerCase())) out.push(this.#view(r));
    }
    return out;
  }

  async detail(id: string, staffId: string): Promise<ComplaintDetail> {
    const r = await this.#row(id);
    const plain = await this.#ctx.vault.decrypt(`complaint:${id}`, r.sealed);
    const contact = plain === null ? { message: '' } : JSON.parse(plain);
    const replies = await this.#ctx.store.db
      .selectFrom('complaint_replies')
      .selectAll()
      .where('complaint_id', '=', id)
      .orderBy('at', 'asc')
      .execute();
    const opened = [];
    for (const x of replies) {
      opened.push({
        at: x.at,
        staffId: x.staff_id,
        text: (await this.#ctx.vault.decrypt(`complaint:${id}`, x.sealed)) ?? '',
      });
    }
    await this.#ctx.audit.record({
      actor: { type: 'staff', id: staffId },
      action: 'complaint.viewed',
      target: { type: 'complaint', id },
    });
    return { ...this.#view(r), contact, replies: opened };
  }

  /** Staff answer a complaint: the reply is kept (sealed), mailed, and the first reply time recorded. */
  async reply(id: string, text: string, staffId: string): Promise<ComplaintView> {
    const r = await this.#row(id);
    if (r.status === 'closed') throw new VowError('VOW_REQUEST_STATE', 'The complaint is closed');
    if (text.trim() === '') throw new VowError('VOW_REQUEST_INVALID', 'The reply is empty');
    const plain = await this.#ctx.vault.decrypt(`complaint:${id}`, r.sealed);
    const contact = plain === null ? {} : (JSON.parse(plain) as { email?: string });
    const sealed = await this.#ctx.vault.encrypt(`complaint:${id}`, text);
    const now = this.#ctx.clock.now().toISOString();
    const regulator = this.regulatorFor(r.jurisdiction);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('complaint_replies')
        .values({ id: this.#ctx.random.uuid(), complaint_id: id, at: now, staff_id: staffId, sealed })
        .execute();
      await trx
        .updateTable('complaints')
        .set({ status: 'answered', first_reply_at: r.first_reply_at ?? now, updated_at: now })
        .where('id', '=', id)
        .execute();
      if (contact.email) {
        await this.#mail.enqueue(
          {
            to: contact.email,
            kind: 'complaints.reply',
            ...complaintMail(r.locale).reply({
              text,
              ...(regulator
                ? {
                    regulator: {
                      name: regulatorName(this.#ctx.policy, regulator.id, r.locale),
                      url: regulator.url,
                    },
                  }
                : {}),
            }),
          },
          trx,
        );
      }
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: 'complaint.replied',
          target: { type: 'complaint', id },
        },
        trx,
      );
    });
    return this.get(id);
  }

  async close(id: string, staffId: string): Promise<ComplaintView> {
    await this.#row(id);
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('complaints')
        .set({ status: 'closed', updated_at: now })
        .where('id', '=', id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: 'complaint.closed',
          target: { type: 'complaint', id },
        },
        trx,
      );
    });
    return this.get(id);
  }

  /** Deletes the complaints closed more than 24 months ago (prune.ts); how many. */
  prune(): Promise<number> {
    return pruneClosedComplaints(this.#ctx);
  }
}
