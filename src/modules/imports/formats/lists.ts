// Marketing lists from email and SMS platforms. What they say about a person's consent:
// - unsubscribed (Mailchimp's unsubscribed export, Klaviyo's UNSUBSCRIBED or an unsubscribe or spam
//   suppression, an SMS opt-out): a permanent withdrawal (P11), on the suppression list;
// - cleaned / bounced (Mailchimp's cleaned export, Klaviyo's HARD_BOUNCE or INVALID_EMAIL): the
//   address is suppressed;
// - subscribed: read and noted, nothing written. The policy enrolls people only at its own
//   collection points (P5, P8, P9), and a list membership is none of them; people who did ask
//   (contest entries, catalog requests) come in as Vow's own collections (the ndjson format).
// An SMS opt-in row carries the consent wording shown (prior express written consent) and becomes
// an SMS sign-up.
import { smsSignupSchema } from '../../collection/index.js';
import { type ImportedWithdrawal, normaliseListIdentifier } from '../../consent/index.js';
import {
  ageGate,
  col,
  countryCode,
  hasKey,
  inFuture,
  invalid,
  isoDateTime,
  notAfterNow,
  perRow,
  type Row,
} from './rows.js';
import type { Fact, FormatEnv, ImportFormat, Refusal } from './types.js';

type Why = ImportedWithdrawal['why'];

function withdrawEmail(
  email: string | undefined,
  why: Why,
  at: string | undefined,
  env: FormatEnv,
): Fact | Refusal {
  if (email === undefined) return { code: 'VOW_VALIDATION', reason: 'email: missing' };
  const identifier = { kind: 'email' as const, value: email };
  if (normaliseListIdentifier(identifier) === undefined)
    return { code: 'VOW_VALIDATION', reason: 'email: not a valid email address' };
  const when = notAfterNow(isoDateTime(at), env);
  return { kind: 'withdraw', withdrawal: { identifier, why, ...(when ? { at: when } : {}) } };
}

function withdrawPhone(
  phone: string | undefined,
  country: string | undefined,
  at: string | undefined,
  env: FormatEnv,
): Fact | Refusal {
  if (phone === undefined) return { code: 'VOW_VALIDATION', reason: 'phone: missing' };
  const identifier = { kind: 'phone' as const, value: phone, country: countryCode(country) };
  if (normaliseListIdentifier(identifier) === undefined)
    return { code: 'VOW_VALIDATION', reason: 'phone: not a valid phone number' };
  const when = notAfterNow(isoDateTime(at), env);
  return {
    kind: 'withdraw',
    withdrawal: { identifier, why: 'unsubscribed', ...(when ? { at: when } : {}) },
  };
}

const facts = (...out: (Fact | Refusal)[]): readonly Fact[] | Refusal => {
  const refused = out.find((o): o is Refusal => 'code' in o);
  return refused ?? (out as Fact[]);
};

const note = (text: string): Fact => ({ kind: 'note', note: text });

/**
 * Mailchimp writes one file per status; the status is told by the row's Status column when there is
 * one, else by the file's columns (UNSUB_TIME: unsubscribed, CLEAN_TIME: cleaned).
 */
function mailchimp(row: Row, env: FormatEnv): readonly Fact[] | Refusal {
  const gate = ageGate(row, env);
  if (gate) return gate;
  const email = col(row, 'Email Address', 'Email');
  const status = (
    col(row, 'Status', 'status') ??
    (hasKey(row, 'CLEAN_TIME') ? 'cleaned' : hasKey(row, 'UNSUB_TIME') ? 'unsubscribed' : 'subscribed')
  ).toLowerCase();
  switch (status) {
    case 'unsubscribed':
      return facts(withdrawEmail(email, 'unsubscribed', col(row, 'UNSUB_TIME'), env));
    case 'cleaned':
      return facts(withdrawEmail(email, 'bounced', col(row, 'CLEAN_TIME'), env));
    case 'subscribed':
    case 'pending':
    case 'transactional':
      if (email === undefined) return { code: 'VOW_VALIDATION', reason: 'Email Address: missing' };
      return [note(`${status}: no enrolment (the policy enrolls only at its collection points)`)];
    default:
      return { code: 'VOW_VALIDATION', reason: 'Status: not subscribed, unsubscribed or cleaned' };
  }
}

