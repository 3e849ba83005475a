// The composition root: every domain service, built once from the context. HTTP, pages and the CLI
// are thin shells over these.
import type { VowContext } from './context.js';
import { DecisionService } from './decisions/index.js';

export interface Services {
  readonly decisions: DecisionService;
}

export function createServices(ctx: VowContext): Services {
  const decisions = new DecisionService(() => ctx.policy);
  return { decisions };
}
