// The email drafted for a recipient system without an API: what the person asked, and only the
// identifiers that recipient processes (minimised by the caller).
import { noun } from '../../platform/strings.js';
import type { PersonValues } from './events.js';
import type { TaskKind } from './tables.js';

/** A postal address on one line, for a drafted email (the parts it has, in order). */
function addressLine(a: unknown): string {
  if (typeof a !== 'object' || a === null) return String(a);
  const o = a as Record<string, unknown>;
  return ['line1', 'line2', 'city', 'region', 'postal_code', 'country']
    .map((k) => o[k])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join(', ');
}

export function draftText(kind: TaskKind, requestRef: string, person: PersonValues | undefined): string {
  const ask = {
    deletion: 'asked us to delete their data. Please delete the data you process for us about this person',
    correction:
      'asked us to correct their data. Please correct it in the data you process for us about this person',
    restriction:
      'asked us to restrict the processing of their data. Please stop processing it (store it only)',
    opt_out: 'withdrew their consent. Please stop using their data for this purpose',
  }[kind];
  const lines = [`A person (reference ${requestRef}) ${ask}, and reply to confirm when done.`];
  if (person?.emails?.length)
    lines.push(
      `${noun(person.emails.length, 'Email address', 'Email addresses')}: ${person.emails.join(', ')}`,
    );
  if (person?.phones?.length)
    lines.push(`${noun(person.phones.length, 'Phone number')}: ${person.phones.join(', ')}`);
  if (person?.addresses?.length)
    lines.push(
      `${noun(person.addresses.length, 'Postal address', 'Postal addresses')}: ${person.addresses.map((a) => addressLine(a)).join('; ')}`,
    );
  if (person?.corrected)
    lines.push(
      `Corrected (${person.corrected.category}): ${typeof person.corrected.value === 'string' ? person.corrected.value : addressLine(person.corrected.value)}`,
    );
  if (!person) lines.push('We send you no identifying data: act on the data linked to this reference.');
  return lines.join('\n\n');
}
