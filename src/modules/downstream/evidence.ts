// What staff write when they close a downstream task (the recipient's confirmation, or why none is
// needed) is kept with the request log for good, linked to no one (erasure.ts: GDPR Art. 19 proof),
// and it is written after the person's erasure ran. So it must name no one: a recipient's reply
// quoting the address it deleted would bring the deleted person back (security.md #48).
import { VowError } from '../../platform/errors.js';
import { containsEmailShape } from '../../platform/strings.js';

/** A run of at least 9 digits split by spaces, dots, dashes, brackets or slashes, standing alone. */
const PHONE_RUN = /(?<![\p{L}\p{N}-])\+?\d[\d ()./-]{6,}\d(?![\p{L}\p{N}-])/gu;

function holdsContact(text: string): boolean {
  // Compatibility forms read as the plain ones: a full-width ＠ or ﹫, full-width digits.
  const plain = text.normalize('NFKC');
  if (containsEmailShape(plain)) return true;
  for (const m of plain.matchAll(PHONE_RUN)) if (m[0].replace(/\D/g, '').length >= 9) return true;
  return false;
}

/** Refuses (VOW_VALIDATION, never echoing the value) evidence holding an email address or phone number. */
export function checkEvidence(evidence: string): void {
  if (holdsContact(evidence))
    throw new VowError(
      'VOW_VALIDATION',
      'The evidence holds what looks like an email address or a phone number: it is kept for good, so say what the recipient confirmed without naming the person',
      { issues: [{ path: '/evidence', message: 'must not hold an email address or a phone number' }] },
    );
}
