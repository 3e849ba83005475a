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
import type { Locale } from '../../platform/i18n/index.js';
import { defineJob, type JobContext, type JobRunner } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import { isPlainAddress } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { affectedSubjects, countAffected, emailsOf } from '../subjects/index.js';
import type { IncidentService, IncidentView } from './incident-service.js';
import { checkedVersions } from './notice-message.js';
import {
  defaultSubject,
  type NoticeVersion,
  noticeLanguages,
  noticeLocale,
  renderNoticeMail,
} from './notice-text.js';
import { auditedCount } from './small-counts.js';
import type { IncidentTables } from './tables.js';
import { type UnreachedPerson, unreachedPeople } from './unreached.js';

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

/** The mail as every person gets it (every version), with the number of people it concerns. */
export interface NoticePreview {
  readonly recipients: number;
  /** The versions' languages, in the mail's order. */
  readonly languages: Locale[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

type Comm = IncidentTables['incident_communications'];

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

  /** The languages the message is written in: the policy's own first, then its translations'. */
  languages(): Locale[] {
    return noticeLanguages(this.#ctx.policy.doc);
  }

  /**
   * The message, one version per language: the one queued, else prefilled: the policy's language from
   * the incident's facts (in the words they were recorded in), the others with the subject in their
   * language and the rest for the officer to translate.
   */
  async draft(id: string): Promise<NoticeVersion[]> {
    const incident = await this.#incidents.get(id);
    const comm = await this.#comm(id);
    if (comm) return this.#queuedVersions(comm);
    const [first, ...others] = this.languages() as [Locale, ...Locale[]];
    return [
      {
        lang: first,
        subject: defaultSubject(this.#controller.name, first),
        whatHappened: incident.summary,
        consequences: incident.consequences,
        measures: incident.measures,
        advice: '',
      },
      ...others.map((lang) => ({
        lang,
        subject: defaultSubject(this.#controller.name, lang),
        whatHappened: '',
        consequences: '',
        measures: '',
        advice: '',
      })),
    ];
  }

  async #queuedVersions(comm: Comm): Promise<NoticeVersion[]> {
    const more = await this.#ctx.store.db
      .selectFrom('incident_message_versions')
      .selectAll()
      .where('incident_id', '=', comm.incident_id)
      .orderBy('position', 'asc')
      .execute();
    return [
      { ...comm, lang: noticeLocale(comm.locale) },
      ...more.map((v) => ({ ...v, lang: noticeLocale(v.locale) })),
    ].map((v) => ({
      lang: v.lang,
      subject: v.subject,
      whatHappened: v.what_happened,
      consequences: v.consequences,
      measures: v.measures,
      advice: v.advice,
    }));
  }

  #check(incident: IncidentView, versions: readonly NoticeVersion[]): NoticeVersion[] {
    if (incident.risk.level !== 'high')
      throw new VowError(
        'VOW_INCIDENT_NOT_HIGH_RISK',
        'Vow writes to the people affected only about an incident decided a high risk (Art. 34(1))',
      );
    if (incident.status === 'closed') throw new VowError('VOW_INCIDENT_STATE', 'The incident is closed');
    return checkedVersions(versions, this.languages());
  }

  /** The mail as every person gets it, and how many people the incident concerns (a count only). */
  async preview(id: string, versions: readonly NoticeVersion[]): Promise<NoticePreview> {
    const incident = await this.#incidents.get(id);
    const checked = this.#check(incident, versions);
    const { people } = await countAffected(this.#ctx.store, {
      categories: incident.dataCategories,
      to: incident.awareAt,
    });
    return {
      recipients: people,
      languages: checked.map((v) => v.lang),
      ...renderNoticeMail(checked, this.#controller),
    };
  }

  /** Confirmed: keeps the message (every version) and queues the one job that writes to the people. */
  async queue(id: string, versions: readonly NoticeVersion[], staffId: string): Promise<NoticeProgress> {
    const incident = await this.#incidents.get(id);
    const [draft, ...others] = this.#check(incident, versions) as [NoticeVersion, ...NoticeVersion[]];
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
          locale: draft.lang,
          queued_at: now,
          queued_by: staffId,
          done_at: null,
        })
        .onConflict((oc) => oc.column('incident_id').doNothing())
        .executeTakeFirst();
      if (!kept.numInsertedOrUpdatedRows) throw alreadyTold();
      // The people are those of the categories and time confirmed: a change of either since (a
      // PATCH racing this confirmation) refuses it, as does a risk decided below high meanwhile; the
      // update holds the row against the next one.
      const same = await trx
        .updateTable('incidents')
        .set({ updated_at: now })
        .where('id', '=', id)
        .where('data_categories', '=', JSON.stringify(incident.dataCategories))
        .where('aware_at', '=', incident.awareAt)
        .where('risk', '=', 'high')
        .where('subjects_informed_at', 'is', null)
        .executeTakeFirst();
      if (!Number(same.numUpdatedRows))
        throw new VowError(
          'VOW_INCIDENT_STATE',
          'The incident changed since it was read (its categories, time of awareness or risk, or the people were recorded told): read it and preview the message again',
        );
      if (others.length > 0)
        await trx
          .insertInto('incident_message_versions')
          .values(
            others.map((v, i) => ({
              incident_id: id,
              locale: v.lang,
              position: i + 1,
              subject: v.subject.trim(),
              what_happened: v.whatHappened,
              consequences: v.consequences,
              measures: v.measures,
              advice: v.advice,
            })),
          )
          .execute();
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
  /**
   * The people Vow could not email, with their postal address and phone number collected last, for
   * the privacy officer to tell by letter or phone (unreached.ts; audited, counts only).
   */
  unreached(id: string, staffId: string): Promise<UnreachedPerson[]> {
    return unreachedPeople(this.#ctx, id, staffId);
  }

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
    const message = renderNoticeMail(await this.#queuedVersions(comm), this.#controller);
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
            // As the auditor may see them: small counts can point at a person (small-counts.ts).
            noAddress: auditedCount(progress.noAddress),
            erased: auditedCount(progress.erased),
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
    message: { subject: string; text: string; html: string },
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
          html: message.html,
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
