// SMS replies (FCC 2024 revocation rule, CTIA): consent to marketing texts may be revoked by any
// reasonable means. STOP and its synonyms (English and Spanish) count as words anywhere in a short
// reply, whatever the case, punctuation or accents; a reply that only may mean "stop" (a long text
// mentioning one, a negation, "remove me", "wrong number") is flagged for staff, never ignored.
// START/UNSTOP restores consent for someone who had consented before; HELP answers.
import type { Policy } from '../policy/index.js';

/** Words that revoke wherever they stand in a short reply. */
export const STOP_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'PARAR',
  'PARE',
  'CANCELAR',
  'DETENER',
  'DESUSCRIBIR',
  'REVOCAR',
] as const;
/** Phrases that revoke in a short reply (after normalisation: no accents, no punctuation). */
export const STOP_PHRASES = ['OPT OUT', 'END', 'NO MAS', 'DARME DE BAJA', 'BAJA', 'FIN', 'ALTO'] as const;
/**
 * Words with another everyday sense ("when does the sale end?"): they revoke only in a reply of at
 * most WEAK_MAX_WORDS words, and are flagged for staff in a longer one.
 */
const WEAK = new Set(['END', 'BAJA', 'FIN', 'ALTO']);
const WEAK_MAX_WORDS = 3;
/** A reply up to this many words is "short": a stop word in it is a revocation. */
export const SHORT_REPLY_WORDS = 8;
/** Phrases that may mean "stop": flagged for staff. */
export const MAYBE_STOP_PHRASES = [
  'REMOVE ME',
  'TAKE ME OFF',
  'DONT TEXT',
  'DO NOT TEXT',
  'DONT MESSAGE',
  'DONT CONTACT',
  'DO NOT CONTACT',
  'NO MORE',
  'LEAVE ME ALONE',
  'WRONG NUMBER',
  'NOT INTERESTED',
  'UNSUB',
  'NO ME ESCRIBAN',
  'NO QUIERO',
] as const;
const NEGATED = /\b(DONT|DO NOT|NEVER|NOT|NO)\s+(STOP|CANCEL|QUIT|UNSUBSCRIBE|END|PARAR|CANCELAR)\b/;
export const START_KEYWORDS = ['START', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO', 'AYUDA'] as const;

export type SmsKeyword = { kind: 'stop' | 'start' | 'help' | 'ambiguous'; word: string };

/** Upper case, no accents, apostrophes dropped, every other non-letter a space, spaces collapsed. */
export function normaliseSmsReply(body: string): string {
  return body
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * What a reply says: `stop`, `start`, `help`, `ambiguous` (flag it for staff) or undefined (an
 * ordinary message). `word` is the keyword or phrase found (recorded as the ledger's evidence).
 */
export function parseSmsKeyword(body: string): SmsKeyword | undefined {
  const text = normaliseSmsReply(body);
  if (text === '') return undefined;
  const words = text.split(' ');
  if (words.length === 1 && (START_KEYWORDS as readonly string[]).includes(text))
    return { kind: 'start', word: text };
  if (words.length === 1 && (HELP_KEYWORDS as readonly string[]).includes(text))
    return { kind: 'help', word: text };
  const padded = ` ${text} `;
  const found =
    words.find((w) => (STOP_KEYWORDS as readonly string[]).includes(w)) ??
    STOP_PHRASES.find((p) => padded.includes(` ${p} `));
  if (found) {
    const mixed = words.some((w) => (START_KEYWORDS as readonly string[]).includes(w));
    const tooLong = words.length > (WEAK.has(found) ? WEAK_MAX_WORDS : SHORT_REPLY_WORDS);
    if (mixed || tooLong || NEGATED.test(text)) return { kind: 'ambiguous', word: found };
    return { kind: 'stop', word: found };
  }
  const maybe = MAYBE_STOP_PHRASES.find((p) => padded.includes(` ${p} `));
  return maybe ? { kind: 'ambiguous', word: maybe } : undefined;
}

/** The channels that send marketing email (P11: an unsubscribe removes the person from all of them). */
export function emailMarketingChannels(policy: Policy): string[] {
  return Object.entries(policy.doc.channels)
    .filter(([, ch]) => ch.purposes.includes('marketing.email'))
    .map(([id]) => id);
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
