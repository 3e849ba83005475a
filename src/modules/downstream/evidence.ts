// What staff write when they close a downstream task (the recipient's confirmation, or why none is
// needed) is kept with the request log for good, linked to no one (erasure.ts: GDPR Art. 19 proof),
// and it is written after the person's erasure ran. So it must name no one: a recipient's reply
// quoting the address it deleted would bring the deleted person back (security.md #48).
import { VowError } from '../../platform/errors.js';
import { holdsContactShape } from '../../platform/strings.js';

/**
 * Refuses (VOW_VALIDATION, never echoing the value) evidence holding an email address or phone number
 * (holdsContactShape: a ticket's number written after its name or a `#` passes).
 */
export function checkEvidence(evidence: string): void {
  if (holdsContactShape(evidence))
    throw new VowError(
      'VOW_VALIDATION',
      'The evidence holds what looks like an email address or a phone number: it is kept for good, so say what the recipient confirmed without naming the person',
      { issues: [{ path: '/evidence', message: 'must not hold an email address or a phone number' }] },
    );
}
