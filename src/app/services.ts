// The composition root: every domain service, built once from the context. HTTP, pages and the CLI
// are thin shells over these.

import { CollectionService } from '../modules/collection/index.js';
import { ComplaintService } from '../modules/complaints/index.js';
import { ConsentService, MailFeedback } from '../modules/consent/index.js';
import { CookieConsentService, PrivacyChoicesService } from '../modules/cookie-consent/index.js';
import { createDatasetService, type DatasetService } from '../modules/datasets/index.js';
import { DecisionService } from '../modules/decisions/index.js';
import { DisclosureService } from '../modules/disclosures/index.js';
import type { WebhookResolver } from '../modules/downstream/index.js';
import { ExperimentService } from '../modules/experiments/index.js';
import {
  accountEmailIndexes,
  CODE_PAIR,
  CODE_THROTTLE,
  codeTarget,
  createIdentityServices,
  type IdentityServices,
} from '../modules/identity/index.js';
import { ImportService } from '../modules/imports/index.js';
import {
  IncidentNotices,
  IncidentService,
  IncidentStates,
  StateReminders,
} from '../modules/incidents/index.js';
import {
  InlineRunner,
  PromiseAlerts,
  PromiseChecks,
  PromiseMonitor,
  registerPromiseCheckJob,
  WorkerRunner,
} from '../modules/promises/index.js';
import { ReportService } from '../modules/reports/index.js';
import { RetentionEnforcer } from '../modules/retention/index.js';
import { RightsService } from '../modules/rights/index.js';
import { createSiteAnalyticsServices, type SiteAnalyticsServices } from '../modules/site-analytics/index.js';
import { emailLookupIndexes, SubjectService, Under13Approvals } from '../modules/subjects/index.js';
import { registerAnchorJob } from '../platform/audit/index.js';
import type { ErasureRegistry } from '../platform/erasure/index.js';
import { JobRunner, QUARTER_HOUR_MS, registerRecurringJob } from '../platform/jobs/index.js';
import { MailService } from '../platform/mail/index.js';
import { Metrics } from '../platform/metrics/index.js';
import { siblingModule } from '../platform/workers.js';
import type { VowContext } from './context.js';
import { connectDownstream, createDownstream, type Downstream } from './downstream.js';
import { createErasureRegistry } from './erasure.js';
import { installScrapedSeries } from './metrics-series.js';
import { personFacts } from './person-facts.js';

export interface Services {
  /** Sessions, API keys, lock-outs, staff and shopper accounts (src/modules/identity). */
  readonly identity: IdentityServices;
  /** A visitor's banner choices and GPC signals, in the consent ledger (src/modules/cookie-consent). */
  readonly cookieConsent: CookieConsentService;
  /** "Do Not Sell or Share" opt-outs, honoured like GPC (src/modules/cookie-consent). */
  readonly privacyChoices: PrivacyChoicesService;
  /** Site measurements, Google Analytics forwarding and their retention (src/modules/site-analytics). */
  readonly siteAnalytics: SiteAnalyticsServices;
  /** Queues the hourly audit anchor job (idempotent; `vow serve` calls it; src/platform/audit). */
  readonly scheduleAuditAnchors: () => Promise<void>;
  /**
   * Queues the quarter-hourly job that deletes console forms and addresses kept past their 15
   * minutes (src/modules/identity: form-drafts.ts, kept-addresses.ts; idempotent; `vow serve` calls it).
   */
  readonly scheduleStaffKeepsUpkeep: () => Promise<void>;
  readonly decisions: DecisionService;
  /** Annotated datasets and the per-person walker: export, correct, delete (src/modules/datasets). */
  readonly datasets: DatasetService;
  /** Consent rules, unsubscribes, suppressions, SMS keywords, audiences (src/modules/consent: a person's marketing consent). */
  readonly consent: ConsentService;
  readonly metrics: Metrics;
  /** Durable jobs (src/platform/jobs); `vow serve` starts the runner. */
  readonly jobs: JobRunner;
  /** The mail outbox (src/platform/mail). */
  readonly mail: MailService;
  /** People, identifiers, identity resolution, the under-13 mark (src/modules/subjects). */
  readonly subjects: SubjectService;
  /** Four eyes on the under-13 purge: proposals by customer service, decisions by a privacy officer. */
  readonly under13: Under13Approvals;
  /** Orders, registrations, contest entries, catalog requests, SMS sign-ups, inbound email (src/modules/collection). */
  readonly collection: CollectionService;
  /** Disclosures to recipients, minimised and logged (src/modules/disclosures). */
  readonly disclosures: DisclosureService;
  /** Layout experiments (src/modules/experiments). */
  readonly experiments: ExperimentService;
  /** Aggregate reports with differential privacy (src/modules/reports). */
  readonly reports: ReportService;
  /** Data subject requests: intake, verification, deadlines, fulfilment jobs, restrictions (src/modules/rights). */
  readonly rights: RightsService;
  /** Complaints and the regulator to escalate to (src/modules/complaints). */
  readonly complaints: ComplaintService;
  /** The personal-data breach register and its 72-hour clock (src/modules/incidents). */
  readonly incidents: IncidentService;
  /** GDPR Art. 34: Vow writes to the people affected by a high-risk breach itself (src/modules/incidents). */
  readonly incidentNotices: IncidentNotices;
  /** US state breach-notification clocks: residents per state and the notices given (src/modules/incidents). */
  readonly incidentStates: IncidentStates;
  /** Hourly reminders of the US state deadlines to the privacy officers (src/modules/incidents). */
  readonly stateReminders: StateReminders;
  /** `vow import` and POST /v1/imports: files of customers, orders and lists (src/modules/imports). */
  readonly imports: ImportService;
  /** Bounces (RFC 3464) and complaints (ARF) from the SMTP listener or POST /v1/mail/feedback (src/modules/consent). */
  readonly mailFeedback: MailFeedback;
  /** Signed webhooks to the retailer's systems and the downstream tasks of each request (src/modules/downstream). */
  readonly downstream: Downstream;
  /** Every table's fate when a person is erased, and the erasers deletion and the under-13 purge run. */
  readonly erasure: ErasureRegistry;
  /**
   * The policy's retention enforced (src/modules/retention): `enforcer.enforce()` erases what has
   * expired; `schedule()` queues the daily job.
   */
  readonly retention: { readonly enforcer: RetentionEnforcer; readonly schedule: () => Promise<void> };
  /**
   * The promise monitor (`monitor` runs in this thread), the checks as run off the request path with
   * gauges and alerts (`checks`), and the hourly job (`scheduleChecks` queues the first run;
   * src/modules/promises).
   */
  readonly promises: {
    readonly monitor: PromiseMonitor;
    readonly checks: PromiseChecks;
    readonly scheduleChecks: () => Promise<void>;
  };
}

