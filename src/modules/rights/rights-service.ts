// Data subject requests (P15, P16, P20-P24): intake from the web form, the account and staff (email
// or postal mail), deadlines by law, identity verification before anything is disclosed, changed
// or deleted, and fulfilment as one durable job per request (never twice, finishes after a crash).

import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { defineJob, type JobContext, type JobRunner } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import type { PersonIdentity, WalkReport } from '../datasets/index.js';
import type { SubjectStateProvider } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import { DELETION_NOTICE_RECIPIENTS, FULFIL_JOB } from './constants.js';
import { addDays } from './deadlines.js';
import { buildExportDocument, type ExportDocument, openExport } from './export-document.js';
import { type SubmitInput, type SubmitOptions, type SubmitResult, submit } from './intake.js';
import {
  complete,
  emailIndex,
  findRow,
  newToken,
  openSealed,
  type RightsDeps,
  type Row,
  requireErasure,
  requireWalker,
  type Sealed,
} from './internal.js';
import type { RightsPorts, Suppressor } from './ports.js';
import { pruneJob, pruneLog, scheduleMaintenance } from './prune.js';
import {
  detail,
  forSubject,
  getRequest,
  queue,
  type RequestDetail,
  type RequestView,
  regulatorFor,
  statusByToken,
  view,
} from './queries.js';
import { restrictionProvider, restrictionsOf } from './restrictions.js';
import {
  acknowledge,
  approveCorrection,
  confirmAgent,
  deny,
  extend,
  liftRestriction,
} from './staff-actions.js';
import type { Jurisdiction, RequestStatus, VerificationMethod } from './tables.js';
import { type DataPoints, verifyByDataPoints, verifyCode } from './verification.js';

const EXPORT_TTL_MS = 7 * 24 * 3600_000;

export class RightsService {
  readonly #ctx: VowContext;
  readonly #mail: MailService;
  #ports: RightsPorts = {};
  readonly #deps: RightsDeps;