export const mailchimpList: ImportFormat = {
  id: 'mailchimp',
  syntax: 'csv',
  required: [['Email Address', 'Email']],
  units: (records, env) => perRow(records, (row) => mailchimp(row, env)),
};

const UNSUBSCRIBE_REASONS = ['UNSUBSCRIBE', 'UNSUBSCRIBED', 'SPAM_COMPLAINT', 'USER_SUPPRESSED'];
const BOUNCE_REASONS = ['HARD_BOUNCE', 'INVALID_EMAIL', 'BOUNCED'];

/** A Klaviyo profile export: email and SMS consent, and the email suppression reason. */
function klaviyo(row: Row, env: FormatEnv): readonly Fact[] | Refusal {
  const gate = ageGate(row, env);
  if (gate) return gate;
  const email = col(row, 'Email');
  const phone = col(row, 'Phone Number', 'Phone');
  if (email === undefined && phone === undefined)
    return { code: 'VOW_VALIDATION', reason: 'Email and Phone Number: both missing' };
  const emailConsent = (col(row, 'Email Marketing Consent') ?? '').toUpperCase();
  const suppression = (
    col(row, 'Email Suppression Reason', 'Suppression Reason', 'Suppressions') ?? ''
  ).toUpperCase();
  const smsConsent = (col(row, 'SMS Marketing Consent') ?? '').toUpperCase();
  const out: (Fact | Refusal)[] = [];
  const at = col(row, 'Email Marketing Consent Timestamp');
  if (BOUNCE_REASONS.some((r) => suppression.includes(r))) out.push(withdrawEmail(email, 'bounced', at, env));
  else if (emailConsent === 'UNSUBSCRIBED' || UNSUBSCRIBE_REASONS.some((r) => suppression.includes(r)))
    out.push(withdrawEmail(email, 'unsubscribed', at, env));
  if (smsConsent === 'UNSUBSCRIBED')
    out.push(withdrawPhone(phone, col(row, 'Country'), col(row, 'SMS Marketing Consent Timestamp'), env));
  if (out.length === 0)
    out.push(note('no opt-out: nothing to write (the policy enrolls only at its collection points)'));
  return facts(...out);
}

export const klaviyoProfiles: ImportFormat = {
  id: 'klaviyo',
  syntax: 'csv',
  required: [['Email', 'Phone Number']],
  units: (records, env) => perRow(records, (row) => klaviyo(row, env)),
};

const OPT_OUT = ['opted_out', 'opt_out', 'optout', 'unsubscribed', 'stop', 'stopped', 'revoked', ''];
const OPT_IN = ['opted_in', 'opt_in', 'optin', 'subscribed'];

/** An SMS list: phone, optional country and status (opted_out by default; opted_in needs consent_text). */
function smsRow(row: Row, env: FormatEnv): readonly Fact[] | Refusal {
  const gate = ageGate(row, env);
  if (gate) return gate;
  const phone = col(row, 'phone', 'Phone', 'Phone Number', 'phone_number', 'number');
  const country = col(row, 'country', 'Country');
  const status = (col(row, 'status', 'Status', 'keyword', 'Keyword') ?? '').toLowerCase();
  if (OPT_OUT.includes(status))
    return facts(withdrawPhone(phone, country, col(row, 'at', 'date', 'opted_out_at'), env));
  if (OPT_IN.includes(status)) {
    const body = smsSignupSchema.safeParse({
      phone,
      ...(country ? { country: countryCode(country) } : {}),
      consent_text: col(row, 'consent_text', 'Consent Text'),
    });
    if (!body.success) return invalid(body.error);
    const when = isoDateTime(col(row, 'at', 'date', 'opted_in_at'));
    const late = when ? inFuture(when, env, 'opted_in_at') : undefined;
    if (late) return late;
    return [
      {
        kind: 'collect',
        submission: { type: 'sms_signup', body: body.data, ...(when ? { collectedAt: new Date(when) } : {}) },
      },
    ];
  }
  return { code: 'VOW_VALIDATION', reason: 'status: not opted_out or opted_in' };
}

export const smsOptouts: ImportFormat = {
  id: 'sms-optouts',
  syntax: 'csv',
  required: [['phone', 'Phone', 'Phone Number', 'phone_number', 'number']],
  units: (records, env) => perRow(records, (row) => smsRow(row, env)),
};
