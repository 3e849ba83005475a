// What the downstream module holds of a person, and what erasing them does: queued events about the
// person lose their sealed body (its key is shredded); tasks and endpoints name no one.
import type { Transaction } from 'kysely';
import { type Eraser, type ErasureOutcome, NOTHING_ERASED } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';

/** Told, inside the purge's transaction, that a person known to be under 13 was purged (P14). */
export type PurgeListener = (trx: Transaction<Database>, subjectId: string) => Promise<void>;

/** The eraser; `onPurge` queues the `subject.under13_purged` event (none when absent, e.g. in a listing). */
export function downstreamEraser(onPurge?: PurgeListener): Eraser {
  return {
    ...downstreamTables,
    async erase(trx, request) {
      if (request.mode === 'purge') await onPurge?.(trx, request.subjectId);
      return eraseDeliveries(trx, request.subjectId);
    },
  };
}

const downstreamTables: Eraser = {
  owner: 'downstream',
  tables: {
    webhook_endpoints: {
      fate: 'impersonal',
      why: "the retailer's systems: URL, event types, sealed signing secrets",
    },
    webhook_deliveries: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'an event body is sealed under its own key, shredded once delivered; erasing the person shreds the bodies of their undelivered events (deletion notices are created afterwards, linked to no one, and shredded on delivery)',
    },
    downstream_tasks: {
      fate: 'kept',
      person: null,
      what: 'which recipient was told of which request, how and when it confirmed (no personal value)',
      basis:
        'GDPR Art. 19 and CCPA § 1798.105(c): proof that recipients were notified, kept with the request log',
    },
  },
};

async function eraseDeliveries(trx: Transaction<Database>, subjectId: string): Promise<ErasureOutcome> {
  const rows = await trx
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('subject_id', '=', subjectId)
    .execute();
  if (rows.length === 0) return NOTHING_ERASED;
  await trx
    .updateTable('webhook_deliveries')
    .set({ sealed: null, body: null, subject_id: null })
    .where('subject_id', '=', subjectId)
    .execute();
  return {
    rows: { webhook_deliveries: rows.length },
    destroyKeys: rows.map((r) => `webhook-delivery:${r.id}`),
  };
}
