// Recipient tasks against their request's deadline. A task of a request is due when the request is
// (its legal deadline, or the extended one: GDPR Art. 12(3), CCPA § 1798.130): past it and still open,
// it is overdue, which the console's Recipient tasks page and dashboard show. A webhook task whose
// delivery failed for good (dead-lettered) still holds the event, the person's identifiers sealed
// under a live key, for a retry; once its request's deadline has passed, the daily
// `downstream.expire_dead_letters` job drops that event and closes the task `explained` with the
// reason below: GDPR Art. 19 asks to inform each recipient "unless this proves impossible or involves
// disproportionate effort", and a recipient unreachable until the deadline is that case (docs/api.md).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/store/index.js';

/** The evidence of a task closed by the expiry (no personal value; the date is the request's deadline). */
export function unreachableEvidence(dueOn: string): string {
  return `Closed by Vow: the event could not be delivered by the request's deadline (${dueOn}); its identifiers were dropped. Informing this recipient proved impossible (GDPR Art. 19).`;
}

/** The deadline in force (the extended one once extended) of each of these requests, by id. */
export async function requestDeadlines(
  db: Kysely<Database> | Transaction<Database>,
  requestIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (requestIds.length === 0) return out;
  const rows = await db
    .selectFrom('rights_requests')
    .select(['id', 'due_on', 'extended_due_on'])
    .where('id', 'in', [...new Set(requestIds)])
    .execute();
  for (const r of rows) out.set(r.id, r.extended_due_on ?? r.due_on);
  return out;
}

/**
 * Open tasks of a request whose deadline (YYYY-MM-DD) is before `today`: all of them, or with
 * `deadLettered` only the webhook tasks whose delivery failed for good and still holds its event.
 */
export async function overdueTasks(
  db: Kysely<Database>,
  today: string,
  options: { deadLettered?: boolean } = {},
): Promise<{ id: string; dueOn: string }[]> {
  let q = db
    .selectFrom('downstream_tasks as t')
    .innerJoin('rights_requests as r', 'r.id', 't.request_id')
    .select(['t.id', 'r.due_on', 'r.extended_due_on'])
    .where('t.status', 'in', ['waiting', 'failed'])
    .where((eb) =>
      eb.or([
        eb.and([eb('r.extended_due_on', 'is', null), eb('r.due_on', '<', today)]),
        eb('r.extended_due_on', '<', today),
      ]),
    );
  if (options.deadLettered)
    q = q
      .innerJoin('webhook_deliveries as d', 'd.id', 't.delivery_id')
      .where('t.method', '=', 'webhook')
      .where('d.status', '=', 'failed')
      .where((eb) => eb.or([eb('d.sealed', 'is not', null), eb('d.body', 'is not', null)]));
  const rows = await q.orderBy('t.created_at').orderBy('t.id').execute();
  return rows.map((r) => ({ id: r.id, dueOn: r.extended_due_on ?? r.due_on }));
}
