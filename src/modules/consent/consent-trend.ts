// Counts of consent events per channel, event, cause and day since a date: what the console's
// consent charts draw (banner choices and consent rates per channel over time). Counts only: no
// person or visitor is named.

import { sql } from 'kysely';
import type { VowContext } from '../policy/index.js';

export interface ConsentCount {
  readonly day: string;
  readonly channel: string;
  readonly event: string;
  readonly causeType: string;
  readonly count: number;
}

export async function consentTrend(ctx: VowContext, sinceDay: string): Promise<ConsentCount[]> {
  const day = sql<string>`substr(at, 1, 10)`;
  const rows = await ctx.store.db
    .selectFrom('consent_events')
    .select([
      day.as('day'),
      'channel',
      'event',
      'cause_type',
      (eb) => eb.fn.countAll<number | string | bigint>().as('n'),
    ])
    .where('at', '>=', `${sinceDay}T00:00:00.000Z`)
    .groupBy([day, 'channel', 'event', 'cause_type'])
    .execute();
  return rows.map((r) => ({
    day: r.day,
    channel: r.channel,
    event: r.event,
    causeType: r.cause_type,
    count: Number(r.n),
  }));
}
