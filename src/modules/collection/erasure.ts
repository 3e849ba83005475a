// What erasing a person does to the collection records (registered with the erasure registry in
// src/app/services.ts). A purge (P14) deletes every record of the person; a gift recipient's part of
// someone else's order is emptied, the buyer's order stays. A deletion's values are erased by the
// dataset walker from the annotations in datasets/vow.yaml, which keep order history under the policy's
// `service_customers` exemption.
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

export const collectionEraser: Eraser = {
  owner: 'collection',
  tables: [
    'orders',
    'registrations',
    'contest_entries',
    'catalog_requests',
    'sms_signups',
    'inbound_messages',
    'collection_idempotency',
  ],
  async erase(trx, { subjectId, mode, categories }) {
    // The kept answers of idempotency keys name the person (ids only): they go with any full
    // erasure, a deletion included (a retry after it is then stored anew, as a new collection is).
    const idempotency =
      mode === 'purge' || categories === 'all'
        ? changed(
            await trx
              .deleteFrom('collection_idempotency')
              .where((eb) =>
                eb.or([eb('subject_id', '=', subjectId), eb('other_subject_id', '=', subjectId)]),
              )
              .executeTakeFirst(),
          )
        : 0;
    if (mode !== 'purge')
      return idempotency ? { rows: { collection_idempotency: idempotency } } : NOTHING_ERASED;
    const rows: Record<string, number> = { collection_idempotency: idempotency };
    rows.orders = changed(
      await trx.deleteFrom('orders').where('buyer_subject_id', '=', subjectId).executeTakeFirst(),
    );
    rows.orders += changed(
      await trx
        .updateTable('orders')
        .set({ gift_subject_id: null, gift_sealed: null })
        .where('gift_subject_id', '=', subjectId)
        .executeTakeFirst(),
    );
    for (const table of [
      'registrations',
      'contest_entries',
      'catalog_requests',
      'sms_signups',
      'inbound_messages',
    ] as const) {
      rows[table] = changed(
        await trx.deleteFrom(table).where('subject_id', '=', subjectId).executeTakeFirst(),
      );
    }
    return { rows };
  },
};
