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
  if (await communication(trx, incidentId))
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
  if (await communication(trx, incidentId))
    throw new VowError(
      'VOW_INCIDENT_STATE',
      'Vow is writing (or wrote) to the people affected and records that they were told itself; tell those without an email address another way and add a note',
    );
}

/**
 * Refuses deciding the risk below high while Vow is writing to the people (the message queued, the
 * job not done): Art. 34(1) owes the message to all of them or none, and stopping half-way would leave
 * some told and some not, with nothing to tell the rest why. Once the job is done the risk may be
 * decided again (the people told stay recorded). Same transaction as above; queueing in turn takes the
 * row only while the risk is high.
 */
export async function assertNotTellingThem(trx: Transaction<Database>, incidentId: string): Promise<void> {
  if ((await communication(trx, incidentId))?.done === false)
    throw new VowError(
      'VOW_INCIDENT_STATE',
      'Vow is writing to the people affected about this high risk (Art. 34): the risk stays high until every one of them is written to, so that none is left untold; record the new assessment in a note, and decide the risk again once the job is done',
    );
}

/** Vow's mail to the people of this incident: none (not queued), or whether its job is done. */
async function communication(
  trx: Transaction<Database>,
  incidentId: string,
): Promise<{ done: boolean } | undefined> {
  const row = await trx
    .selectFrom('incident_communications')
    .select('done_at')
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row && { done: row.done_at !== null };
}
