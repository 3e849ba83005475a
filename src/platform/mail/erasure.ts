// What erasing a person does to the mail outbox (registered with the erasure registry in
// src/app/services.ts). A purge (P14) deletes every message to or about the person; a deletion of
// everything fails the ones still queued for them (their text was sealed under their key, which goes).
import { changed, type Eraser, NOTHING_ERASED } from '../erasure/index.js';

export const mailEraser: Eraser = {
  owner: 'mail',
  tables: {
    mail_outbox: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'a message’s text is erased once sent; queued ones fail with a deletion of everything; the purge deletes them; recipient notices lose their text after 30 days',
    },
  },
  async erase(trx, { subjectId, mode, categories }) {
    if (mode === 'purge') {
      return {
        rows: {
          mail_outbox: changed(
            await trx.deleteFrom('mail_outbox').where('subject_id', '=', subjectId).executeTakeFirst(),
          ),
        },
      };
    }
    if (categories !== 'all') return NOTHING_ERASED;
    const res = await trx
      .updateTable('mail_outbox')
      .set({ sealed: null, status: 'failed', last_error: 'VOW_SUBJECT_SHREDDED' })
      .where('subject_id', '=', subjectId)
      .where('status', '=', 'queued')
      .where('audience', '=', 'person')
      .executeTakeFirst();
    return { rows: { mail_outbox: changed(res) } };
  },
};
