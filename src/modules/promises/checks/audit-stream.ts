// What the audit trail says happened, against what the data shows (P10, P11, P12, P13, P14, P23),
// read from the last entry a check read (every entry in a full sweep):
// - every marketing email prepared carried an unsubscribe token, went to someone not opted out of
//   its channel then, and not for a purpose they had restricted;
// - every unsubscribe, withdrawal and removal the trail records is in the consent ledger (a restore
//   that lost one shows here); an entry that names its event (`eventId`, `eventAt`) finds it with
//   its time, channel and kind unchanged (an event moved to another time, or renamed, shows here);
//   a visitor's cookie choices likewise (ledger-cover.ts);
// - every person the trail says was marked under 13 is still marked;
// - every consent event written since the last run has its audit entry (entries removed after the
//   last anchor, with the head fixed, show here: the ledger outlives them).
import { sql } from 'kysely';
import { auditStreamCover } from '../covers.js';
import { type Family, type FamilyEnv, parseJson, type Sink } from '../family.js';
import { type EventRow, PersonBatch, stateAt, VISITOR } from '../person-batch.js';
import { ATTRIBUTION } from '../policy-map.js';
import { COOKIE_CHOICE, checkVisitor, coverPerson } from './ledger-cover.js';

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

/** What the checks read of an entry's details (consent entries name their event since `eventId`). */
interface AuditDetails {
  readonly channel?: string;
  readonly purpose?: string;
  readonly eventId?: string;
  readonly eventAt?: string;
}

type Flag = (
  promise: string,
  table: string,
  row: string,
  rule: string,
  reason: string,
  extra?: Record<string, string | null>,
) => void;

/**
 * A consent entry that names its ledger event (`eventId`, `eventAt`), against that event; true when
 * it judged the entry, false to leave it to the checks of entries that name none. Found by its id,
 * the event must be of the entry's person, channel and kind, at the time the entry recorded (an
 * event moved to an earlier or a later time, or given another event's id, shows here). Not found, it
 * may have been pruned by retention (which keeps a channel's latest event: a later one is there) or
 * purged with a child, or lost (no event of its kind left: the older checks name that); with no
 * later event on its channel while one of its kind is there, it was given another id: flagged.
 */
function namedEvent(
  e: Entry,
  details: AuditDetails,
  all: readonly EventRow[],
  subject: { under13: number } | undefined,
  flag: Flag,
): boolean {
  const id = details.eventId!;
  const event = e.action.slice('consent.'.length);
  const channel = details.channel ?? 'email_marketing';
  const found = all.find((x) => x.id === id);
  const mismatch = (ledger: Record<string, string | null>) =>
    flag(
      ATTRIBUTION.auditTrail,
      'audit_log',
      String(e.seq),
      'audit.ledger_matches',
      'The consent event the audit trail names is not in the ledger as recorded (moved to another time, or its id given to another event)',
      { channel, event, event_id: id, audited_at: details.eventAt ?? null, ...ledger },
    );
  if (found) {
    if (found.channel !== channel || found.event !== event || found.at !== details.eventAt)
      mismatch({ ledger_channel: found.channel, ledger_event: found.event, ledger_at: found.at });
    return true;
  }
  const at = details.eventAt ?? e.at;
  const later = all.some((x) => x.channel === channel && (x.at > at || (x.at === at && x.event !== event)));
  if (later || subject === undefined || subject.under13 === 1) return false;
  if (!all.some((x) => x.channel === channel && x.event === event)) return false;
  mismatch({ ledger_event_id: null });
  return true;
}

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

/** The distinct people the entries name. */
function targetsOf(entries: readonly Entry[]): string[] {
  return [...new Set(entries.map((e) => e.target_id).filter((t): t is string => t !== null))];
}

/**
 * Checks entries against the people's rows: those of `shared` when given (the run's batch, whose
 * people include every entry's target, with what the other families already read), else read for
 * the page. Tokens, restrictions and data keys are read only for the people of the marketing emails
 * prepared: most entries are consent changes, which need the ledger and the person only.
 */
