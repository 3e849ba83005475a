// Texts to the SMS gateway (TCPA, CTIA): STOP and its synonyms withdraw every marketing-text channel
// of every person with the sender's number, START restores consent only where it was given before,
// HELP answers, and an ambiguous reply waits for staff (sms-flags.ts). Each change goes through the
// consent service's `record`, so it is one ledger event, state row and audit entry.
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { normalisePhone } from '../subjects/index.js';
import type { ConsentCause, ConsentChange } from './consent-inputs.js';
import { type Executor, inTransaction, lockPeople } from './consent-locks.js';
import { subjectsByBlindIndex } from './identifiers.js';
import { consentHistory, storedStates } from './ledger.js';
import {
  parseSmsKeyword,
  smsChannels,
  smsHelpText,
  smsNotSubscribedText,
  smsStartText,
  smsStopText,
} from './sms.js';
import type { SmsFlags, SmsInboundResult } from './sms-flags.js';

/** What the keywords need of the consent service. */
export interface KeywordRecorder {
  readonly smsFlags: SmsFlags;
  record(db: Executor | undefined, change: ConsentChange): Promise<string>;
}

/**
 * A text received by the SMS gateway. STOP and its synonyms withdraw every marketing-text
 * channel of every person with that number (one confirmation, none when already stopped);
 * START/UNSTOP restore consent only for someone who had consented before; HELP answers.
 */
export async function smsInbound(
  ctx: VowContext,
  consent: KeywordRecorder,
  input: { from: string; body: string },
): Promise<SmsInboundResult> {
  const policy = ctx.policy;
  const phone = normalisePhone(input.from);
  if (!phone) throw new VowError('VOW_VALIDATION', 'The sender is not a valid phone number');
  const keyword = parseSmsKeyword(input.body);
  if (!keyword) return { action: 'ignored', changed: 0, reply: null };
  if (keyword.kind === 'help') return { action: 'help', changed: 0, reply: smsHelpText(policy) };
  const phoneIndex = ctx.vault.blindIndex('phone', phone);
  if (keyword.kind === 'ambiguous') {
    await consent.smsFlags.flag(phoneIndex, keyword.word, input.body);
    return { action: 'flagged', changed: 0, reply: null };
  }
  return smsKeyword(ctx, consent, phoneIndex, keyword.kind, { type: 'sms_keyword', ref: keyword.word });
}

/**
 * STOP (or START) for every person with this phone number: every marketing-text channel is
 * withdrawn (START: consent restored only where it was given before), with `cause` as evidence.
 */
export async function smsKeyword(
  ctx: VowContext,
  consent: KeywordRecorder,
  index: string,
  kind: 'stop' | 'start',
  cause: ConsentCause,
): Promise<SmsInboundResult> {
  const policy = ctx.policy;
  const channels = smsChannels(policy);
  return inTransaction(ctx, undefined, async (trx) => {
    const people = await subjectsByBlindIndex(trx, 'phone', index);
    let changed = 0;
    let knownOff = false;
    for (const subjectId of people) {
      await lockPeople(ctx, trx, [subjectId]);
      const current = await storedStates(trx, subjectId);
      for (const channel of channels) {
        const state = current[channel]?.state;
        if (kind === 'stop') {
          if (state === undefined || state === 'unknown') continue;
          if (state === 'withdrawn') {
            knownOff = true;
            continue;
          }
          await consent.record(trx, { subjectRef: subjectId, channel, event: 'withdrawn', cause });
          changed++;
        } else if (state === 'withdrawn') {
          const history = await consentHistory(trx, subjectId, channel);
          if (!history.some((e) => e.event === 'consented')) continue;
          await consent.record(trx, { subjectRef: subjectId, channel, event: 'consented', cause });
          changed++;
        }
      }
    }
    if (kind === 'stop') {
      // One confirmation: a repeated STOP from a number already stopped gets no further text.
      return { action: 'stop', changed, reply: changed === 0 && knownOff ? null : smsStopText(policy) };
    }
    return {
      action: 'start',
      changed,
      reply: changed > 0 ? smsStartText(policy) : smsNotSubscribedText(policy),
    };
  });
}