  constructor(ctx: VowContext, jobs: JobRunner, mail: MailService, ports: RightsPorts = {}) {
    this.#ctx = ctx;
    this.#mail = mail;
    this.#ports = { ...ports };
    // The parts read the ports through this getter, so connect() after construction reaches them.
    this.#deps = { ctx, jobs, mail, ports: () => this.#ports };
    this.provider = restrictionProvider(ctx);
    jobs.register(
      defineJob({
        id: FULFIL_JOB,
        version: 1,
        schema: z.object({ requestId: z.string().min(1) }),
        maxAttempts: 10,
        handler: ({ requestId }, job) => this.fulfil(requestId, job),
      }),
    );
    jobs.register(pruneJob(this.#deps));
  }

  /** Schedules tomorrow's `rights.prune_log` run (one per day however many processes ask). */
  scheduleMaintenance(): Promise<void> {
    return scheduleMaintenance(this.#deps);
  }

  /** Removes expired exports and requests answered more than 24 months ago (their keys destroyed). */
  pruneLog(): Promise<{ requests: number; exports: number }> {
    return pruneLog(this.#ctx);
  }

  /** Connects (or replaces) the subjects directory, the datasets walker and the suppression list. */
  connect(ports: RightsPorts): void {
    this.#ports = { ...this.#ports, ...ports };
  }

  /** Decisions provider (P23): an open restriction denies its purposes from the moment it is written. */
  readonly provider: SubjectStateProvider;

  // Intake and verification -------------------------------------------------------------------

  /** Files a request; a web request is answered the same whether or not the email is known. */
  submit(input: SubmitInput, options: SubmitOptions): Promise<SubmitResult> {
    return submit(this.#deps, input, options);
  }

  /** Checks a code typed on the status page; five wrong codes lock the request. */
  verifyCode(statusToken: string, code: string): Promise<{ requestId: string; status: RequestStatus }> {
    return verifyCode(this.#deps, statusToken, code);
  }

  /** Staff verify a person without an account by two (or three, with a declaration) matching details. */
  verifyByDataPoints(
    requestId: string,
    points: DataPoints,
    declarationSigned: boolean,
    staffId: string,
  ): Promise<{ status: RequestStatus; method: VerificationMethod; matched: number }> {
    return verifyByDataPoints(this.#deps, requestId, points, declarationSigned, staffId);
  }

  // Staff actions -----------------------------------------------------------------------------

  confirmAgent(requestId: string, staffId: string): Promise<RequestStatus> {
    return confirmAgent(this.#deps, requestId, staffId);
  }

  approveCorrection(requestId: string, staffId: string): Promise<RequestStatus> {
    return approveCorrection(this.#deps, requestId, staffId);
  }

  extend(requestId: string, reason: string, staffId: string): Promise<RequestView> {
    return extend(this.#deps, requestId, reason, staffId);
  }

  deny(requestId: string, basis: string, staffId: string): Promise<RequestView> {
    return deny(this.#deps, requestId, basis, staffId);
  }

  acknowledge(requestId: string, staffId: string): Promise<RequestView> {
    return acknowledge(this.#deps, requestId, staffId);
  }

  /** Ends a restriction, the person told first (GDPR Art. 18(3)); returns how many were lifted. */
  liftRestriction(requestId: string, staffId: string, reason: string): Promise<number> {
    return liftRestriction(this.#deps, requestId, staffId, reason);
  }

  // Queries and views -------------------------------------------------------------------------

  regulatorFor(jurisdiction: Jurisdiction): { id: string; name: string; url: string } | undefined {
    return regulatorFor(this.#ctx, jurisdiction);
  }

  view(r: Row): RequestView {
    return view(this.#ctx, r);
  }

  queue(options: { includeClosed?: boolean } = {}): Promise<RequestView[]> {
    return queue(this.#ctx, options);
  }

  get(requestId: string): Promise<RequestView> {
    return getRequest(this.#ctx, requestId);
  }

  detail(requestId: string, staffId: string): Promise<RequestDetail> {
    return detail(this.#ctx, requestId, staffId);
  }

  statusByToken(statusToken: string): Promise<RequestView> {
    return statusByToken(this.#ctx, statusToken);
  }

  openExport(token: string): Promise<ExportDocument> {
    return openExport(this.#ctx, token);
  }

  // ---------------------------------------------------------------------------------------------
  // Fulfilment (the `rights.fulfil` job)

  async #identity(r: Row, contact: Sealed): Promise<PersonIdentity> {
    const emails = new Set<string>();
    const phones = new Set<string>();
    const accounts = new Set<string>();
    if (contact.email && r.verification_method === 'email_code') emails.add(contact.email);
    if (r.subject_id && this.#ports.directory) {
      for (const id of await this.#ports.directory.identifiers(r.subject_id)) {
        if (typeof id.value !== 'string') continue;
        if (id.kind === 'email') emails.add(id.value);
        else if (id.kind === 'phone') phones.add(id.value);
        else if (id.kind === 'account') accounts.add(id.value);
      }
    }
    return {
      subjectIds: r.subject_id ? [r.subject_id] : [],
      emails: [...emails],
      phones: [...phones],
      accountIds: [...accounts],
    };
  }

  /** The job handler: answers one verified request. Safe to run again: each step happens once. */
  async fulfil(requestId: string, job: JobContext): Promise<unknown> {
    const r = await findRow(this.#ctx, requestId);
    if (r.status === 'completed' || r.status === 'denied') return { skipped: r.status };
    if (r.status !== 'in_progress')
      throw new VowError('VOW_REQUEST_STATE', 'The request is not ready for fulfilment');
    const contact = await openSealed(this.#ctx, r);
    const identity = await this.#identity(r, contact);
    switch (r.type) {
      case 'access':
      case 'portability':
        return this.#fulfilAccess(r, contact, identity, job);
      case 'deletion':
        return this.#fulfilDeletion(r, contact, identity, job);
      case 'correction':
        return this.#fulfilCorrection(r, contact, identity, job);
      case 'restriction':
      case 'objection':
        return this.#fulfilRestriction(r, contact, job);
    }
  }

  async #fulfilAccess(r: Row, contact: Sealed, identity: PersonIdentity, job: JobContext): Promise<unknown> {
    const walker = requireWalker(this.#deps);
    const data = await walker.export(identity, { type: 'system', requestId: r.id });
    const scope = JSON.parse(r.scope) as { categories?: string[] };
    const categoriesOnly = r.verification_method === 'data_points_2';
    const doc = buildExportDocument(this.#ctx, r, data, { categoriesOnly, categories: scope.categories });
    const token = newToken(this.#ctx);
    const sealed = await this.#ctx.vault.encrypt(`request:${r.id}`, JSON.stringify(doc));
    const link = `${this.#ctx.config.publicUrl}/privacy/request/export/${token}`;
    const now = this.#ctx.clock.now();
    return job.step('answer', async (trx) => {
      await trx
        .insertInto('rights_exports')
        .values({
          id: this.#ctx.random.uuid(),
          request_id: r.id,
          token_index: this.#ctx.vault.blindIndex('token', `export:${token}`),
          expires_at: new Date(now.getTime() + EXPORT_TTL_MS).toISOString(),
          sealed,
          created_at: now.toISOString(),
          downloads: 0,
        })
        .execute();
      const result = {
        values: doc.values.length,
        categories: doc.categories.length,
        datasets: data.datasets,
        categoriesOnly,
      };
      await complete(
        this.#deps,
        trx,
        r,
        categoriesOnly ? 'categories disclosed' : 'export sent',
        result,
        {
          subject: 'Your data is ready to download',
          text: [
            `Your ${r.type} request is answered. Download your data (JSON, CSV per table and a readable summary) within 7 days:`,
            link,
            categoriesOnly
              ? 'We verified your identity with two details, so this answer lists the categories of data we hold, not the values.'
              : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
        },
        contact.email,
      );
      return result;
    });
  }

  async #fulfilDeletion(
    r: Row,
    contact: Sealed,
    identity: PersonIdentity,
    job: JobContext,
  ): Promise<unknown> {
    const walker = requireWalker(this.#deps);
    const scope = JSON.parse(r.scope) as { categories?: string[] };
    const everything = !scope.categories || scope.categories.length === 0;
    const categories = everything ? 'all' : scope.categories!;
    const actor = { type: 'system' as const, requestId: r.id };
    // 1. The plan (a dry run), recorded once: what will change and what stays under an exemption.
    const plan = await job.once('plan', async () =>
      summarise(await walker.delete(identity, { categories, dryRun: true }, actor)),
    );
    // 2. Suppression before the identifiers disappear: keyed hashes only, so the person is never re-mailed.
    if (everything) {
      const suppressor = this.#ports.suppressor;
      const indexes = [
        ...(identity.emails ?? []).map((e) => ({
          indexKind: 'email' as const,
          blindIndex: emailIndex(this.#ctx, e),
        })),
        ...(identity.phones ?? []).map((p) => ({
          indexKind: 'phone' as const,
          blindIndex: this.#ctx.vault.blindIndex('phone', p),
        })),
      ];
      await job.step('suppress', async (trx) => {
        if (suppressor)
          for (const i of indexes)
            await suppressor.suppressIdentifier(trx, { ...i, reason: `deletion request ${r.id}` });
        return { suppressed: suppressor ? indexes.length : 0 };
      });
    }
    // 3. The walk itself (idempotent: a second pass changes nothing).
    // Once recorded, a retried job does not walk again (the person's key may be gone by then).
    await job.once('walked', async () => ({
      changes: (await walker.delete(identity, { categories }, actor)).changes,
    }));
    // What the walker does not reach (not values in annotated columns): every part of Vow erases its
    // own rows of the person through the erasure registry (the subjects module's look-ups, so the
    // person is no longer found by email; the outbox's queued mail to them; …).
    if (r.subject_id) {
      const subjectId = r.subject_id;
      const erasure = requireErasure(this.#deps);
      const erased = await job.step('erase', async (trx) => {
        const report = await erasure.erase(trx, {
          subjectId,
          mode: 'delete',
          categories,
          at: this.#ctx.clock.now().toISOString(),
        });
        return { rows: report.rows, destroyKeys: [...report.destroyKeys] };
      });
      for (const key of erased.destroyKeys) await this.#ctx.vault.destroyKey(key);
    }
    // 4. Notices to downstream recipients, recorded in the outbox.
    const notify = DELETION_NOTICE_RECIPIENTS.filter((id) => this.#ctx.policy.recipient(id));
    await job.step('notify', async (trx) => {
      for (const recipient of notify) {
        await this.#mail.enqueue(
          {
            to: `recipient:${recipient}`,
            kind: 'rights.deletion_notice',
            subject: `Deletion request ${r.id}`,
            text: recipientNotice(recipient, r.id, identity, categories),
          },
          trx,
        );
      }
      await this.#ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'request.recipients_notified',
          target: { type: 'request', id: r.id },
          details: { recipients: notify },
        },
        trx,
      );
      return { notified: notify.length };
    });
    // 5. Crypto-shredding: every copy of the person's sealed values, backups included, is unreadable.
    if (everything && r.subject_id) await this.#ctx.vault.destroyKey(r.subject_id);
    // 6. The reply: what was deleted, and what was kept under which exemption.
    const exemptions = this.#ctx.policy.doc.exemptions;
    const kept = plan.retained.map(
      (k) => `- ${k.category} (${k.dataset}.${k.table}): ${exemptions[k.exemption]?.title ?? k.exemption}`,
    );
    return job.step('answer', async (trx) => {
      const result = {
        changes: plan.changes,
        retained: plan.retained,
        keyDestroyed: everything && r.subject_id !== null,
        recipientsNotified: notify,
      };
      await complete(
        this.#deps,
        trx,
        r,
        everything ? 'deleted' : 'deleted (chosen categories)',
        result,
        {
          subject: 'Your data was deleted',
          text: [
            `We deleted ${everything ? 'the data we held about you' : `your data in these categories: ${categories.toString()}`}.`,
            kept.length > 0
              ? `We kept the following, as the law or our policy requires:\n${[...new Set(kept)].join('\n')}`
              : 'Nothing was kept.',
            everything
              ? 'We keep a keyed hash of your address on our suppression list so that we never email you again.'
              : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
        },
        contact.email,
      );
      return result;
    });
  }

  async #fulfilCorrection(
    r: Row,
    contact: Sealed,
    identity: PersonIdentity,
    job: JobContext,
  ): Promise<unknown> {
    const walker = requireWalker(this.#deps);
    const c = contact.correction;
    if (!c) throw new VowError('VOW_REQUEST_INVALID', 'The correction is missing');
    const changed = await job.once('corrected', async () => {
      const report = await walker.correct(
        identity,
        { category: c.category, ...(c.column ? { column: c.column } : {}), value: c.value },
        { type: 'staff', ...(r.approved_by ? { id: r.approved_by } : {}), requestId: r.id },
      );
      return { changes: report.changes };
    });
    return job.step('answer', async (trx) => {
      // The audit says that the field changed, never the old or the new value.
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: r.approved_by ?? undefined },
          action: 'request.corrected',
          target: { type: 'request', id: r.id },
          details: { category: c.category, changes: changed.changes },
        },
        trx,
      );
      const result = { category: c.category, changes: changed.changes };
      await complete(
        this.#deps,
        trx,
        r,
        'corrected',
        result,
        {
          subject: 'Your data was corrected',
          text: `We corrected your ${c.category} everywhere we hold it.`,
        },
        contact.email,
      );
      return result;
    });
  }

  async #fulfilRestriction(r: Row, contact: Sealed, job: JobContext): Promise<unknown> {
    const scope = JSON.parse(r.scope) as { purposes?: string[] };
    const all = !scope.purposes || scope.purposes.length === 0;
    return job.step('restrict', async (trx) => {
      if (!r.subject_id) throw new VowError('VOW_REQUEST_STATE', 'The request has no verified person');
      const now = this.#ctx.clock.now().toISOString();
      await trx
        .insertInto('restrictions')
        .values({
          id: this.#ctx.random.uuid(),
          subject_id: r.subject_id,
          scope: all ? 'all' : 'purposes',
          purposes: JSON.stringify(all ? [] : scope.purposes),
          started_at: now,
          lifted_at: null,
          request_id: r.id,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'restriction.started',
          target: { type: 'subject', id: r.subject_id },
          details: { request: r.id, scope: all ? 'all' : 'purposes', purposes: all ? [] : scope.purposes },
        },
        trx,
      );
      const result = { scope: all ? 'all' : 'purposes', purposes: all ? [] : (scope.purposes ?? []) };
      await complete(
        this.#deps,
        trx,
        r,
        r.type === 'objection' ? 'objection honoured' : 'processing restricted',
        result,
        {
          subject: 'We stopped processing your data',
          text: all
            ? 'From now on we only store your data; we do not use it, until you tell us otherwise. We will tell you before this ends.'
            : `From now on we no longer use your data for: ${result.purposes.join(', ')}.`,
        },
        contact.email,
      );
      return result;
    });
  }

  forSubject(subjectId: string): Promise<RequestView[]> {
    return forSubject(this.#ctx, subjectId);
  }

  /** Exposed for tests: the deadline helpers the service uses. */
  static readonly addDays = addDays;

  /** For the rare caller that wants to connect from a getter. */
  get ports(): Readonly<RightsPorts> {
    return this.#ports;
  }

  restrictionsOf(
    subjectId: string,
  ): Promise<
    { id: string; scope: string; purposes: string[]; startedAt: string; liftedAt: string | null }[]
  > {
    return restrictionsOf(this.#ctx, subjectId);
  }

  /** Connect a suppression list after construction. */
  useSuppressor(s: Suppressor): void {
    this.#ports.suppressor = s;
  }
}

function summarise(report: WalkReport): {
  changes: number;
  retained: {
    dataset: string;
    table: string;
    column: string;
    category: string;
    exemption: string;
    rows: number;
  }[];
} {
  return {
    changes: report.changes,
    retained: report.retained.map((k) => ({
      dataset: k.dataset,
      table: k.table,
      column: k.column,
      category: k.category,
      exemption: k.exemption,
      rows: k.rows,
    })),
  };
}

function recipientNotice(
  recipient: string,
  requestId: string,
  identity: PersonIdentity,
  categories: readonly string[] | 'all',
): string {
  const lines = [
    `A person asked us to delete their data (request ${requestId}, scope: ${categories === 'all' ? 'all data' : categories.join(', ')}).`,
    'Please delete the data you process for us about this person and confirm.',
  ];
  if (recipient === 'email_service' && identity.emails?.length)
    lines.push(`Email address(es): ${identity.emails.join(', ')}`);
  if (recipient === 'sms_gateway' && identity.phones?.length)
    lines.push(`Phone number(s): ${identity.phones.join(', ')}`);
  if (recipient === 'google_analytics')
    lines.push('You receive no identifying data from us; delete any data linked to this request reference.');
  return lines.join('\n\n');
}
