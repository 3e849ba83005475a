// Fulfilment of restriction and objection requests (P23, GDPR Art. 18 and 21): a restriction row,
// which the decisions provider honours at once, and the downstream tasks telling each recipient
// (Art. 19) in one checkpointed step; the answer follows once no blocking task is open.

import type { Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { JobContext } from '../../platform/jobs/index.js';
import type { Database } from '../../platform/store/index.js';
import type { PersonIdentity } from '../datasets/index.js';
import { purposeName } from '../policy/index.js';
import { complete, type RightsDeps, type Row, type Sealed } from './internal.js';
import { rightsMail } from './mail-text.js';

function scopeOf(r: Row): { all: boolean; purposes: string[] } {
  const scope = JSON.parse(r.scope) as { purposes?: string[] };
  const all = !scope.purposes || scope.purposes.length === 0;
  return { all, purposes: all ? [] : (scope.purposes ?? []) };
}

export async function fulfilRestriction(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  job: JobContext,
  identity?: PersonIdentity,
): Promise<unknown> {
  const ctx = deps.ctx;
  const { all, purposes } = scopeOf(r);
  const downstream = deps.ports().downstream;
  const restricted = await job.step('restrict', async (trx) => {
    if (!r.subject_id) throw new VowError('VOW_REQUEST_STATE', 'The request has no verified person');
    // Not for a person whose erasure began since the request found them (VOW_SUBJECT_SHREDDED: no
    // restriction row of theirs outlives it); ordered against the erasure by the vault. The request
    // is then answered that nothing is left to restrict (fulfil-erased.ts).
    await ctx.vault.assertOpen(trx, [r.subject_id]);
    const now = ctx.clock.now().toISOString();
    await trx
      .insertInto('restrictions')
      .values({
        id: ctx.random.uuid(),
        subject_id: r.subject_id,
        scope: all ? 'all' : 'purposes',
        purposes: JSON.stringify(purposes),
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
        details: { request: r.id, scope: all ? 'all' : 'purposes', purposes },
      },
      trx,
    );
    return { subjectId: r.subject_id };
  });
  // The recipients' tasks (outside a step: the vault seals on its own connection; idempotent).
  const opened = downstream
    ? await job.once('downstream', () =>
        downstream.open(
          {
            requestId: r.id,
            kind: 'restriction',
            subjectId: restricted.subjectId,
            person: { emails: identity?.emails ?? [], phones: identity?.phones ?? [] },
            scope: all ? 'all' : purposes,
          },
          async (trx, result) => {
            if (result.blocking > 0)
              await trx
                .updateTable('rights_requests')
                .set({
                  result: JSON.stringify({ awaiting: 'recipients' }),
                  updated_at: ctx.clock.now().toISOString(),
                })
                .where('id', '=', r.id)
                .execute();
          },
        ),
      )
    : { tasks: 0, blocking: 0 };
  if (downstream && opened.blocking > 0 && (await downstream.pending(r.id)) > 0)
    return { awaiting: 'recipients', blocking: opened.blocking };
  return job.step('answer', (trx) => answerRestriction(deps, trx, r, contact));
}

/** The reply to a restriction or objection (also sent by the answer job once the recipients confirmed). */
export async function answerRestriction(
  deps: RightsDeps,
  trx: Transaction<Database>,
  r: Row,
  contact: Sealed,
): Promise<{ scope: string; purposes: string[] }> {
  const { all, purposes } = scopeOf(r);
  const result = { scope: all ? 'all' : 'purposes', purposes };
  await complete(
    deps,
    trx,
    r,
    r.type === 'objection' ? 'objection honoured' : 'processing restricted',
    result,
    rightsMail(r.locale).restricted({
      purposes: all ? 'all' : purposes.map((p) => purposeName(deps.ctx.policy, p, r.locale)),
    }),
    contact.email,
  );
  return result;
}
