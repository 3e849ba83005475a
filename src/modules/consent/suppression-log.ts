// What the console's suppressions page lists: people staff took off a channel (the ledger's
// `suppressed` events, newest first, with whether the suppression still holds) and identifiers kept
// on the suppression list (keyed hashes only: kind, channel, reason, when).

import type { VowContext } from '../policy/index.js';

export interface SuppressionLog {
  readonly people: readonly {
    readonly at: string;
    readonly subjectRef: string;
    readonly channel: string;
    readonly staffId: string | null;
    /** The person's state on the channel is still this suppression. */
    readonly inEffect: boolean;
  }[];
  readonly identifiers: readonly {
    readonly at: string;
    readonly kind: string;
    readonly channel: string;
    readonly reason: string;
  }[];
}

export async function suppressionLog(ctx: VowContext, limit = 500): Promise<SuppressionLog> {
  const db = ctx.store.db;
  const [events, listed] = await Promise.all([
    db
      .selectFrom('consent_events as e')
      .leftJoin('consent_state as s', (j) =>
        j.onRef('s.subject_ref', '=', 'e.subject_ref').onRef('s.channel', '=', 'e.channel'),
      )
      .select(['e.at', 'e.subject_ref', 'e.channel', 'e.staff_id', 'e.seq', 's.last_seq'])
      .where('e.event', '=', 'suppressed')
      .orderBy('e.seq', 'desc')
      .limit(limit)
      .execute(),
    db.selectFrom('suppression_list').selectAll().orderBy('created_at', 'desc').limit(limit).execute(),
  ]);
  return {
    people: events.map((e) => ({
      at: e.at,
      subjectRef: e.subject_ref,
      channel: e.channel,
      staffId: e.staff_id,
      inEffect: e.last_seq !== null && Number(e.last_seq) === Number(e.seq),
    })),
    identifiers: listed.map((r) => ({
      at: r.created_at,
      kind: r.index_kind,
      channel: r.channel,
      reason: r.reason,
    })),
  };
}
