// GDPR Art. 34 and the US states' "written notice": the people a breach concerns whom Vow could not
// write to for want of an email address (their `incident_notices` rows of `no_address`) still have
// to be told, by letter or by phone. The privacy officer gets their postal address and phone number
// collected last (through the subjects module, decrypted here and nowhere stored again), once Vow's
// job has dealt with everyone; each listing is audited with counts only. Someone erased since is not
// on it (their row went with the erasure, their key with it).

import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { type PostalContact, postalContactsOf } from '../subjects/index.js';
import { auditedCount } from './small-counts.js';

/** One person to tell another way: their id (their console page) and what Vow holds to reach them. */
export interface UnreachedPerson extends PostalContact {
  readonly subjectId: string;
}

/** The people of an incident Vow could not email, with their postal address and phone if held. */
export async function unreachedPeople(
  ctx: VowContext,
  incidentId: string,
  staffId: string,
): Promise<UnreachedPerson[]> {
  const incident = await ctx.store.db
    .selectFrom('incidents')
    .leftJoin('incident_communications', 'incident_communications.incident_id', 'incidents.id')
    .select('incident_communications.done_at')
    .where('incidents.id', '=', incidentId)
    .executeTakeFirst();
  if (!incident) throw new VowError('VOW_INCIDENT_NOT_FOUND', 'No incident matches this id');
  if (!incident.done_at)
    throw new VowError(
      'VOW_INCIDENT_STATE',
      'Vow has not finished writing to the people affected: the people it could not email are known once it has',
    );
  const ids = (
    await ctx.store.db
      .selectFrom('incident_notices')
      .select('subject_id')
      .where('incident_id', '=', incidentId)
      .where('status', '=', 'no_address')
      .orderBy('subject_id')
      .execute()
  ).map((r) => r.subject_id);
  const contacts = await postalContactsOf(ctx, ids);
  const people = ids.map((subjectId) => ({ subjectId, ...contacts.get(subjectId) }));
  await ctx.audit.record({
    actor: { type: 'staff', id: staffId },
    action: 'incident.unreached_listed',
    target: { type: 'incident', id: incidentId },
    // As the auditor may see them: small counts can point at a person (small-counts.ts).
    details: {
      people: auditedCount(people.length),
      withAddress: auditedCount(people.filter((p) => p.address).length),
      withPhone: auditedCount(people.filter((p) => p.phone).length),
    },
  });
  return people;
}
