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

/** The audit entry of one consent change. */
export function auditOf(change: ConsentChange): AuditEntry {
  const visitor = change.subjectRef.startsWith('visitor:');
  return {
    actor: actorOf(change.cause),
    action: `consent.${change.event}`,
    target: { type: visitor ? 'visitor' : 'subject', id: change.subjectRef },
    reason: change.reason,
    // Ids of events are left out: the audit guard mistakes digit runs in uuids for phones.
    details: {
      channel: change.channel,
      cause: change.cause.type,
      ...(change.cause.ref ? { causeRef: change.cause.ref } : {}),
    },
  };
}
