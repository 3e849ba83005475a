// The composition root: every domain service, built once from the context. HTTP, pages and the CLI
// are thin shells over these.
import type { VowContext } from './context.js';
import { DecisionService } from './decisions/index.js';
import { JobRunner } from './jobs/index.js';
import { MailService } from './mail/index.js';
import { Metrics } from './metrics/metrics.js';

export interface Services {
  readonly decisions: DecisionService;
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
  return { decisions, metrics, jobs, mail };
}
