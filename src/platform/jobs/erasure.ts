// What the job queue holds of a person: ids in payloads and counts in step results, never a value
// (declared with the erasure registry, src/app/services.ts).
import type { Eraser } from '../erasure/index.js';

export const jobsTables: Eraser = {
  owner: 'jobs',
  tables: {
    jobs: {
      fate: 'impersonal',
      why: 'job names, payloads of ids (a request id, an outbox id), statuses; pruned after 90 days',
    },
    job_steps: {
      fate: 'impersonal',
      why: 'checkpoints of finished steps: counts, categories and ids, never a value',
    },
  },
};
