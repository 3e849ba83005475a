// SMS keywords (FCC 2024 revocation rule, CTIA): a text that says STOP (or any of its synonyms, in
// any case, with spaces around) withdraws consent to marketing texts; START/UNSTOP restores it
// for someone who had consented before; HELP answers with who we are and how to stop.
import type { Policy } from '../policy/index.js';

export const STOP_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
] as const;
export const START_KEYWORDS = ['START', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type SmsKeyword = { kind: 'stop' | 'start' | 'help'; word: string };

/** The keyword a message is, or undefined: case, surrounding spaces and a final . or ! do not matter. */
export function parseSmsKeyword(body: string): SmsKeyword | undefined {
  const word = body
    .normalize('NFKC')
    .trim()
    .replace(/[.!]+$/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
  if ((STOP_KEYWORDS as readonly string[]).includes(word)) return { kind: 'stop', word };
  if ((START_KEYWORDS as readonly string[]).includes(word)) return { kind: 'start', word };
  if ((HELP_KEYWORDS as readonly string[]).includes(word)) return { kind: 'help', word };
  return undefined;
}

/** The channels a STOP covers: every channel of the policy that serves marketing texts. */
export function smsChannels(policy: Policy): string[] {
  return policy.channelsForPurpose('marketing.sms');
}

/** HELP: brand, frequency, rates, contact, how to stop (CTIA). */
export function smsHelpText(policy: Policy): string {
  const c = policy.doc.controller;
  return (
    `${c.name} marketing texts. Msg frequency varies. Msg & data rates may apply. ` +
    `Help: call ${c.phone} or email ${c.email}. Reply STOP to cancel.`
  );
}

/** The one confirmation after STOP: no marketing in it. */
export function smsStopText(policy: Policy): string {
  return `${policy.doc.controller.name}: you are unsubscribed and will receive no more marketing texts. Reply START to resubscribe.`;
}

export function smsStartText(policy: Policy): string {
  return `${policy.doc.controller.name}: you are resubscribed to marketing texts. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to cancel.`;
}

export function smsNotSubscribedText(policy: Policy): string {
  const c = policy.doc.controller;
  return `${c.name}: this number has no text subscription to restart. Sign up on ${c.website}, or call ${c.phone}.`;
}
