// What an unsubscribe link does (P10, P11; RFC 8058 one-click): the token names a person and a
// channel (unsubscribe-tokens.ts); following it withdraws every channel that markets by email.
import type { VowContext } from '../policy/index.js';
import type { ConsentCause } from './consent-inputs.js';
import { type Executor, inTransaction } from './consent-locks.js';
import { storedStates } from './ledger.js';
import { emailMarketingChannels } from './sms.js';
import { resolveUnsubscribeToken } from './unsubscribe-tokens.js';

/** What a link needs of the consent service: its idempotent unsubscribe. */
export interface Unsubscriber {
  unsubscribe(
    db: Executor | undefined,
    input: { subjectId: string; channel: string; cause: ConsentCause; at?: Date },
  ): Promise<boolean>;
}

/** Where an unsubscribe link leads (for the confirmation page): the channel, and whether already off it. */
export async function describeToken(
  ctx: VowContext,
  token: string,
): Promise<{ channel: string; unsubscribed: boolean }> {
  const t = await resolveUnsubscribeToken(ctx, ctx.store.db, token);
  const now = (await storedStates(ctx.store.db, t.subjectId))[t.channel];
  return { channel: t.channel, unsubscribed: now?.state === 'withdrawn' };
}

/**
 * One-click unsubscribe (RFC 8058): no login, no cookie; idempotent. The notice says unsubscribing
 * removes the person "from email marketing" (P11), so the link withdraws every channel that
 * markets by email (the policy's channels with the `marketing.email` purpose), not only the one the
 * email was sent on. Returns the link's channel, the channels withdrawn by this call, and whether
 * anything changed.
 */
export async function unsubscribeByToken(
  ctx: VowContext,
  consent: Unsubscriber,
  token: string,
): Promise<{ channel: string; changed: boolean; withdrawn: string[] }> {
  return inTransaction(ctx, undefined, async (trx) => {
    const t = await resolveUnsubscribeToken(ctx, trx, token);
    const withdrawn: string[] = [];
    // The other email channels the person is on now (a channel they never joined gets no event).
    const states = await storedStates(trx, t.subjectId);
    const others = emailMarketingChannels(ctx.policy).filter(
      (c) => c !== t.channel && ['enrolled', 'granted'].includes(states[c]?.state ?? ''),
    );
    for (const channel of [t.channel, ...others]) {
      const off = await consent.unsubscribe(trx, {
        subjectId: t.subjectId,
        channel,
        cause: { type: 'link_click', ref: 'one_click' },
      });
      if (off) withdrawn.push(channel);
    }
    if (t.usedAt === null) {
      await trx
        .updateTable('unsubscribe_tokens')
        .set({ used_at: ctx.clock.now().toISOString() })
        .where('token_index', '=', t.tokenIndex)
        .execute();
    }
    return { channel: t.channel, changed: withdrawn.length > 0, withdrawn };
  });
}
