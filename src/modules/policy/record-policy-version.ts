// Remembers each policy version the first time it is in force, so records can name it later.
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../platform/store/index.js';
import type { Policy } from './model.js';

export async function recordPolicyVersion(store: Store, policy: Policy, clock: Clock): Promise<void> {
  await store.db
    .insertInto('policy_versions')
    .values({
      version: policy.version,
      consent_version: policy.consentVersion,
      name: policy.doc.name,
      effective_date: policy.effectiveDate,
      source: policy.source,
      first_seen_at: clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}