/** What a composition may replace: tests resolve webhook hosts with their own lookup. */
export interface ServiceOptions {
  /** The resolver of webhook hosts, for registration and delivery alike (default: the system's). */
  readonly webhookResolver?: WebhookResolver;
}

export function createServices(ctx: VowContext, options: ServiceOptions = {}): Services {
  const metrics = new Metrics({ defaultMetrics: ctx.config.env !== 'test' });
  const decisions = new DecisionService(
    () => ctx.policy,
    (purpose, d) => metrics.countDecision(purpose, d.decision),
  );
  const jobs = new JobRunner(ctx, {
    leaseMs: ctx.config.jobLeaseMs,
    heartbeatMs: ctx.config.jobHeartbeatMs,
  });
  const mail = new MailService(ctx, jobs, () => ctx.policy.doc.controller);
  const consent = new ConsentService(ctx);
  decisions.addProvider(consent.provider);
  const subjects = new SubjectService(ctx);
  decisions.addProvider(subjects.provider);
  const collection = new CollectionService(ctx, subjects, () => consent);
  const disclosures = new DisclosureService(ctx, { subjects, collection, decisions });
  const cookieConsent = new CookieConsentService(ctx, consent);
  const privacyChoices = new PrivacyChoicesService(ctx, consent, cookieConsent);
  const siteAnalytics = createSiteAnalyticsServices(ctx, { cookieConsent, disclosures }, jobs);
  const identity = createIdentityServices(ctx);
  const anchors = registerAnchorJob(
    ctx,
    jobs,
    ctx.config.auditAnchorMail ? anchorMail(ctx, mail) : undefined,
  );
  const experiments = new ExperimentService(ctx, cookieConsent);
  const reports = new ReportService(ctx, jobs);
  const datasets = createDatasetService(ctx);
  const downstream = createDownstream(ctx, jobs, mail, undefined, options.webhookResolver);
  const erasure = createErasureRegistry({
    onPurge: downstream.announcements.onPurge,
    token: (v) => ctx.vault.blindIndex('token', v),
    mail: {
      emailIndex: (v) => ctx.vault.blindIndex('email', v),
      erasedAddresses: async (trx, subjectId, all) =>
        new Set([
          ...(await emailLookupIndexes(trx, subjectId, all ? 'all' : 'deleted')),
          ...(all ? await accountEmailIndexes(trx, subjectId) : []),
        ]),
      forgetSent: (drop) => mail.forgetSent(drop),
    },
  });
  subjects.connectPurge({ erasure, accountEmailIndexes });
  const under13 = new Under13Approvals(ctx, subjects, (a, b) => identity.staff.independent(a, b));
  const rights = new RightsService(ctx, jobs, mail, {
    directory: subjects,
    walker: datasets,
    suppressor: consent,
    erasure,
    facts: personFacts(ctx, decisions, disclosures),
    // An appeal's decider and the refuser must be two people, as for the under-13 purge.
    independent: (a, b) => identity.staff.independent(a, b),
    // Emailed codes: one limit per email address, whatever request or route they are typed on.
    codeGuard: (emailIndex, from) =>
      identity.attempts.begin(
        {
          target: codeTarget((v) => ctx.vault.blindIndex('token', v), emailIndex),
          client: identity.attempts.client(from),
          pair: CODE_PAIR,
          throttle: CODE_THROTTLE,
        },
        'codes',
      ),
    // A new code asked for on a status page spends the address's mail budget, as every route that
    // mails an address does (src/http/rate-limits.ts).
    mailBudget: (indexes, trx) =>
      identity.attempts.spendMailBudget((v) => ctx.vault.blindIndex('token', v), indexes, trx),
  });
  decisions.addProvider(rights.provider);
  connectDownstream(downstream, { rights, consent, directory: subjects });
  const complaints = new ComplaintService(ctx, mail, jobs);
  const imports = new ImportService(ctx, collection, consent);
  const monitor = new PromiseMonitor(ctx, {
    datasets,
    tables: () => erasure.tables(),
    anchors: ctx.audit.anchorStore,
  });
  const inline = new InlineRunner((mode) => monitor.run(mode));
  const checks = new PromiseChecks({
    runner: checkRunner(ctx) ?? inline,
    inline,
    metrics,
    clock: ctx.clock,
    alerts: new PromiseAlerts({
      logger: ctx.logger,
      mail: (m) => mail.enqueue(m),
      officers: () => privacyOfficers(ctx),
      consoleUrl: `${ctx.config.publicUrl}/staff`,
    }),
  });
  const promiseJob = registerPromiseCheckJob(ctx.clock, jobs, checks);
  const retention = new RetentionEnforcer({ ctx, datasets, erasure });
  const retentionJob = retention.register(jobs);
  const incidents = new IncidentService(ctx);
  const incidentNotices = new IncidentNotices(ctx, { jobs, mail, incidents });
  const incidentStates = new IncidentStates(ctx, { incidents });
  const stateReminders = new StateReminders(ctx, {
    states: incidentStates,
    jobs,
    mail,
    officers: () => privacyOfficers(ctx),
  });
  installScrapedSeries(metrics, {
    rights,
    monitor,
    incidents,
    incidentStates,
    reminderDays: ctx.config.breachReminderDays,
  });
  // A kept console form or address may name a customer: none outlives its 15 minutes by more than
  // a quarter of an hour, whether or not anyone keeps another or erases someone (security.md #50).
  const staffKeeps = registerRecurringJob(jobs, ctx.clock, {
    id: 'identity.forget_lapsed_keeps',
    everyMs: QUARTER_HOUR_MS,
    run: async () => ({
      forms: await identity.drafts.forgetLapsed(),
      addresses: await identity.addresses.forgetLapsed(),
    }),
  });
  return {
    promises: { monitor, checks, scheduleChecks: promiseJob.schedule },
    erasure,
    retention: { enforcer: retention, schedule: retentionJob.schedule },
    datasets,
    cookieConsent,
    privacyChoices,
    siteAnalytics,
    scheduleAuditAnchors: anchors.schedule,
    scheduleStaffKeepsUpkeep: staffKeeps.schedule,
    decisions,
    consent,
    metrics,
    jobs,
    mail,
    identity,
    experiments,
    reports,
    subjects,
    under13,
    collection,
    disclosures,
    rights,
    complaints,
    incidents,
    incidentNotices,
    incidentStates,
    stateReminders,
    imports,
    downstream,
    mailFeedback: new MailFeedback(ctx, consent),
  };
}