async function checkPage(
  env: FamilyEnv,
  page: readonly Entry[],
  sink: Sink,
  shared?: PersonBatch,
): Promise<void> {
  const map = env.map;
  const db = env.ctx.store.db;
  const batch = shared ?? new PersonBatch(db, targetsOf(page));
  const rendered = page.filter((e) => e.action === 'email.rendered');
  const sends = rendered.length === 0 ? undefined : (shared ?? new PersonBatch(db, targetsOf(rendered)));
  const [events, subjects, tokens, restrictions, keys] = await Promise.all([
    batch.events(),
    batch.subjects(),
    sends?.tokens() ?? new Map<string, never[]>(),
    sends?.restrictions() ?? new Map<string, never[]>(),
    sends?.keys() ?? new Map<string, { live: boolean }>(),
  ]);
  for (const e of page) {
    const who = e.target_id ?? '';
    const scope = `audit:${e.seq}`;
    const details = parseJson<AuditDetails>(e.details) ?? {};
    const channel = details.channel ?? 'email_marketing';
    const all = events.get(who) ?? [];
    const mine = all.filter((x) => x.channel === channel);
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
    } else if (typeof details.eventId === 'string' && namedEvent(e, details, all, subjects.get(who), flag)) {
      // The entry names its event (since the entries carry eventId): checked against it above.
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
 * in a restore, a mark removed, an event renamed). The entries naming the people written since the
 * last run are read again (by the audit trail's target index), and replace their earlier findings;
 * the people's earlier events must each still be named by an entry (ledger-cover.ts coverPerson).
 *
 * A full sweep reads here the consent changes (enrolments and consents: one or more per person, most
 * of the trail) of each batch of people, by the same index, and checks them against the ledger and
 * the person the other families read for the batch, instead of reading everyone's ledger a second
 * time page by page of the trail; `run` reads every other entry, and the consent changes of people no
 * batch holds (see `readEntries`).
 *
 * Both kinds of run compare each visitor of the batch's cookie choices with their ledger events, and
 * their events with the entries (ledger-cover.ts checkVisitor).
 */
async function readPeople(batch: PersonBatch, env: FamilyEnv, sink: Sink): Promise<void> {
  const full = env.mode === 'full';
  const db = env.ctx.store.db;
  const mark = Number(env.marks.get(MARK_AUDIT_READ) ?? 0);
  if (batch.people.length > 0) {
    // An incremental run reads up to the run's bound: the entries before its watermark are checked
    // again, and all of them say which of the person's events are named (coverPerson).
    const page = await db
      .selectFrom('audit_log')
      .select(['seq', 'at', 'action', 'target_id', 'details'])
      .where('target_id', 'in', [...batch.people])
      .where('seq', '<=', env.bounds.audit)
      .where('action', 'in', full ? OPT_IN_ACTIONS : ACTIONS)
      .orderBy('seq')
      .execute();
    const entries = page.map((p) => ({ ...p, seq: Number(p.seq) }));
    const again = full ? entries : entries.filter((e) => e.seq <= mark);
    for (const e of again) sink.checked(`audit:${e.seq}`);
    if (again.length > 0) await checkPage(env, again, sink, batch);
    if (!full) {
      const events = await batch.events();
      const ledger = new Map<string, Entry[]>();
      for (const e of entries)
        if (LEDGER_ACTIONS.includes(e.action))
          ledger.set(e.target_id ?? '', [...(ledger.get(e.target_id ?? '') ?? []), e]);
      const consentMark = Number(env.marks.get(MARK_CONSENT_READ) ?? 0);
      for (const who of batch.people)
        coverPerson(ledger.get(who) ?? [], events.get(who) ?? [], consentMark, sink);
    }
  }
  if (batch.visitors.length > 0) {
    // A cookie choice's entry targets the visitor's keyed hash; a consent.<event> entry its ref.
    const page = await db
      .selectFrom('audit_log')
      .select(['seq', 'at', 'action', 'target_id', 'details'])
      .where((w) =>
        w.or([
          w.and([
            w(
              'target_id',
              'in',
              batch.visitors.map((v) => v.slice(VISITOR.length)),
            ),
            w('action', '=', COOKIE_CHOICE),
          ]),
          w.and([w('target_id', 'in', [...batch.visitors]), w('action', 'in', LEDGER_ACTIONS)]),
        ]),
      )
      .where('seq', '<=', env.bounds.audit)
      .orderBy('seq')
      .execute();
    const byVisitor = new Map<string, Entry[]>();
    for (const p of page) {
      const ref = p.target_id?.startsWith(VISITOR) ? p.target_id : `${VISITOR}${p.target_id}`;
      byVisitor.set(ref, [...(byVisitor.get(ref) ?? []), { ...p, seq: Number(p.seq) }]);
    }
    const events = await batch.events();
    for (const v of batch.visitors)
      checkVisitor(v, byVisitor.get(v) ?? [], events.get(v) ?? [], env.bounds.consent, sink);
  }
}

/**
 * Audit entries of the actions above, after `from` and up to the run's bound, page by page. In a full
 * sweep the batches have read the consent changes of everyone the sweep checks (`readPeople`), so
 * only those of a person without a single ledger event are read here (such a person may be in no
 * batch: the sweep's people are those the ledger, the records and the disclosure log name).
 */
async function readEntries(env: FamilyEnv, from: number, sink: Sink): Promise<void> {
  const db = env.ctx.store.db;
  const full = env.mode === 'full';
  let after = from;
  for (;;) {
    const page = await db
      .selectFrom('audit_log as a')
      .select(['a.seq', 'a.at', 'a.action', 'a.target_id', 'a.details'])
      .where('a.seq', '>', after)
      .where('a.seq', '<=', env.bounds.audit)
      .where((w) =>
        full
          ? w.or([
              w(
                'a.action',
                'in',
                ACTIONS.filter((a) => !OPT_IN_ACTIONS.includes(a)),
              ),
              w.and([
                w('a.action', 'in', OPT_IN_ACTIONS),
                w.not(
                  w.exists(
                    w
                      .selectFrom('consent_events as c')
                      .select('c.seq')
                      .whereRef('c.subject_ref', '=', 'a.target_id'),
                  ),
                ),
              ]),
            ])
          : w('a.action', 'in', ACTIONS),
      )
      .orderBy('a.seq')
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
  // Entries that name their event cover that event; older ones (no eventId) cover one event of
  // their person, channel and kind.
  const audited = new Map<string, number>();
  const named = new Set<string>();
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
      const details = parseJson<AuditDetails>(e.details);
      if (typeof details?.eventId === 'string') {
        named.add(details.eventId);
        continue;
      }
      const channel = details?.channel;
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
      if (named.delete(e.id)) continue;
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
  ...auditStreamCover,
  // Incremental runs re-read the entries of the people written since the last run; a full sweep
  // reads the consent changes of each batch's people here and every other entry in `run`.
  people: readPeople,
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
