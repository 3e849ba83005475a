// What the audit trail says happened, against what the data shows (P10, P11, P12, P13, P14, P23),
// read from the last entry a check read (every entry in a full sweep):
// - every marketing email prepared carried an unsubscribe token, went to someone not opted out of
//   its channel then, and not for a purpose they had restricted;
// - every unsubscribe, withdrawal and removal the trail records is in the consent ledger (a restore
//   that lost one shows here);
// - every person the trail says was marked under 13 is still marked;
// - every consent event written since the last run has its audit entry (entries removed after the
//   last anchor, with the head fixed, show here: the ledger outlives them).
import { sql } from 'kysely';
import { type Family, type FamilyEnv, parseJson, type Sink } from '../family.js';
import { PersonBatch, stateAt } from '../person-batch.js';
import { ATTRIBUTION } from '../policy-map.js';

export const MARK_AUDIT_READ = 'audit.read_seq';
export const MARK_CONSENT_READ = 'consent.read_seq';
const OPT_OUT_ACTIONS = ['consent.unsubscribed', 'consent.withdrawn', 'consent.suppressed'];
const OPT_IN_ACTIONS = ['consent.enrolled', 'consent.re_enrolled', 'consent.consented'];
const ACTIONS = ['email.rendered', 'subject.marked_under_13', ...OPT_OUT_ACTIONS, ...OPT_IN_ACTIONS];
const PAGE = 2000;
/** The audit actions ConsentService.record writes for a ledger event (`consent.<event>`). */
const LEDGER_ACTIONS = [
  'enrolled',
  'consented',
  're_enrolled',
  'withdrawn',
  'unsubscribed',
  'suppressed',
].map((e) => `consent.${e}`);

interface Entry {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly target_id: string | null;
  readonly details: string;
}

function restrictedAt(
  rows: readonly { scope: string; purposes: string; started_at: string; lifted_at: string | null }[],
  purpose: string,
  at: string,
) {
  return rows.some((r) => {
    if (r.started_at > at || (r.lifted_at !== null && at >= r.lifted_at)) return false;
    return (
      r.scope === 'all' ||
      (parseJson<string[]>(r.purposes) ?? []).some((p) => purpose === p || purpose.startsWith(`${p}.`))
    );
  });
}

