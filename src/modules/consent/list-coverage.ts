// What an entry of the suppression list covers: one rule for every reader of the list (a collection's
// rule 6 and the lifting of an entry, a correction to a listed address, mail feedback, an imported
// opt-out, the audiences). An entry for one channel covers that channel. An entry for every channel
// ('*': a deletion, a hard bounce) covers the channels its identifier's medium reaches: an email's
// marketing email channels, a phone's marketing text channels; never catalogs by post (P12: customer
// service removes those), as a bounced email says nothing about a postal address.
import type { Policy } from '../policy/index.js';
import { emailMarketingChannels, smsChannels } from './sms.js';

/** The channels an opt-out of a medium covers: every channel marketing by email, or by text. */
export function channelsOfMedium(policy: Policy, kind: 'email' | 'phone'): string[] {
  return kind === 'email' ? emailMarketingChannels(policy) : smsChannels(policy);
}

/** A suppression-list entry, as far as what it covers goes. */
export interface ListEntryScope {
  /** The identifier's kind: `email` or `phone`. */
  readonly indexKind: string;
  /** A channel id, or '*' for every channel the identifier's medium reaches. */
  readonly channel: string;
}

/** The channels the entry covers, in the policy's order for '*'. */
export function channelsCovered(policy: Policy, entry: ListEntryScope): string[] {
  if (entry.channel !== '*') return [entry.channel];
  return entry.indexKind === 'email' || entry.indexKind === 'phone'
    ? channelsOfMedium(policy, entry.indexKind)
    : [];
}

/** Whether the entry covers `channel`. */
export function covers(policy: Policy, entry: ListEntryScope, channel: string): boolean {
  return (
    entry.channel === channel || (entry.channel === '*' && channelsCovered(policy, entry).includes(channel))
  );
}
