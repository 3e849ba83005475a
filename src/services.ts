// The composition root: every domain service, built once from the context. HTTP, pages and the CLI
// are thin shells over these.
import type { VowContext } from './context.js';
import { DecisionService } from './decisions/index.js';
import { Metrics } from './metrics/metrics.js';

export interface Services {
  readonly decisions: DecisionService;
  readonly metrics: Metrics;
}

export function createServices(ctx: VowContext): Services {
  const metrics = new Metrics({ defaultMetrics: ctx.config.env !== 'test' });
  const decisions = new DecisionService(
    () => ctx.policy,
    (purpose, d) => metrics.decisions.inc({ purpose, decision: d.decision }),
  );
  return { decisions, metrics };
}
