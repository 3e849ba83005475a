// The importer's opt-in guard (P11): an export's old "accepts marketing" flag is no new request.
import { channelsOfMedium, withdrawnIdentifiers } from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import type { Fact, Unit } from './formats/types.js';
import type { ImportCounts } from './import-types.js';

/**
 * An imported opt-in (a registration's catalog box, an SMS sign-up) for an address or number that
 * has withdrawn is not applied: an export's old "accepts marketing" flag is not the new request
 * P11 asks for. The registration is kept without its box; the SMS sign-up (nothing but the
 * opt-in) is left out. Contest entries and catalog requests are the acts P11 names: the policy's
 * own rules apply to them. A batch's identifiers are looked up together.
 */
export async function guardOptIns(
  ctx: VowContext,
  units: readonly Unit[],
  counts: ImportCounts,
): Promise<Unit[]> {
  const policy = ctx.policy;
  const emails: { kind: 'email'; value: string }[] = [];
  const phones: { kind: 'phone'; value: string; country?: string | undefined }[] = [];
  for (const unit of units)
    if ('facts' in unit)
      for (const f of unit.facts) {
        if (f.kind !== 'collect') continue;
        const s = f.submission;
        if (s.type === 'registration' && s.body.catalog_opt_in === true)
          emails.push({ kind: 'email', value: s.body.email });
        if (s.type === 'sms_signup')
          phones.push({ kind: 'phone', value: s.body.phone, country: s.body.country });
      }
  const registrationChannels = Object.keys(policy.doc.channels).filter((c) =>
    policy.doc.channels[c]!.granted_by.includes('registration'),
  );
  const emailOff = await withdrawnIdentifiers(ctx, emails, registrationChannels);
  const phoneOff = await withdrawnIdentifiers(ctx, phones, channelsOfMedium(policy, 'phone'));
  let email = 0;
  let phone = 0;
  return units.map((unit) => {
    if (!('facts' in unit)) return unit;
    const facts: Fact[] = [];
    for (const f of unit.facts) {
      const s = f.kind === 'collect' ? f.submission : undefined;
      if (s?.type === 'registration' && s.body.catalog_opt_in === true && emailOff.has(email++)) {
        counts.optInsNotApplied++;
        facts.push({ kind: 'collect', submission: { ...s, body: { ...s.body, catalog_opt_in: false } } });
        continue;
      }
      if (s?.type === 'sms_signup' && phoneOff.has(phone++)) {
        counts.optInsNotApplied++;
        continue;
      }
      facts.push(f);
    }
    return { line: unit.line, lastLine: unit.lastLine, facts };
  });
}
