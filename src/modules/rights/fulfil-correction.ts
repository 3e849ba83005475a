// Fulfilment of an approved correction (P16, P21): the new value written everywhere the category is
// held, once, and the person told; the audit records that the field changed, never its values.

import { VowError } from '../../platform/errors.js';
import type { JobContext } from '../../platform/jobs/index.js';
import type { PersonIdentity } from '../datasets/index.js';
import { categoryName } from '../policy/index.js';
import { complete, type RightsDeps, type Row, requireWalker, type Sealed } from './internal.js';
import { rightsMail } from './mail-text.js';

export async function fulfilCorrection(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  identity: PersonIdentity,
  job: JobContext,
): Promise<unknown> {
  const walker = requireWalker(deps);
  const c = contact.correction;
  if (!c) throw new VowError('VOW_REQUEST_INVALID', 'The correction is missing');
  const changed = await job.once('corrected', async () => {
    const report = await walker.correct(
      identity,
      { category: c.category, ...(c.column ? { column: c.column } : {}), value: c.value },
      { type: 'staff', ...(r.approved_by ? { id: r.approved_by } : {}), requestId: r.id },
    );
    return { changes: report.changes };
  });
  // The corrected identifier finds the person from now on, and the old one no longer does (P21).
  const directory = deps.ports().directory;
  if (r.subject_id && directory?.reindex) {
    const subjectId = r.subject_id;
    await job.once('reindexed', () => directory.reindex!(subjectId));
  }
  return job.step('answer', async (trx) => {
    // The audit says that the field changed, never the old or the new value.
    await deps.ctx.audit.record(
      {
        actor: { type: 'staff', id: r.approved_by ?? undefined },
        action: 'request.corrected',
        target: { type: 'request', id: r.id },
        details: { category: c.category, changes: changed.changes },
      },
      trx,
    );
    const result = { category: c.category, changes: changed.changes };
    await complete(
      deps,
      trx,
      r,
      'corrected',
      result,
      rightsMail(r.locale).corrected({ category: categoryName(deps.ctx.policy, c.category, r.locale) }),
      contact.email,
    );
    return result;
  });
}