/** Who is told when a promise breaks: VOW_PRIVACY_OFFICERS, else the policy's controller email. */
export function privacyOfficers(ctx: VowContext): readonly string[] {
  return ctx.config.privacyOfficers.length > 0
    ? ctx.config.privacyOfficers
    : [ctx.policy.doc.controller.email];
}

/**
 * A worker thread for the promise checks when the store can be opened twice: a SQLite file, or the
 * configured PostgreSQL. A store in memory (tests) is checked inline.
 */
function checkRunner(ctx: VowContext): WorkerRunner | undefined {
  // Compiled (bin/compile.js) the worker runs the compiled module; from the sources, through tsx.
  const entry = siblingModule(import.meta.url, 'promise-worker');
  const base = { config: ctx.config, policySource: ctx.policy.source };
  if (ctx.store.dialect === 'sqlite' && ctx.store.location !== ':memory:')
    return new WorkerRunner(entry, { ...base, store: { sqliteFile: ctx.store.location } });
  if (ctx.store.dialect === 'postgres' && ctx.config.databaseUrl)
    return new WorkerRunner(entry, { ...base, store: { databaseUrl: ctx.config.databaseUrl } });
  return undefined;
}

/** Mails each hourly audit anchor to the privacy officers (VOW_AUDIT_ANCHOR_MAIL=on): a copy out of reach. */
function anchorMail(ctx: VowContext, mail: MailService) {
  return async (a: { seq: number; hash: string; at: string }) => {
    for (const to of privacyOfficers(ctx))
      await mail.enqueue({
        to,
        kind: 'audit.anchor',
        subject: `Vow audit anchor ${a.seq}`,
        text: `The audit trail's head at ${a.at}: entry ${a.seq}, hash ${a.hash}.\nKeep this mail: \`vow audit verify\` compares the trail with such anchors.`,
      });
  };
}
