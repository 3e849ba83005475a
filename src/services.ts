// The composition root: every domain service, built once from the context. HTTP, pages and the CLI
// are thin shells over these.
import type { VowContext } from './context.js';
import { createDatasetService, type DatasetService } from './datasets/index.js';
import { DecisionService } from './decisions/index.js';
import { JobRunner } from './jobs/index.js';
import { MailService } from './mail/index.js';
import { Metrics } from './metrics/metrics.js';

export interface Services {
  readonly decisions: DecisionService;
  /** Annotated datasets and the per-person walker: export, correct, delete (src/datasets). */
  readonly datasets: DatasetService;
  readonly metrics: Metrics;
  /** Durable jobs (src/jobs); `vow serve` starts the runner. */
  readonly jobs: JobRunner;
  /** The mail outbox (src/mail). */
  readonly mail: MailService;
}

export function createServices(ctx: VowContext): Services {
  const metrics = new Metrics({ defaultMetrics: ctx.config.env !== 'test' });
  const decisions = new DecisionService(
    () => ctx.policy,
    (purpose, d) => metrics.decisions.inc({ purpose, decision: d.decision }),
  );
  const jobs = new JobRunner(ctx);
  const mail = new MailService(ctx, jobs);
  const datasets = createDatasetService(ctx);
  return { decisions, metrics, jobs, mail, datasets };
}
