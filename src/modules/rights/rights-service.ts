// Data subject requests (P15, P16, P20-P24): the one service other parts of Vow hold. It wires the
// module's parts (intake, verification, staff actions, queries, fulfilment jobs, pruning,
// restrictions) to the context, the job runner, the mail outbox and the ports, and delegates to them.

import type { JobContext, JobRunner } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import type { SubjectStateProvider } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import {
  type AppealOffer,
  type AppealView,
  appealDetail,
  appealOffer,
  appealQueue,
  decideAppeal,
  extendAppeal,
  fileAppeal,
} from './appeals.js';
import { resendCode } from './code-resend.js';
import { ANSWER_JOB } from './constants.js';
import { type ExportDocument, openExport } from './export-document.js';
import { answerJob, fulfil, fulfilJob } from './fulfil.js';
import { type SubmitInput, type SubmitOptions, type SubmitResult, submit } from './intake.js';
import { findRow, type RightsDeps, type Row } from './internal.js';
import { resolveJurisdiction } from './jurisdiction.js';
import type { RightsPorts } from './ports.js';
import { pruneJob, pruneLog, scheduleMaintenance } from './prune.js';
import {
  detail,
  forSubject,
  getRequest,
  type ListedRequest,
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
import { pendingApprovalCount, type QueueEntry, type QueueFilter, staffQueue } from './staff-queue.js';
import type { Jurisdiction, RequestStatus, VerificationMethod } from './tables.js';
import {
  type DataPoints,
  type DataPointVerification,
  verifyByDataPoints,
  verifyCode,
} from './verification.js';
import {
  approveVerification,
  independentOfVerifier,
  pendingVerification,
  rejectVerification,
} from './verification-approval.js';

export class RightsService {
  /** Decisions provider (P23): an open restriction denies its purposes from the moment it is written. */
  readonly provider: SubjectStateProvider;

  readonly #deps: RightsDeps;
  #ports: RightsPorts;

  constructor(ctx: VowContext, jobs: JobRunner, mail: MailService, ports: RightsPorts = {}) {
    this.#ports = { ...ports };
    // The parts read the ports through this getter, so connect() after construction reaches them.
    this.#deps = { ctx, jobs, mail, ports: () => this.#ports };
    this.provider = restrictionProvider(ctx);
    jobs.register(fulfilJob(this.#deps));
    jobs.register(pruneJob(this.#deps));
    jobs.register(answerJob(this.#deps));
  }

  /**
   * Queues the answer of a request whose last blocking downstream task just closed (the downstream
   * module calls this). Once per request.
   */
  async resume(requestId: string): Promise<void> {
    await this.#deps.jobs.enqueue({
      name: ANSWER_JOB,
      payload: { requestId },
      idempotencyKey: `${ANSWER_JOB}:${requestId}`,
    });
    this.#deps.jobs.wake();
  }

  /** Connects (or replaces) the subjects directory, the datasets walker and the suppression list. */
  connect(ports: RightsPorts): void {
    this.#ports = { ...this.#ports, ...ports };
  }

  /** For the rare caller that wants to connect from a getter. */
  get ports(): Readonly<RightsPorts> {
    return this.#ports;
  }

  // Intake and verification -------------------------------------------------------------------

  /** Files a request; a web request is answered the same whether or not the email is known. */
  submit(input: SubmitInput, options: SubmitOptions): Promise<SubmitResult> {
    return submit(this.#deps, input, options);
  }

  /** Checks a code typed on the status page; five wrong codes lock the request. */
  verifyCode(
    statusToken: string,
    code: string,
    from = 'local',
  ): Promise<{ requestId: string; status: RequestStatus }> {
    return verifyCode(this.#deps, statusToken, code, from);
  }

  /**
   * Mails a new code to the address on the request (the earlier code stops working; the deadline
   * stays); limited per request and per address (code-resend.ts).
   */
  resendCode(statusToken: string): Promise<{ requestId: string; expiresAt: string }> {
    return resendCode(this.#deps, statusToken);
  }

  /**
   * Staff verify a person without an account by two (or three, with a declaration) matching details.
   * A three-detail verification of a deletion, a correction or a copy of the values waits for a
   * privacy officer independent of the verifier (`pendingApproval`); the request stays unverified.
   */
  verifyByDataPoints(
    requestId: string,
    points: DataPoints,
    declarationSigned: boolean,
    staffId: string,
  ): Promise<DataPointVerification> {
    return verifyByDataPoints(this.#deps, requestId, points, declarationSigned, staffId);
  }

  /** A privacy officer other than the verifier approves a waiting staff verification; the request moves on. */
  approveVerification(
    requestId: string,
    staffId: string,
  ): Promise<{ status: RequestStatus; method: VerificationMethod; verifiedBy: string }> {
    return approveVerification(this.#deps, requestId, staffId);
  }

  /** A privacy officer other than the verifier rejects it, saying why; the request waits for verification again. */
  rejectVerification(
    requestId: string,
    staffId: string,
    reason: string,
  ): Promise<{ status: RequestStatus; verifiedBy: string }> {
    return rejectVerification(this.#deps, requestId, staffId, reason);
  }

  /**
   * Whether this staff member is another person than the one whose verification of the request
   * waits (false when none waits). Their role is the caller's to check.
   */
  async mayDecideVerification(requestId: string, staffId: string): Promise<boolean> {
    const pending = await pendingVerification(this.#deps.ctx, await findRow(this.#deps.ctx, requestId));
    return pending !== null && (await independentOfVerifier(this.#deps, pending, staffId));
  }

  /** How many requests wait for a privacy officer to approve their staff verification. */
  pendingApprovals(): Promise<number> {
    return pendingApprovalCount(this.#deps.ctx);
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

  // Appeals (US state laws) --------------------------------------------------------------------

  /** The person appeals a refused request from its status page (where their state's law offers it). */
  fileAppeal(statusToken: string, reason: string | undefined): Promise<AppealView> {
    return fileAppeal(this.#deps, statusToken, reason);
  }

  /** Whether the request behind a status link may be appealed, and its appeal on record. */
  appealOffer(statusToken: string): Promise<AppealOffer> {
    return appealOffer(this.#deps.ctx, statusToken);
  }

  extendAppeal(appealId: string, staffId: string): Promise<AppealView> {
    return extendAppeal(this.#deps, appealId, staffId);
  }

  /** Decides an appeal; never by the staff member who refused the request. */
  decideAppeal(
    appealId: string,
    decision: { outcome: 'granted' | 'upheld'; reasons: string },
    staffId: string,
  ): Promise<{ appeal: AppealView; answer: string }> {
    return decideAppeal(this.#deps, appealId, decision, staffId);
  }

  appeals(options: { includeDecided?: boolean } = {}): Promise<AppealView[]> {
    return appealQueue(this.#deps.ctx, options);
  }

  appeal(appealId: string): Promise<AppealView & { reason: string | null; answer: string | null }> {
    return appealDetail(this.#deps.ctx, appealId);
  }

  /** The jurisdiction stated, else the address on file, else `other` (never the IP address). */
  resolveJurisdiction(
    stated: Jurisdiction | undefined,
    subjectId: string | undefined,
  ): Promise<{ jurisdiction: Jurisdiction; source: 'stated' | 'address_on_file' | 'fallback' }> {
    return resolveJurisdiction(this.#deps, stated, subjectId);
  }

  // Queries and views -------------------------------------------------------------------------

  regulatorFor(jurisdiction: Jurisdiction): { id: string; name: string; url: string } | undefined {
    return regulatorFor(this.#deps.ctx, jurisdiction);
  }

  view(r: Row): RequestView {
    return view(this.#deps.ctx, r);
  }

  /** The staff API's list: open (or all) requests, each with `pendingApproval`; optionally only those. */
  queue(options: { includeClosed?: boolean; pendingApproval?: boolean } = {}): Promise<ListedRequest[]> {
    return queue(this.#deps.ctx, options);
  }

  /** The console's queue with each requester's email and name, filtered and searched (audited). */
  staffQueue(staffId: string, filter: QueueFilter = {}): Promise<QueueEntry[]> {
    return staffQueue(this.#deps.ctx, staffId, filter);
  }

  get(requestId: string): Promise<RequestView> {
    return getRequest(this.#deps.ctx, requestId);
  }

  detail(requestId: string, staffId: string): Promise<RequestDetail> {
    return detail(this.#deps.ctx, requestId, staffId);
  }

  statusByToken(statusToken: string): Promise<RequestView> {
    return statusByToken(this.#deps.ctx, statusToken);
  }

  forSubject(subjectId: string): Promise<RequestView[]> {
    return forSubject(this.#deps.ctx, subjectId);
  }

  restrictionsOf(
    subjectId: string,
  ): Promise<
    { id: string; scope: string; purposes: string[]; startedAt: string; liftedAt: string | null }[]
  > {
    return restrictionsOf(this.#deps.ctx, subjectId);
  }

  openExport(token: string): Promise<ExportDocument> {
    return openExport(this.#deps.ctx, token);
  }

  // Jobs --------------------------------------------------------------------------------------

  /** The `rights.fulfil` handler: answers one verified request, each step once. */
  fulfil(requestId: string, job: JobContext): Promise<unknown> {
    return fulfil(this.#deps, requestId, job);
  }

  /** Schedules tomorrow's `rights.prune_log` run (one per day however many processes ask). */
  scheduleMaintenance(): Promise<void> {
    return scheduleMaintenance(this.#deps);
  }

  /** Removes expired exports and requests answered more than 24 months ago (their keys destroyed). */
  pruneLog(): Promise<{ requests: number; exports: number }> {
    return pruneLog(this.#deps.ctx);
  }
}
