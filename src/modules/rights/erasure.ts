// What erasing a person does to the rights module's tables (registered with the erasure registry in
// src/app/services.ts). A purge (P14): the contact and evidence of their requests are erased and their
// export data, codes and restrictions deleted; the request log entries stay without a personal value.
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

export const rightsEraser: Eraser = {
  owner: 'rights',
  tables: ['rights_requests', 'rights_verifications', 'rights_exports', 'restrictions'],
  async erase(trx, { subjectId, mode, at }) {
    if (mode !== 'purge') return NOTHING_ERASED;
    const requests = await trx
      .selectFrom('rights_requests')
      .select('id')
      .where('subject_id', '=', subjectId)
      .execute();
    const rows = { rights_requests: 0, rights_verifications: 0, rights_exports: 0, restrictions: 0 };
    for (const { id } of requests) {
      rows.rights_verifications += changed(
        await trx.deleteFrom('rights_verifications').where('request_id', '=', id).executeTakeFirst(),
      );
      rows.rights_exports += changed(
        await trx.deleteFrom('rights_exports').where('request_id', '=', id).executeTakeFirst(),
      );
      rows.rights_requests += changed(
        await trx
          .updateTable('rights_requests')
          .set({ sealed: '', email_index: null, updated_at: at })
          .where('id', '=', id)
          .executeTakeFirst(),
      );
    }
    rows.restrictions = changed(
      await trx.deleteFrom('restrictions').where('subject_id', '=', subjectId).executeTakeFirst(),
    );
    return { rows };
  },
};
