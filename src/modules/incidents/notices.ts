// GDPR Art. 34: Vow itself tells the people affected by a high-risk breach, so their contact never
// leaves it. The privacy officer writes the message (prefilled from the incident's facts), previews it
// with the number of people affected, and confirms; ONE job then walks the people (through the
// subjects module: ids in batches, then each one's email address) and writes one mail each to the
// outbox. Per incident and person, a row records that it was dealt with, in the same transaction as
// the mail, so a retried or restarted job writes to no one twice. A person erased since gets nothing
// (no address left, and the outbox drops a message for a person whose erasure began). When the walk
// is done, "people told" is recorded: the date and "email by Vow".

import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { defineJob, type JobContext, type JobRunner } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import { containsEmailShape, isPlainAddress } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { affectedSubjects, countAffected, emailsOf } from '../subjects/index.js';
import type { IncidentService, IncidentView } from './incident-service.js';
import { defaultSubject, type NoticeDraft, noticeLocale, renderNotice } from './notice-text.js';
import type { IncidentTables } from './tables.js';

export const TELL_PEOPLE_JOB = 'incidents.tell_people';
export const NOTICE_MAIL_KIND = 'incidents.breach_notice';
/** How "people told" reads once Vow's job wrote to everyone with an address. */
export const TOLD_BY_VOW = 'email by Vow';

export interface NoticeProgress {
  readonly queuedAt: string;
  readonly queuedBy: string;
  readonly doneAt: string | null;
  /** People a mail was written to. */
  readonly queued: number;
  /** Of those, the mails the outbox has sent. */
  readonly sent: number;
  /** People with no email address on file: not written to. */
  readonly noAddress: number;
  /** People erased since the breach: not written to. */
  readonly erased: number;
}

type Comm = IncidentTables['incident_communications'];

function invalid(message: string): VowError {
  return new VowError('VOW_INCIDENT_INVALID', message);
}

function alreadyTold(): VowError {
  return new VowError('VOW_INCIDENT_STATE', 'The people affected were already told, or are being told');
}

export class IncidentNotices {
  readonly #ctx: VowContext;
  readonly #jobs: JobRunner;
  readonly #mail: MailService;
  readonly #incidents: IncidentService;
  readonly #batchSize: number;

  constructor(
    ctx: VowContext,
    deps: { jobs: JobRunner; mail: MailService; incidents: IncidentService },
    options: { batchSize?: number } = {},
  ) {
    this.#ctx = ctx;
    this.#jobs = deps.jobs;
    this.#mail = deps.mail;
    this.#incidents = deps.incidents;
    this.#batchSize = options.batchSize ?? 200;
    deps.jobs.register(
      defineJob({
        id: TELL_PEOPLE_JOB,
        version: 1,
        schema: z.object({ incidentId: z.string().min(1).max(64) }),
        handler: async ({ incidentId }, job) => this.run(incidentId, job),
      }),
    );
  }