async function checkPage(env: FamilyEnv, page: readonly Entry[], sink: Sink): Promise<void> {
  const map = env.map;
  const targets = [...new Set(page.map((e) => e.target_id).filter((t): t is string => t !== null))];
  const batch = new PersonBatch(env.ctx.store.db, targets);
  const [events, tokens, restrictions, keys, subjects] = await Promise.all([
    batch.events(),
    batch.tokens(),
    batch.restrictions(),
    batch.keys(),
    batch.subjects(),
  ]);
  for (const e of page) {
    const who = e.target_id ?? '';
    const scope = `audit:${e.seq}`;
    const details = parseJson<{ channel?: string; purpose?: string }>(e.details) ?? {};
    const channel = details.channel ?? 'email_marketing';
    const mine = (events.get(who) ?? []).filter((x) => x.channel === channel);
    const flag = (
      promise: string,
      table: string,
      row: string,
      rule: string,
      reason: string,
      extra: Record<string, string | null> = {},
    ) =>
      sink.add(scope, {
        promise,
        table,
        row,
        rule,
        reason,
        values: { subject: who, audit_seq: e.seq, at: e.at, ...extra },
      });
    if (e.action === 'email.rendered') {
      const token = (tokens.get(who) ?? []).some((t) => t.channel === channel && t.created_at <= e.at);
      if (!token && keys.get(who)?.live !== false)
        flag(
          ATTRIBUTION.unsubscribeLink,
          'audit_log',
          String(e.seq),
          'render.unsubscribe_token',
          'A marketing email was prepared without a one-click unsubscribe token',
          { channel },
        );
      const then = stateAt(mine, e.at).state;
      if (then === 'withdrawn')
        flag(
          map.optOutPromise(channel),
          'audit_log',
          String(e.seq),
          'render.after_opt_out',
          'A marketing email was prepared for someone opted out of its channel',
          { channel, state_then: then },
        );
      const purpose = details.purpose ?? map.policy.doc.channels[channel]?.purposes[0] ?? 'marketing.email';
      if (restrictedAt(restrictions.get(who) ?? [], purpose, e.at))
        flag(
          ATTRIBUTION.restriction,
          'audit_log',
          String(e.seq),
          'render.restricted',
          'A marketing email was prepared for someone who had restricted or objected to it',
          { purpose },
        );
    } else if (e.action === 'subject.marked_under_13') {
      if (subjects.get(who)?.under13 !== 1)
        flag(
          ATTRIBUTION.children,
          'subjects',
          who,
          'under13.mark_kept',
          'A person the audit trail says was marked under 13 is no longer marked',
        );
    } else if (OPT_IN_ACTIONS.includes(e.action)) {
      // The ledger keeps the latest event of each channel (retention prunes older ones, the purge
      // deletes a child's): an audited enrolment with neither its event nor any later one was lost.
      const event = e.action.slice('consent.'.length);
      const subject = subjects.get(who);
      if (
        subject !== undefined &&
        subject.under13 !== 1 &&
        !mine.some((x) => (x.event === event && x.at <= e.at) || x.at > e.at)
      )
        flag(
          ATTRIBUTION.auditTrail,
          'audit_log',
          String(e.seq),
          'audit.ledger_kept',
          'The audit trail records a consent change the consent ledger has lost (a row deleted from the ledger)',
          { channel, event },
        );
    } else {
      const event = e.action.slice('consent.'.length);
      if (!mine.some((x) => x.event === event && x.at <= e.at))
        flag(
          map.optOutPromise(channel),
          'audit_log',
          String(e.seq),
          'consent.audited_opt_out_in_ledger',
          `The audit trail records an opt-out the consent ledger has lost`,
          { channel, event },
        );
    }
  }
}

/**
 * An incremental run reads the audit trail from its watermark, so an entry read before is not read
 * again; but what it is checked against may have changed since (a token deleted, a ledger event lost
 * in a restore, a mark removed). The entries naming the people written since the last run are read
 * again (by the audit trail's target index), and replace their earlier findings.
 */
async function rereadPeople(batch: PersonBatch, env: FamilyEnv, sink: Sink): Promise<void> {
  if (batch.people.length === 0) return;
  const from = Number(env.marks.get(MARK_AUDIT_READ) ?? 0);
  const page = await env.ctx.store.db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'action', 'target_id', 'details'])
    .where('target_id', 'in', [...batch.people])
    .where('seq', '<=', from)
    .where('action', 'in', ACTIONS)
    .orderBy('seq')
    .execute();
  if (page.length === 0) return;
  const entries = page.map((p) => ({ ...p, seq: Number(p.seq) }));
  for (const e of entries) sink.checked(`audit:${e.seq}`);
  await checkPage(env, entries, sink);
}

/** Audit entries of the actions above, after `from` and up to the run's bound, page by page. */
async function readEntries(env: FamilyEnv, from: number, sink: Sink): Promise<void> {
  const db = env.ctx.store.db;
  let after = from;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .select(['seq', 'at', 'action', 'target_id', 'details'])
      .where('seq', '>', after)
      .where('seq', '<=', env.bounds.audit)
      .where('action', 'in', ACTIONS)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (page.length === 0) break;
    await checkPage(
      env,
      page.map((p) => ({ ...p, seq: Number(p.seq) })),
      sink,
    );
    after = Number(page.at(-1)!.seq);
    if (page.length < PAGE) break;
  }
}

