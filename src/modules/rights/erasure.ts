// What erasing a person does to the rights module's tables (registered with the erasure registry in
// src/app/services.ts).
// - A purge (P14): the contact and evidence of their requests are erased, their export data, codes
//   and restrictions deleted; the request log entries stay without a personal value.
// - A deletion of everything (P22): their download links and exports and their codes are deleted,
//   and the contact on their answered requests is forgotten (its key destroyed after commit). The
//   log entries stay, without a personal value, for the 24 months the CCPA regulations require
//   (§ 7101); the request being fulfilled keeps its contact until its answer is sent.
import type { Transaction } from 'kysely';
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';

/** A request's sealed contact and the keyed hash of its address, forgotten; its key id to destroy. */
export async function forgetContact(
  trx: Transaction<Database>,
  requestId: string,
  at: string,
): Promise<string> {
  await trx
    .updateTable('rights_requests')
    .set({ sealed: '', email_index: null, updated_at: at })
    .where('id', '=', requestId)
    .execute();
  await trx
    .updateTable('rights_appeals')
    .set({ sealed: '', updated_at: at })
    .where('request_id', '=', requestId)
    .execute();
  return `request:${requestId}`;
}

export const rightsEraser: Eraser = {
  owner: 'rights',
  tables: {
    rights_requests: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'the request log: type, channel, dates, status, denial basis; the contact is forgotten',
      basis: 'CCPA regulations § 7101: records of requests and responses kept 24 months',
    },
    rights_appeals: {
      fate: 'kept',
      person: { column: 'request_id', via: { table: 'rights_requests', key: 'id', column: 'subject_id' } },
      what: 'that a refusal was appealed, when, who decided and how; the reasons and answer are forgotten with the contact',
      basis: 'the request log (CCPA regulations § 7101) and the state laws’ appeal records',
    },
    rights_verifications: {
      fate: 'erased',
      person: { column: 'request_id', via: { table: 'rights_requests', key: 'id', column: 'subject_id' } },
      how: 'codes deleted with a deletion of everything or the purge',
    },
    rights_verification_approvals: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'who verified a request by matching details, which kinds of details matched (never their values), who approved or rejected it and why',
      basis: 'the request log (CCPA regulations § 7101): how each request was verified, and by whom',
    },
    rights_exports: {
      fate: 'erased',
      person: { column: 'request_id', via: { table: 'rights_requests', key: 'id', column: 'subject_id' } },
      how: 'download links and their sealed exports deleted with a deletion of everything or the purge',
    },
    restrictions: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'that processing was restricted, for which purposes, from when (no personal value); deleted by the purge',
      basis: 'GDPR Art. 18 and 19: the restriction holds, and is shown, as long as the request log',
    },
  },
  async erase(trx, { subjectId, mode, categories, at, requestId }) {
    if (mode === 'delete' && categories !== 'all') return NOTHING_ERASED;
    const requests = await trx
      .selectFrom('rights_requests')
      .select(['id', 'status'])
      .where('subject_id', '=', subjectId)
      .execute();
    const rows = {
      rights_requests: 0,
      rights_appeals: 0,
      rights_verifications: 0,
      rights_exports: 0,
      restrictions: 0,
    };
    const destroyKeys: string[] = [];
    for (const { id, status } of requests) {
      rows.rights_verifications += changed(
        await trx.deleteFrom('rights_verifications').where('request_id', '=', id).executeTakeFirst(),
      );
      rows.rights_exports += changed(
        await trx.deleteFrom('rights_exports').where('request_id', '=', id).executeTakeFirst(),
      );
      // A deletion forgets the contact of answered requests only: one still open needs it to be
      // answered, and the one being fulfilled forgets its own after its answer.
      const answered = status === 'completed' || status === 'denied';
      if (mode === 'purge' || (answered && id !== requestId)) {
        destroyKeys.push(await forgetContact(trx, id, at));
        rows.rights_requests++;
      }
    }
    // Restrictions are the record that processing stopped: a deletion keeps them (the person's data
    // is gone anyway); the purge removes every trace.
    if (mode === 'purge')
      rows.restrictions = changed(
        await trx.deleteFrom('restrictions').where('subject_id', '=', subjectId).executeTakeFirst(),
      );
    return { rows, destroyKeys };
  },
};
