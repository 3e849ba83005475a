// Fulfilment of restriction and objection requests (P23, GDPR Art. 18 and 21): a restriction row,
// which the decisions provider honours at once, written with the answer in one checkpointed step.

import { VowError } from '../../platform/errors.js';
import type { JobContext } from '../../platform/jobs/index.js';
import { purposeName } from '../policy/index.js';
import { complete, type RightsDeps, type Row, type Sealed } from './internal.js';
import { rightsMail } from './mail-text.js';

export async function fulfilRestriction(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  job: JobContext,
): Promise<unknown> {
  const ctx = deps.ctx;
  const scope = JSON.parse(r.scope) as { purposes?: string[] };
  const all = !scope.purposes || scope.purposes.length === 0;
  return job.step('restrict', async (trx) => {
    if (!r.subject_id) throw new VowError('VOW_REQUEST_STATE', 'The request has no verified person');
    const now = ctx.clock.now().toISOString();
    await trx
      .insertInto('restrictions')
      .values({
        id: ctx.random.uuid(),
        subject_id: r.subject_id,
        scope: all ? 'all' : 'purposes',
        purposes: JSON.stringify(all ? [] : scope.purposes),
        started_at: now,
        lifted_at: null,
        request_id: r.id,
      })
      .execute();
    await ctx.audit.record(
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
      deps,
      trx,
      r,
      r.type === 'objection' ? 'objection honoured' : 'processing restricted',
      result,
      rightsMail(r.locale).restricted({
        purposes: all ? 'all' : result.purposes.map((p) => purposeName(deps.ctx.policy, p, r.locale)),
      }),
      contact.email,
    );
    return result;
  });
}
