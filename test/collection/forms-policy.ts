// A retailer's policy with two forms of its own, written as policy data only: a newsletter box (it
// enrolls the subscriber in email marketing, P8) and a showroom appointment request (a date, an
// occasion, free-text notes, and an opt-in box for marketing texts). Built from the default policy.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import type { Policy } from '../../src/modules/policy/model.js';

const DEFAULT = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');

const APPOINTMENT_SENTENCE =
  'We use the details you give when you book a showroom appointment only to arrange and hold that appointment.';

// biome-ignore lint/suspicious/noExplicitAny: a policy document edited as plain YAML data
type Doc = any;

/** The default policy's document with the two forms (and their kinds, rules and channels) added. */
export function formsPolicyDoc(): Doc {
  const doc: Doc = parse(DEFAULT);
  doc.notice.sections.push({
    id: 'appointments',
    heading: 'Showroom appointments',
    paragraphs: [APPOINTMENT_SENTENCE],
  });
  doc.subject_kinds.newsletter_subscriber = { description: 'A person who signed up for the newsletter' };
  doc.subject_kinds.appointment_requester = { description: 'A person who asked for a showroom appointment' };
  doc.categories.appointment = { description: 'An appointment a person asked for', identifying: false };
  doc.categories['appointment.date'] = { description: 'The day asked for', identifying: false };
  doc.categories['appointment.occasion'] = { description: 'What the appointment is for', identifying: false };
  doc.categories['appointment.notes'] = { description: 'What the person wrote', identifying: false };
  doc.purposes['appointment.scheduling'] = { description: 'Arranging and holding a showroom appointment' };
  const rule = (id: string) => doc.rules.find((r: { id: string }) => r.id === id);
  rule('contestant-email-marketing').subject_kinds.push('newsletter_subscriber');
  rule('sms-marketing-consent').subject_kinds.push('appointment_requester');
  rule('consent-records').subject_kinds.push('newsletter_subscriber', 'appointment_requester');
  rule('rights-requests').subject_kinds.push('newsletter_subscriber', 'appointment_requester');
  rule('rights-requests').categories.push('appointment');
  doc.rules.push({
    id: 'appointment-scheduling',
    promise: 'P7',
    source: APPOINTMENT_SENTENCE,
    subject_kinds: ['appointment_requester'],
    purposes: ['appointment.scheduling'],
    categories: ['identity.name', 'contact.email', 'contact.phone', 'appointment'],
    basis: 'necessary',
  });
  doc.channels.email_marketing.enrolled_by.push('newsletter');
  doc.channels.email_marketing.re_enrolled_by.push('newsletter');
  doc.channels.sms_marketing.granted_by.push('appointment_request');
  doc.channels.sms_marketing.re_enrolled_by.push('appointment_request');
  const subscriber = { subject_kind: 'newsletter_subscriber', purposes: ['marketing.email'] };
  const requester = { subject_kind: 'appointment_requester', purposes: ['appointment.scheduling'] };
  doc.collection_points.newsletter = {
    title: 'Newsletter sign-up',
    notice: 'use',
    subject_kinds: ['newsletter_subscriber'],
    fields: {
      email: { type: 'email', category: 'contact.email', ...subscriber },
      first_name: { type: 'name', category: 'identity.name', required: false, ...subscriber },
      interests: {
        type: 'enum',
        multiple: true,
        values: ['rings', 'earrings', 'necklaces'],
        category: 'interest.jewelry_types',
        required: false,
        ...subscriber,
      },
    },
  };
  doc.collection_points.appointment_request = {
    title: 'Showroom appointment',
    notice: 'appointments',
    subject_kinds: ['appointment_requester'],
    fields: {
      name: { type: 'name', category: 'identity.name', ...requester },
      email: { type: 'email', category: 'contact.email', ...requester },
      phone: {
        type: 'phone',
        category: 'contact.phone',
        required: false,
        ...requester,
        purposes: ['appointment.scheduling', 'marketing.sms'],
      },
      preferred_date: { type: 'date', dates: 'future', category: 'appointment.date', ...requester },
      occasion: {
        type: 'enum',
        values: ['engagement', 'wedding', 'anniversary', 'other'],
        category: 'appointment.occasion',
        ...requester,
      },
      notes: { type: 'text', max_length: 500, category: 'appointment.notes', required: false, ...requester },
      texts_ok: {
        type: 'opt_in',
        grants: ['sms_marketing'],
        category: 'consent.history',
        required: false,
        subject_kind: 'appointment_requester',
        purposes: ['consent.record_keeping'],
      },
    },
  };
  return doc;
}

/** Parses an edited document: the policy, or its problems (`path: message`, and where in the file). */
export function tryPolicy(doc: Doc): { policy?: Policy; problems: string[]; lines: (number | undefined)[] } {
  const result = parsePolicy(stringify(doc));
  if (result.ok) return { policy: result.policy, problems: [], lines: [] };
  return {
    problems: result.problems.map((p) => `${p.path}: ${p.message}`),
    lines: result.problems.map((p) => p.line),
  };
}

export function formsPolicy(): Policy {
  const { policy, problems } = tryPolicy(formsPolicyDoc());
  if (!policy) throw new Error(problems.join('\n'));
  return policy;
}
