// The composition root: every domain service, built once from the context. HTTP, pages and the CLI
// are thin shells over these.

import { CollectionService } from '../modules/collection/index.js';
import { ConsentService } from '../modules/consent/index.js';
import { createDatasetService, type DatasetService } from '../modules/datasets/index.js';
import { DecisionService } from '../modules/decisions/index.js';
import { DisclosureService } from '../modules/disclosures/index.js';
import { ExperimentService } from '../modules/experiments/experiment-service.js';
import { createSecurityServices, type SecurityServices } from '../modules/identity/index.js';
import { registerPromiseCheckJob } from '../modules/promises/check-job.js';
import { PromiseMonitor } from '../modules/promises/index.js';
import { ReportService } from '../modules/reports/report-service.js';
import { ComplaintService, RightsService } from '../modules/rights/index.js';
import { type CookiesServices, createCookiesServices } from '../modules/site-analytics/index.js';
import { SubjectService } from '../modules/subjects/index.js';
import { JobRunner } from '../platform/jobs/index.js';
import { MailService } from '../platform/mail/index.js';
import { Metrics } from '../platform/metrics/metrics.js';
import type { VowContext } from './context.js';
import { installScrapedSeries } from './metrics-series.js';

export interface Services {
  /** Sessions, API keys, lock-outs, staff and shopper accounts (src/security, src/staff, src/accounts). */
  readonly security: SecurityServices;
  /** Cookie consent, site events and Google Analytics forwarding (src/analytics consent-*, events-*, ga-*). */
  readonly cookies: CookiesServices;
  readonly decisions: DecisionService;
  /** Annotated datasets and the per-person walker: export, correct, delete (src/datasets). */
  readonly datasets: DatasetService;
  /** Consent rules, unsubscribes, suppressions, SMS keywords, audiences (src/consent). */
  readonly consent: ConsentService;
  readonly metrics: Metrics;
  /** Durable jobs (src/jobs); `vow serve` starts the runner. */
  readonly jobs: JobRunner;
  /** The mail outbox (src/mail). */
  readonly mail: MailService;
  /** People, identifiers, identity resolution, the under-13 mark (src/subjects). */
  readonly subjects: SubjectService;
  /** Orders, registrations, contest entries, catalog requests, SMS sign-ups, inbound email (src/collection). */
  readonly collection: CollectionService;
  /** Disclosures to recipients, minimised and logged (src/disclosures). */
  readonly disclosures: DisclosureService;
  /** Layout experiments and differentially private aggregate reports (src/analytics experiments*, reports*). */
  readonly experiments: ExperimentService;
  readonly reports: ReportService;
  /** Data subject requests: intake, verification, deadlines, fulfilment jobs, restrictions (src/rights). */
  readonly rights: RightsService;
  /** Complaints and the regulator to escalate to (src/rights). */
  readonly complaints: ComplaintService;
  /** The promise monitor and its hourly checks (`scheduleChecks` queues the first run; src/promises). */
  readonly promises: { readonly monitor: PromiseMonitor; readonly scheduleChecks: () => Promise<void> };
}

export function createServices(ctx: VowContext): Services {
  const metrics = new Metrics({ defaultMetrics: ctx.config.env !== 'test' });
  const decisions = new DecisionService(
    () => ctx.policy,
    (purpose, d) => metrics.countDecision(purpose, d.decision),
  );
  const jobs = new JobRunner(ctx);
  const mail = new MailService(ctx, jobs);
  const consent = new ConsentService(ctx);
  decisions.addProvider(consent.provider);
  const subjects = new SubjectService(ctx);
  decisions.addProvider(subjects.provider);
  subjects.addEraser((trx, id) => consent.erase(trx, id));
  const collection = new CollectionService(ctx, subjects, () => consent);
  const disclosures = new DisclosureService(ctx, { subjects, collection, decisions });
  const cookies = createCookiesServices(ctx, undefined, jobs);
  const security = createSecurityServices(ctx, jobs);
  const experiments = new ExperimentService(ctx, cookies.consent);
  const reports = new ReportService(ctx);
  const datasets = createDatasetService(ctx);
  const rights = new RightsService(ctx, jobs, mail, {
    directory: subjects,
    walker: datasets,
    suppressor: consent,
  });
  decisions.addProvider(rights.provider);
  subjects.addEraser(async (trx, subjectId) => {
    await rights.eraseSubject(trx, subjectId);
  });
  const complaints = new ComplaintService(ctx, mail);
  const monitor = new PromiseMonitor(ctx, { datasets });
  const promiseJob = registerPromiseCheckJob(ctx, jobs, monitor, metrics);
  installScrapedSeries(metrics, { rights, monitor });
  return {
    promises: { monitor, scheduleChecks: promiseJob.schedule },
    datasets,
    cookies,
    decisions,
    consent,
    metrics,
    jobs,
    mail,
    security,
    experiments,
    reports,
    subjects,
    collection,
    disclosures,
    rights,
    complaints,
  };
}