/** Consent events after `from` (people's, not visitors') each have their `consent.<event>` entry. */
async function ledgerAudited(
  env: FamilyEnv,
  from: { consent: number; audit: number },
  sink: Sink,
): Promise<void> {
  const db = env.ctx.store.db;
  const audited = new Map<string, number>();
  let after = from.audit;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .select(['seq', 'action', 'target_id', 'details'])
      .where('seq', '>', after)
      .where('seq', '<=', env.bounds.audit)
      .where('action', 'in', LEDGER_ACTIONS)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const e of page) {
      const channel = parseJson<{ channel?: string }>(e.details)?.channel;
      const key = `${e.target_id}\n${channel}\n${e.action}`;
      audited.set(key, (audited.get(key) ?? 0) + 1);
    }
    if (page.length < PAGE) break;
    after = Number(page.at(-1)!.seq);
  }
  let last = from.consent;
  for (;;) {
    const events = await db
      .selectFrom('consent_events')
      .select(['seq', 'id', 'subject_ref', 'channel', 'event', 'at'])
      .where('seq', '>', last)
      .where('seq', '<=', env.bounds.consent)
      .where('subject_ref', 'not like', 'visitor:%')
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const e of events) {
      const key = `${e.subject_ref}\n${e.channel}\nconsent.${e.event}`;
      const n = audited.get(key) ?? 0;
      if (n > 0) audited.set(key, n - 1);
      else
        sink.add(`consent:${e.seq}`, {
          promise: ATTRIBUTION.auditTrail,
          table: 'consent_events',
          row: e.id,
          rule: 'audit.covers_ledger',
          reason: 'A consent change has no audit entry: entries were removed from the audit trail',
          values: {
            subject: e.subject_ref,
            channel: e.channel,
            event: e.event,
            at: e.at,
            after_audit_seq: from.audit,
          },
        });
    }
    if (events.length < PAGE) break;
    last = Number(events.at(-1)!.seq);
  }
}

export const auditStreamFamily: Family = {
  id: 'audit-stream',
  title: 'the audit trail of marketing sends, restrictions and consent changes',
  covers(map) {
    const out: Record<string, string> = {
      [ATTRIBUTION.unsubscribeLink]: 'every marketing email prepared carried a one-click unsubscribe token',
      [ATTRIBUTION.restriction]: 'no marketing email prepared for a purpose the person had restricted',
      [ATTRIBUTION.children]: 'everyone the audit trail says was marked under 13 is still marked',
      [ATTRIBUTION.auditTrail]:
        'every consent change since the last check has its audit entry, and every audited consent change is still in the ledger',
    };
    for (const p of new Set(map.channels.map((c) => map.optOutPromise(c))))
      out[p] =
        `${out[p] ? `${out[p]}; ` : ''}no marketing email prepared after an opt-out, no audited opt-out lost from the ledger`;
    return out;
  },
  // Incremental runs re-read the entries of the people written since the last run; a full sweep
  // reads every entry in `run`.
  people: rereadPeople,
  async full() {},
  async run(env, sink) {
    const full = env.mode === 'full';
    const fromAudit = full ? 0 : Number(env.marks.get(MARK_AUDIT_READ) ?? 0);
    const fromConsent = full ? 0 : Number(env.marks.get(MARK_CONSENT_READ) ?? 0);
    await readEntries(env, fromAudit, sink);
    await ledgerAudited(env, { consent: fromConsent, audit: fromAudit }, sink);
    env.marks.set(MARK_AUDIT_READ, String(env.bounds.audit));
    env.marks.set(MARK_CONSENT_READ, String(env.bounds.consent));
    return 'done';
  },
};

/** The bounds of the streams, read in one snapshot. */
export async function readBounds(
  env: Pick<FamilyEnv, 'ctx'>,
): Promise<{ audit: number; consent: number; measurements: number }> {
  const read = async (db: typeof env.ctx.store.db) => {
    const a = await sql<{ m: number | null }>`select max(seq) as m from audit_log`.execute(db);
    const c = await sql<{ m: number | null }>`select max(seq) as m from consent_events`.execute(db);
    const m = await sql<{ m: number | null }>`select max(id) as m from analytics_events`.execute(db);
    return {
      audit: Number(a.rows[0]?.m ?? 0),
      consent: Number(c.rows[0]?.m ?? 0),
      measurements: Number(m.rows[0]?.m ?? 0),
    };
  };
  const db = env.ctx.store.db;
  if (env.ctx.store.dialect === 'postgres')
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => read(trx));
  return db.transaction().execute((trx) => read(trx));
}
