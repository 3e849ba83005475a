// The consent ledger against the audit trail, person by person and visitor by visitor (P13), for
// what the trail's and the ledger's own passes (audit-stream.ts) cannot see:
// - a visitor's cookie choices: the entry of a choice (`consent.cookie_choice`) names the events it
//   wrote (`events`: id, channel and kind; `eventAt`), each of which must be in the ledger as
//   recorded (`audit.ledger_matches`: a choice changed, moved to another time or given another id),
//   and every event of the visitor must be named by an entry (`audit.covers_ledger`). Entries written
//   before they named their events name only the channels changed; their events were written in the
//   entry's transaction, just before it, so they are matched by channel and time: each such channel
//   has an event at most CHOICE_ENTRY_LAG_MS before the entry (unless a later one is there: retention
//   keeps a channel's latest), and each event of the visitor has an entry at most that long after it
//   naming its channel. An event moved by more than that either way, or renamed, shows; a choice
//   whose kind was changed (consented for withdrawn) does not: those entries did not say the kind.
// - in an incremental run, every event of a person written before the run's ledger watermark whose
//   person is in the run (their ledger rows were written or edited) must still be named by an entry:
//   an event given another id while a later event of its channel is there looks pruned to the trail's
//   pass, and the ledger's pass reads only events after its watermark, so only a full sweep named it.
import type { Sink } from '../family.js';
import { type EventRow, VISITOR } from '../person-batch.js';
import { ATTRIBUTION } from '../policy-map.js';

export const COOKIE_CHOICE = 'consent.cookie_choice';

/** An audit entry as the checks read it. */
export interface AuditEntryRow {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly target_id: string | null;
  readonly details: string;
}

/**
 * How long after its events a choice's audit entry may be written: in the same transaction, after
 * them, but the audit chain's lock may keep it waiting under load. A move by less is not seen.
 */
export const CHOICE_ENTRY_LAG_MS = 5 * 60_000;

interface NamedEvent {
  readonly id: string;
  readonly channel: string;
  readonly event: string;
}

interface ChoiceDetails {
  readonly channels?: unknown;
  readonly events?: unknown;
  readonly eventAt?: unknown;
  readonly eventId?: unknown;
  readonly channel?: unknown;
}

function parse(details: string): ChoiceDetails {
  try {
    const v = JSON.parse(details) as unknown;
    return v !== null && typeof v === 'object' ? (v as ChoiceDetails) : {};
  } catch {
    return {};
  }
}

function namedEvents(d: ChoiceDetails): NamedEvent[] | undefined {
  if (!Array.isArray(d.events) || typeof d.eventAt !== 'string') return undefined;
  return d.events.filter(
    (x): x is NamedEvent =>
      x !== null &&
      typeof x === 'object' &&
      typeof (x as NamedEvent).id === 'string' &&
      typeof (x as NamedEvent).channel === 'string' &&
      typeof (x as NamedEvent).event === 'string',
  );
}

const minus = (iso: string, ms: number) => new Date(new Date(iso).getTime() - ms).toISOString();
const plus = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

/**
 * Checks a visitor's cookie-choice entries against their ledger events, and their events against
 * the entries (the visitor's other entries: `consent.<event>` ones written by ConsentService.record,
 * which name their event or, before, their channel and kind). Findings go under the visitor's ref;
 * `entries` up to the run's bound of the trail, events after `consentBound` (the ledger's) left out.
 */
