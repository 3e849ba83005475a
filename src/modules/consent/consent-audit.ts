// The audit entry every consent change records: who acted (from the change's cause), what, on whom.
import type { ActorType, AuditEntry } from '../../platform/audit/index.js';
import type { ConsentCause, ConsentChange } from './consent-inputs.js';

function actorOf(cause: ConsentCause): { type: ActorType; id?: string } {
  switch (cause.type) {
    case 'staff':
      return cause.staffId ? { type: 'staff', id: cause.staffId } : { type: 'staff' };
    case 'link_click':
    case 'sms_keyword':
    case 'cookie_banner':
    case 'gpc':
      return { type: 'subject' };
    case 'collection_point':
    case 'api':
      return { type: 'service' };
    default:
      return { type: 'system' };
  }
}

/** The ledger event a consent change wrote: its id and the time it takes effect from. */
export interface WrittenEvent {
  readonly id: string;
  readonly at: Date;
}

/**
 * The audit entry of one consent change. It names the ledger event it wrote (`eventId`, `eventAt`:
 * an id and a time, never a personal value), so the promise monitor can tell an event moved to
 * another time, or given another's id, after it was written (entries written before these fields
 * existed carry neither; the monitor checks those as before).
 */
export function auditOf(change: ConsentChange, event: WrittenEvent): AuditEntry {
  const visitor = change.subjectRef.startsWith('visitor:');
  return {
    actor: actorOf(change.cause),
    action: `consent.${change.event}`,
    target: { type: visitor ? 'visitor' : 'subject', id: change.subjectRef },
    reason: change.reason,
    details: {
      channel: change.channel,
      cause: change.cause.type,
      ...(change.cause.ref ? { causeRef: change.cause.ref } : {}),
      eventId: event.id,
      eventAt: event.at.toISOString(),
    },
  };
}