  get #controller() {
    return this.#ctx.policy.doc.controller;
  }

  /** The message: the one queued, else prefilled from the incident's facts. */
  async draft(id: string): Promise<NoticeDraft> {
    const incident = await this.#incidents.get(id);
    const comm = await this.#comm(id);
    if (comm)
      return {
        subject: comm.subject,
        whatHappened: comm.what_happened,
        consequences: comm.consequences,
        measures: comm.measures,
        advice: comm.advice,
      };
    return {
      subject: defaultSubject(this.#controller.name, noticeLocale(this.#ctx.policy.doc.locale)),
      whatHappened: incident.summary,
      consequences: incident.consequences,
      measures: incident.measures,
      advice: '',
    };
  }

  #check(incident: IncidentView, draft: NoticeDraft): void {
    if (incident.risk.level !== 'high')
      throw new VowError(
        'VOW_INCIDENT_NOT_HIGH_RISK',
        'Vow writes to the people affected only about an incident decided a high risk (Art. 34(1))',
      );
    if (incident.status === 'closed') throw new VowError('VOW_INCIDENT_STATE', 'The incident is closed');
    for (const [label, value, required] of [
      ['subject', draft.subject, true],
      ['description of what happened', draft.whatHappened, true],
      ['likely consequences', draft.consequences, true],
      ['measures taken or proposed', draft.measures, true],
      ['advice', draft.advice, false],
    ] as const) {
      if (required && value.trim() === '')
        throw invalid(`The message needs its ${label} (Art. 34(2) with Art. 33(3))`);
      if (containsEmailShape(value))
        throw invalid(
          `The ${label} holds what looks like an email address: the contact point is added from the policy`,
        );
    }
    if (/[\r\n]/.test(draft.subject)) throw invalid('The subject is one line');
    if (draft.subject.length > 200) throw invalid('The subject is at most 200 characters');
  }

  /** The message as a person gets it, and how many people the incident concerns (a count only). */
  async preview(
    id: string,
    draft: NoticeDraft,
  ): Promise<{ recipients: number; subject: string; text: string; locale: string }> {
    const incident = await this.#incidents.get(id);
    this.#check(incident, draft);
    const locale = noticeLocale(this.#ctx.policy.doc.locale);
    const { people } = await countAffected(this.#ctx.store, {
      categories: incident.dataCategories,
      to: incident.awareAt,
    });
    return { recipients: people, locale, ...renderNotice(draft, this.#controller, locale) };
  }

  /** Confirmed: keeps the message and queues the one job that writes to the people. */
  async queue(id: string, draft: NoticeDraft, staffId: string): Promise<NoticeProgress> {
    const incident = await this.#incidents.get(id);
    this.#check(incident, draft);
    if (incident.subjectsInformed !== null || (await this.#comm(id))) throw alreadyTold();
    const now = this.#ctx.clock.now().toISOString();
    const { people } = await countAffected(this.#ctx.store, {
      categories: incident.dataCategories,
      to: incident.awareAt,
    });
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      // Two confirmations racing both pass the check above: the table's key keeps one message; the
      // second writes nothing (on PostgreSQL after the first commits) and is refused, its transaction
      // rolled back, so it queues no job and audits nothing.
      const kept = await trx
        .insertInto('incident_communications')
        .values({
          incident_id: id,
          subject: draft.subject.trim(),
          what_happened: draft.whatHappened,
          consequences: draft.consequences,
          measures: draft.measures,
          advice: draft.advice,
          locale: noticeLocale(this.#ctx.policy.doc.locale),
          queued_at: now,
          queued_by: staffId,
          done_at: null,
        })
        .onConflict((oc) => oc.column('incident_id').doNothing())
        .executeTakeFirst();
      if (!kept.numInsertedOrUpdatedRows) throw alreadyTold();
      await this.#jobs.enqueue(
        { name: TELL_PEOPLE_JOB, payload: { incidentId: id }, idempotencyKey: `${TELL_PEOPLE_JOB}:${id}` },
        trx,
      );
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: 'incident.notice_queued',
          target: { type: 'incident', id },
          details: { people },
        },
        trx,
      );
    });
    this.#jobs.wake();
    return (await this.progress(id))!;
  }

  async #comm(id: string): Promise<Comm | undefined> {
    return this.#ctx.store.db
      .selectFrom('incident_communications')
      .selectAll()
      .where('incident_id', '=', id)
      .executeTakeFirst();
  }

  /** Where the job is: people written to, without an address, erased (counts only); null: not queued. */
  async progress(id: string): Promise<NoticeProgress | null> {
    const comm = await this.#comm(id);
    if (!comm) return null;
    const rows = await this.#ctx.store.db
      .selectFrom('incident_notices')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('incident_id', '=', id)
      .groupBy('status')
      .execute();
    const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    const outboxIds = (
      await this.#ctx.store.db
        .selectFrom('incident_notices')
        .select('outbox_id')
        .where('incident_id', '=', id)
        .where('outbox_id', 'is not', null)
        .execute()
    ).map((r) => r.outbox_id!);
    const statuses = await this.#mail.statusCounts(outboxIds);
    return {
      queuedAt: comm.queued_at,
      queuedBy: comm.queued_by,
      doneAt: comm.done_at,
      queued: count('queued'),
      sent: statuses.sent ?? 0,
      noAddress: count('no_address'),
      erased: count('erased'),
    };
  }

  /**
   * The job: walks the people affected in batches; each batch's mails and its per-person rows commit
   * together, so a job killed mid-way resumes after the last batch it committed.
   */
  async run(
    incidentId: string,
    job?: Pick<JobContext, 'heartbeat'>,
    options: { batchSize?: number } = {},
  ): Promise<NoticeProgress | null> {
    const comm = await this.#comm(incidentId);
    if (!comm || comm.done_at !== null) return this.progress(incidentId);
    const incident = await this.#incidents.get(incidentId);
    const locale = noticeLocale(comm.locale);
    const message = renderNotice(
      {
        subject: comm.subject,
        whatHappened: comm.what_happened,
        consequences: comm.consequences,
        measures: comm.measures,
        advice: comm.advice,
      },
      this.#controller,
      locale,
    );
    const query = { categories: incident.dataCategories, to: incident.awareAt };
    for await (const batch of affectedSubjects(
      this.#ctx.store,
      query,
      options.batchSize ?? this.#batchSize,
    )) {
      await job?.heartbeat();
      await this.#batch(incidentId, batch, message);
    }
    const now = this.#ctx.clock.now().toISOString();
    const progress = (await this.progress(incidentId))!;
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('incident_communications')
        .set({ done_at: now })
        .where('incident_id', '=', incidentId)
        .where('done_at', 'is', null)
        .execute();
      await trx
        .updateTable('incidents')
        .set({ subjects_informed_at: now, subjects_informed_how: TOLD_BY_VOW, updated_at: now })
        .where('id', '=', incidentId)
        .where('subjects_informed_at', 'is', null)
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'incident.subjects_informed',
          target: { type: 'incident', id: incidentId },
          details: {
            how: TOLD_BY_VOW,
            queued: progress.queued,
            noAddress: progress.noAddress,
            erased: progress.erased,
          },
        },
        trx,
      );
    });
    return this.progress(incidentId);
  }

  async #batch(
    incidentId: string,
    batch: string[],
    message: { subject: string; text: string },
  ): Promise<void> {
    const db = this.#ctx.store.db;
    const done = new Set(
      (
        await db
          .selectFrom('incident_notices')
          .select('subject_id')
          .where('incident_id', '=', incidentId)
          .where('subject_id', 'in', batch)
          .execute()
      ).map((r) => r.subject_id),
    );
    const todo = batch.filter((s) => !done.has(s));
    if (todo.length === 0) return;
    const emails = await emailsOf(this.#ctx, todo);
    // An address the outbox would refuse counts as none (it would stop the whole job).
    const withAddress = todo.filter((s) => isPlainAddress(emails.get(s)?.trim() ?? ''));
    await db.transaction().execute(async (trx) => {
      const outboxIds = await this.#mail.enqueueAll(
        withAddress.map((s) => ({
          to: emails.get(s)!,
          subject: message.subject,
          text: message.text,
          kind: NOTICE_MAIL_KIND,
          subjectId: s,
        })),
        trx,
      );
      const outbox = new Map(withAddress.map((s, i) => [s, outboxIds[i] ?? null]));
      const at = this.#ctx.clock.now().toISOString();
      await trx
        .insertInto('incident_notices')
        .values(
          todo.map((s) => {
            const outboxId = outbox.get(s);
            const status = outboxId ? 'queued' : outbox.has(s) ? 'erased' : 'no_address';
            return { incident_id: incidentId, subject_id: s, status, outbox_id: outboxId ?? null, at };
          }),
        )
        .execute();
    });
  }
}
