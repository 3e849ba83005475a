// The people an Art. 34 message goes to are found by the incident's categories and time of awareness
// (the job reads them as it walks): once the message is confirmed, for the number of people shown
// then, neither changes under it (security.md #40).
import type { Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';

/**
 * Refuses a change of the categories or time of awareness once the message is queued. Called in the
 * change's transaction after its update took the incident's row, as queueing does, so the two cannot
 * both pass on PostgreSQL.
 */
export async function assertAudienceOpen(trx: Transaction<Database>, incidentId: string): Promise<void> {
  if (await queued(trx, incidentId))
    throw new VowError(
      'VOW_INCIDENT_STATE',
      'Vow is writing (or wrote) to the people affected, found by these categories and this time: they are kept; record what changed in a note',
    );
}

/**
 * Refuses recording by hand that the people were told once Vow writes to them: Vow records it itself
 * when every mail is queued, as "email by Vow" (security.md #43). Same transaction as above.
 */
export async function assertNotWritingToThem(trx: Transaction<Database>, incidentId: string): Promise<void> {
  if (await queued(trx, incidentId))
    throw new VowError(
      'VOW_INCIDENT_STATE',
      'Vow is writing (or wrote) to the people affected and records that they were told itself; tell those without an email address another way and add a note',
    );
}

async function queued(trx: Transaction<Database>, incidentId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('incident_communications')
    .select('incident_id')
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row !== undefined;
}
