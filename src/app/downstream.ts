// Wiring of src/modules/downstream: the webhooks outbox, the downstream tasks and the announcements,
// built before the erasure registry (the under-13 purge announces itself) and then connected to the
// rights module (tasks of each deletion and restriction; the answer once the last one closes), the
// consent ledger (grants, withdrawals, suppressions) and the subjects directory.
import type { ConsentService } from '../modules/consent/index.js';
import {
  Announcements,
  DownstreamTasks,
  type Fetch,
  type WebhookResolver,
  Webhooks,
} from '../modules/downstream/index.js';
import type { VowContext } from '../modules/policy/index.js';
import type { PersonDirectory, RightsService } from '../modules/rights/index.js';
import { DAY_MS, type JobRunner, registerRecurringJob } from '../platform/jobs/index.js';
import type { MailService } from '../platform/mail/index.js';

export interface Downstream {
  readonly webhooks: Webhooks;
  readonly tasks: DownstreamTasks;
  readonly announcements: Announcements;
  /**
   * Queues today's `downstream.expire_dead_letters` (daily): dead-lettered events of tasks past their
   * request's deadline are dropped and the tasks closed (src/modules/downstream/deadlines.ts).
   */
  readonly scheduleExpiry: () => Promise<void>;
}

export const EXPIRE_DEAD_LETTERS_JOB = 'downstream.expire_dead_letters';

export function createDownstream(
  ctx: VowContext,
  jobs: JobRunner,
  mail: MailService,
  fetch?: Fetch,
  resolver: WebhookResolver = {},
): Downstream {
  const webhooks = new Webhooks(ctx, jobs, fetch, resolver.lookup, resolver.wait);
  const tasks = new DownstreamTasks(ctx, webhooks, mail);
  const expiry = registerRecurringJob(jobs, ctx.clock, {
    id: EXPIRE_DEAD_LETTERS_JOB,
    everyMs: DAY_MS,
    run: async () => ({ closed: await tasks.expireDeadLetters() }),
  });
  return {
    webhooks,
    tasks,
    announcements: new Announcements(ctx, jobs, webhooks, tasks),
    scheduleExpiry: expiry.schedule,
  };
}

export function connectDownstream(
  d: Downstream,
  parts: { rights: RightsService; consent: ConsentService; directory: PersonDirectory },
): void {
  const { webhooks, tasks, announcements } = d;
  tasks.onSettled = (requestId) => parts.rights.resume(requestId);
  parts.consent.listen(announcements.onConsent, announcements.readAhead, announcements.onConsents);
  announcements.useIdentifiers(async (subjectId) => {
    const held = await parts.directory.identifiers(subjectId);
    const values = (kind: string) =>
      held.filter((h) => h.kind === kind && typeof h.value === 'string').map((h) => h.value as string);
    return { emails: values('email'), phones: values('phone') };
  });
  parts.rights.connect({
    downstream: {
      open: (input, within) => tasks.open(input, within),
      pending: (requestId) => tasks.pending(requestId),
      event: async (trx, type, data) => {
        if (type === 'deletion.completed' || type === 'restriction.lifted')
          await webhooks.publish(trx, { type, data });
      },
    },
  });
}