export function checkVisitor(
  ref: string,
  entries: readonly AuditEntryRow[],
  events: readonly EventRow[],
  consentBound: number,
  sink: Sink,
): void {
  const flag = (row: string, table: string, rule: string, reason: string, values: Record<string, unknown>) =>
    sink.add(ref, {
      promise: ATTRIBUTION.auditTrail,
      table,
      row,
      rule,
      reason,
      values: { subject: ref, ...values },
    });
  const named = new Set<string>();
  // Old-format choices: the channels each covered, and when.
  const unnamed: { at: string; channel: string }[] = [];
  // Old-format consent.<event> entries of a visitor (ConsentService.record): one event each.
  const audited = new Map<string, number>();
  for (const e of entries) {
    const d = parse(e.details);
    if (e.action !== COOKIE_CHOICE) {
      if (typeof d.eventId === 'string') named.add(d.eventId);
      else {
        const key = `${String(d.channel)}\n${e.action}`;
        audited.set(key, (audited.get(key) ?? 0) + 1);
      }
      continue;
    }
    const list = namedEvents(d);
    if (list) {
      const at = d.eventAt as string;
      for (const n of list) {
        named.add(n.id);
        const found = events.find((x) => x.id === n.id);
        const values = {
          audit_seq: e.seq,
          channel: n.channel,
          event: n.event,
          event_id: n.id,
          audited_at: at,
        };
        const reason =
          'The cookie choice the audit trail records is not in the ledger as recorded (changed, moved to another time, or its id given to another event)';
        if (found) {
          if (found.channel !== n.channel || found.event !== n.event || found.at !== at)
            flag(String(e.seq), 'audit_log', 'audit.ledger_matches', reason, {
              ...values,
              ledger_channel: found.channel,
              ledger_event: found.event,
              ledger_at: found.at,
            });
          continue;
        }
        // Gone: pruned by retention when a later event of its channel is there (the cover check
        // below names a renamed one); given another id when one of its kind is there at its time.
        if (events.some((x) => x.channel === n.channel && x.at > at)) continue;
        if (events.some((x) => x.channel === n.channel && x.event === n.event))
          flag(String(e.seq), 'audit_log', 'audit.ledger_matches', reason, {
            ...values,
            ledger_event_id: null,
          });
      }
      continue;
    }
    const channels = Array.isArray(d.channels)
      ? d.channels.filter((c): c is string => typeof c === 'string')
      : [];
    const from = minus(e.at, CHOICE_ENTRY_LAG_MS);
    for (const channel of channels) {
      unnamed.push({ at: e.at, channel });
      const mine = events.filter((x) => x.channel === channel);
      if (mine.length === 0 || mine.some((x) => x.at > e.at || (x.at >= from && x.at <= e.at))) continue;
      flag(
        String(e.seq),
        'audit_log',
        'audit.ledger_matches',
        'The cookie choice the audit trail records has no event of its channel in the ledger at its time (moved to another time)',
        { audit_seq: e.seq, channel, audited_at: e.at },
      );
    }
  }
  for (const x of events) {
    // An event written after the run's bound may have its entry after the bound too.
    if (x.seq > consentBound || named.has(x.id)) continue;
    const key = `${x.channel}\nconsent.${x.event}`;
    const n = audited.get(key) ?? 0;
    if (n > 0) {
      audited.set(key, n - 1);
      continue;
    }
    const until = plus(x.at, CHOICE_ENTRY_LAG_MS);
    if (unnamed.some((u) => u.channel === x.channel && u.at >= x.at && u.at <= until)) continue;
    flag(
      x.id,
      'consent_events',
      'audit.covers_ledger',
      'A visitor’s consent event has no audit entry at its time (moved to another time, given another id, or its entry removed)',
      { channel: x.channel, event: x.event, at: x.at },
    );
  }
}

/**
 * Incremental runs: the events of a person (not a visitor) up to `mark` (the ledger watermark: later
 * ones are the ledger pass's) must each be named by one of the person's entries, or covered by an
 * entry written before entries named their event (one per channel and kind). `entries`: all of the
 * person's consent entries up to the run's bound.
 */
export function coverPerson(
  entries: readonly AuditEntryRow[],
  events: readonly EventRow[],
  mark: number,
  sink: Sink,
): void {
  const named = new Set<string>();
  const audited = new Map<string, number>();
  for (const e of entries) {
    const d = parse(e.details);
    if (typeof d.eventId === 'string') named.add(d.eventId);
    else {
      const key = `${String(d.channel)}\n${e.action}`;
      audited.set(key, (audited.get(key) ?? 0) + 1);
    }
  }
  for (const x of events) {
    if (x.seq > mark || x.subject_ref.startsWith(VISITOR)) continue;
    const scope = `consent:${x.seq}`;
    sink.checked(scope);
    if (named.has(x.id)) continue;
    const key = `${x.channel}\nconsent.${x.event}`;
    const n = audited.get(key) ?? 0;
    if (n > 0) {
      audited.set(key, n - 1);
      continue;
    }
    sink.add(scope, {
      promise: ATTRIBUTION.auditTrail,
      table: 'consent_events',
      row: x.id,
      rule: 'audit.covers_ledger',
      reason:
        'A consent change has no audit entry: entries were removed from the audit trail, or the event was given another id',
      values: { subject: x.subject_ref, channel: x.channel, event: x.event, at: x.at },
    });
  }
}
