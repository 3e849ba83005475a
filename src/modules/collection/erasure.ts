// What erasing a person does to the collection records (registered with the erasure registry in
// src/app/services.ts). A purge (P14) deletes every record of the person; a gift recipient's part of
// someone else's order is emptied, the buyer's order stays. A deletion's values are erased by the
// dataset walker from the annotations in datasets/vow.yaml, which keep order history under the policy's
// `service_customers` exemption.
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

export const collectionEraser: Eraser = {
  owner: 'collection',
  tables: {
    orders: {
      fate: 'kept',
      person: { column: 'buyer_subject_id' },
      what: 'the order history (items, totals, dates, the shop’s order id); the buyer’s name and addresses are erased, a gift recipient’s part emptied; the purge deletes the buyer’s orders',
      basis: 'exemption:service_customers',
    },
    registrations: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'the registration date; name, address, gender and preferences erased; deleted by the purge',
      basis: 'exemption:service_customers',
    },
    contest_entries: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted (walker, annotations) or by the purge',
    },
    catalog_requests: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted (walker, annotations) or by the purge',
    },
    sms_signups: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'the consent text and when it was given (proof of consent); deleted by the purge',
      basis: 'exemption:suppression',
    },
    inbound_messages: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted (walker, annotations) or by the purge',
    },
    form_submissions: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted with every value of a deletion of everything (walker, annotations) or by the purge',
    },
    form_values: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'each value deleted by its category (walker, annotations) or by the purge',
    },
    collection_idempotency: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'the kept answers of idempotency keys (ids only) go with a deletion of everything or the purge; others expire in 24 h',
    },
  },
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
      'form_values',
      'form_submissions',
    ] as const) {
      rows[table] = changed(
        await trx.deleteFrom(table).where('subject_id', '=', subjectId).executeTakeFirst(),
      );
    }
    return { rows };
  },
};
