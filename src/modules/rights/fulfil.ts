// Fulfilment of a verified request as the durable `rights.fulfil` job: one job per request, each
// step checkpointed so a retried or crashed job finishes the request exactly once.

import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { defineJob, type JobContext, type JobDefinition } from '../../platform/jobs/index.js';
import type { PersonIdentity } from '../datasets/index.js';
import { ANSWER_JOB, FULFIL_JOB } from './constants.js';
import { fulfilAccess } from './fulfil-access.js';
import { answerCorrection, correctedChangesOf, fulfilCorrection } from './fulfil-correction.js';
import { answerDeletion, fulfilDeletion, pendingAnswerOf } from './fulfil-deletion.js';
import { answerErased, erasedMeanwhile, failedByErasure } from './fulfil-erased.js';
import { answerRestriction, fulfilRestriction } from './fulfil-restriction.js';
import { findRow, openSealed, type RightsDeps, type Row, type Sealed } from './internal.js';

/**
 * Everyone the request is about, as the walker looks for them: the verified person's identifiers
 * from the directory, and the request's own address only when the emailed code proved it theirs.
 */
async function identityOf(deps: RightsDeps, r: Row, contact: Sealed): Promise<PersonIdentity> {
  const emails = new Set<string>();
  const phones = new Set<string>();
  const accounts = new Set<string>();
  if (contact.email && r.verification_method === 'email_code') emails.add(contact.email);
  const directory = deps.ports().directory;
  if (r.subject_id && directory) {
    for (const id of await directory.identifiers(r.subject_id)) {
      if (typeof id.value !== 'string') continue;
      if (id.kind === 'email') emails.add(id.value);
      else if (id.kind === 'phone') phones.add(id.value);
      else if (id.kind === 'account') accounts.add(id.value);
    }
  }
  return {
    subjectIds: r.subject_id ? [r.subject_id] : [],
    emails: [...emails],
    phones: [...phones],
    accountIds: [...accounts],
  };
}

/** The job handler: answers one verified request. Safe to run again: each step happens once. */
export async function fulfil(deps: RightsDeps, requestId: string, job: JobContext): Promise<unknown> {
  const r = await findRow(deps.ctx, requestId);
  if (r.status === 'completed' || r.status === 'denied') return { skipped: r.status };
  if (r.status !== 'in_progress')
    throw new VowError('VOW_REQUEST_STATE', 'The request is not ready for fulfilment');
  const contact = await openSealed(deps.ctx, r);
  // The person erased since the request found them: nothing is left to export, correct or restrict.
  if (await erasedMeanwhile(deps, r)) return answerErased(deps, r, contact, job);
  try {
    const identity = await identityOf(deps, r, contact);
    switch (r.type) {
      case 'access':
      case 'portability':
        return await fulfilAccess(deps, r, contact, identity, job);
      case 'deletion':
        return await fulfilDeletion(deps, r, contact, identity, job);
      case 'correction':
        return await fulfilCorrection(deps, r, contact, identity, job);
      case 'restriction':
      case 'objection':
        return await fulfilRestriction(deps, r, contact, job, identity);
    }
  } catch (err) {
    // An erasure that began after the check above refuses the fulfilment's writes for the person.
    if (await failedByErasure(deps, r, err)) return answerErased(deps, r, contact, job);
    throw err;
  }
}

/** The job's definition (its id and step names are stored with queued jobs: never renamed). */
export function fulfilJob(deps: RightsDeps): JobDefinition<{ requestId: string }> {
  return defineJob({
    id: FULFIL_JOB,
    version: 1,
    schema: z.object({ requestId: z.string().min(1) }),
    // More attempts than the default: a walker over the shop's databases may be down for a while.
    maxAttempts: 10,
    handler: ({ requestId }, job) => fulfil(deps, requestId, job),
  });
}

/**
 * Answers a request that waited for its recipients, once the last blocking downstream task closed
 * (queued by RightsService.resume). Safe to run again: a completed request is skipped.
 */
export async function answerAfterRecipients(
  deps: RightsDeps,
  requestId: string,
  job: JobContext,
): Promise<unknown> {
  const r = await findRow(deps.ctx, requestId);
  if (r.status !== 'in_progress') return { skipped: r.status };
  const contact = await openSealed(deps.ctx, r);
  if (r.type === 'restriction' || r.type === 'objection')
    return job.step('answer', (trx) => answerRestriction(deps, trx, r, contact));
  if (r.type === 'correction') {
    // Before its own steps are done the fulfilment answers by itself once they are.
    const changes = correctedChangesOf(r);
    return changes === null ? { skipped: 'correcting' } : answerCorrection(deps, r, contact, changes, job);
  }
  const pending = pendingAnswerOf(r);
  if (r.type !== 'deletion' || !pending)
    throw new VowError('VOW_REQUEST_STATE', 'The request is not waiting for its recipients');
  return answerDeletion(deps, r, contact, pending, job);
}

export function answerJob(deps: RightsDeps): JobDefinition<{ requestId: string }> {
  return defineJob({
    id: ANSWER_JOB,
    version: 1,
    schema: z.object({ requestId: z.string().min(1) }),
    handler: ({ requestId }, job) => answerAfterRecipients(deps, requestId, job),
  });
}
