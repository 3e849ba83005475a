// A batch's consent changes written at once (a batch of collections, a batch of imported opt-outs):
// the same ledger events, states, audit entries and listener calls as `ConsentService.record` one
// change after the other, in a few statements. The events go in multi-row inserts with the audit
// head's lock (one statement on PostgreSQL), the states and audit entries in the next; each
// listener is told of the events, in order, once they are all written (a batch listener of all of
// them at once).
import type { Transaction } from 'kysely';
import { type Database, InsertSet } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { auditOf } from './consent-audit.js';
import type { ConsentChange } from './consent-inputs.js';
import { appendConsentEvents } from './ledger.js';
import type { ConsentBatchListener, ConsentReadAhead } from './sms-flags.js';

/** Who is told of the events: ConsentService's listeners and read-aheads. */
export interface ChangeListeners {
  readonly listeners: readonly ConsentBatchListener[];
  readonly readAhead: readonly ConsentReadAhead[];
}

/**
 * Writes `changes` in order in the caller's transaction; returns their events' ids. `first`: adds
 * to the events' statement what must ride with it (a batch of collections' second read of its new
 * people's suppressions). The caller has checked the channels and that no erasure closed the people.
 */
export async function writeChanges(
  ctx: VowContext,
  trx: Transaction<Database>,
  changes: readonly ConsentChange[],
  told: ChangeListeners,
  first?: (set: InsertSet) => void,
): Promise<string[]> {
  const version = ctx.policy.version;
  // The states and the audit entries go in together (one statement on PostgreSQL), before the
  // listeners, which may read them.
  const set = new InsertSet(trx, ctx.store.dialect);
  // The audit head is read and locked with the events' insert (one statement on PostgreSQL).
  const events = new InsertSet(trx, ctx.store.dialect);
  const head = changes.length > 0 ? ctx.audit.holdHead(trx, events) : undefined;
  if (changes.length > 0) first?.(events);
  const ats = changes.map((c) => c.at ?? ctx.clock.now());
  const ids = await appendConsentEvents(
    trx,
    ctx.store.dialect,
    ctx.random,
    changes.map((c, i) => ({
      subjectRef: c.subjectRef,
      channel: c.channel,
      event: c.event,
      cause: c.cause,
      at: ats[i]!,
      policyVersion: version,
      ...(c.details ? { details: c.details } : {}),
    })),
    set,
    events,
  );
  await ctx.audit.recordMany(
    changes.map((c, i) => auditOf(c, { id: ids[i]!, at: ats[i]! })),
    trx,
    set,
    head,
  );
  if (changes.length > 0) for (const ahead of told.readAhead) ahead(trx, set, changes);
  await set.flush();
  if (changes.length > 0) {
    const notices = changes.map((c) => ({ subjectRef: c.subjectRef, channel: c.channel, event: c.event }));
    for (const listener of told.listeners) await listener(trx, notices);
  }
  return ids;
}
