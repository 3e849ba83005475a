// The personal-data breach register (P13; GDPR Art. 33 and 34): incidents recorded by a privacy officer
// or reported by customer service and taken over by one, their risk decision, the 72-hour clock to the
// lead supervisory authority, the notification (with the reasons for a delay past 72 hours), the
// communication to the people affected, a timeline of notes. Every change is audited, ids only.

import type { Transaction } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { countAffected } from '../subjects/index.js';
import { assertAudienceOpen, assertNotTellingThem, assertNotWritingToThem } from './audience.js';
import { clockOf, deadlineOf, type IncidentClock } from './clocks.js';
import type { IncidentTables } from './tables.js';
import { hasBidiControl, holdsEmailAddress } from './text-checks.js';

type Row = IncidentTables['incidents'];
export type RiskLevel = Row['risk'];
export const RISK_LEVELS = ['none', 'risk', 'high'] as const;

export interface IncidentFacts {
  readonly summary: string;
  readonly dataCategories: readonly string[];
  readonly subjectKinds: readonly string[];
  readonly approxSubjects?: number | null | undefined;
  readonly approxRecords?: number | null | undefined;
  readonly consequences?: string | undefined;
  readonly measures?: string | undefined;
  /** The lead supervisory authority: an id of the policy's `regulators`. */
  readonly authority?: string | null | undefined;
}

export interface IncidentInput extends IncidentFacts {
  /** When the breach became known (ISO 8601); now when left out. */
  readonly awareAt?: string | undefined;
}

export interface IncidentView {
  readonly id: string;
  readonly status: 'open' | 'closed';
  readonly summary: string;
  readonly awareAt: string;
  readonly recordedAt: string;
  readonly reportedBy: string | null;
  readonly ownerId: string | null;
  readonly dataCategories: string[];
  readonly subjectKinds: string[];
  readonly approxSubjects: number | null;
  readonly approxRecords: number | null;
  readonly consequences: string;
  readonly measures: string;
  readonly risk: {
    readonly level: RiskLevel;
    readonly reason: string | null;
    readonly decidedAt: string | null;
    readonly decidedBy: string | null;
  };
  readonly authority: { readonly id: string; readonly name: string; readonly url: string } | null;
  readonly clock: IncidentClock;
  readonly notification: {
    readonly at: string;
    readonly reference: string;
    readonly delayReason: string | null;
  } | null;
  readonly subjectsInformed: { readonly at: string; readonly how: string } | null;
  readonly closedAt: string | null;
}

export interface IncidentDetail extends IncidentView {
  readonly notes: { at: string; staffId: string | null; text: string }[];
}

function invalid(message: string): VowError {
  return new VowError('VOW_INCIDENT_INVALID', message);
}

export class IncidentService {
  readonly #ctx: VowContext;

  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** The authorities an incident may name: the policy's regulators. */
  authorities(): { id: string; name: string; url: string }[] {
    return Object.keys(this.#ctx.policy.doc.regulators).flatMap((id) => this.#ctx.policy.regulator(id) ?? []);
  }

  #text(label: string, value: string | undefined | null): void {
    if (holdsEmailAddress(value))
      throw invalid(`The ${label} holds what looks like an email address: the register names no one`);
    if (hasBidiControl(value))
      throw invalid(
        `The ${label} holds a character that reorders text (a bidirectional override or isolate): what it shows would not be what it says`,
      );
  }

  #checkFacts(f: Partial<IncidentFacts>): void {
    const policy = this.#ctx.policy;
    if (f.summary !== undefined && f.summary.trim() === '') throw invalid('Say what happened');
    for (const c of f.dataCategories ?? [])
      if (!policy.hasCategory(c)) throw invalid(`The policy declares no category ${c}`);
    for (const k of f.subjectKinds ?? [])
      if (!policy.hasSubjectKind(k)) throw invalid(`The policy declares no subject kind ${k}`);
    for (const [label, n] of [
      ['approximate number of people', f.approxSubjects],
      ['approximate number of records', f.approxRecords],
    ] as const)
      if (n !== undefined && n !== null && (!Number.isSafeInteger(n) || n < 0))
        throw invalid(`The ${label} is a whole number, 0 or more`);
    if (f.authority && !policy.regulator(f.authority))
      throw invalid(`The policy names no regulator ${f.authority}`);
    this.#text('summary', f.summary);
    this.#text('consequences', f.consequences);
    this.#text('measures', f.measures);
  }

  /** A time given by staff: ISO 8601, not in the future, not before `after`. */
  #time(label: string, value: string | undefined, after?: string): string {
    const now = this.#ctx.clock.now();
    if (value === undefined) return now.toISOString();
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw invalid(`The ${label} is not a date and time (ISO 8601)`);
    if (t > now.getTime()) throw invalid(`The ${label} cannot be in the future`);
    const iso = new Date(t).toISOString();
    if (after && iso < after) throw invalid(`The ${label} cannot be before the incident became known`);
    return iso;
  }

  #view(r: Row): IncidentView {
    return {
      id: r.id,
      status: r.status,
      summary: r.summary,
      awareAt: r.aware_at,
      recordedAt: r.recorded_at,
      reportedBy: r.reported_by,
      ownerId: r.owner_id,
      dataCategories: JSON.parse(r.data_categories) as string[],
      subjectKinds: JSON.parse(r.subject_kinds) as string[],
      approxSubjects: r.approx_subjects === null ? null : Number(r.approx_subjects),
      approxRecords: r.approx_records === null ? null : Number(r.approx_records),
      consequences: r.consequences,
      measures: r.measures,
      risk: {
        level: r.risk,
        reason: r.risk_reason,
        decidedAt: r.risk_decided_at,
        decidedBy: r.risk_decided_by,
      },
      authority: r.authority ? (this.#ctx.policy.regulator(r.authority) ?? null) : null,
      clock: clockOf(r, this.#ctx.clock.now()),
      notification:
        r.authority_notified_at !== null
          ? {
              at: r.authority_notified_at,
              reference: r.authority_reference ?? '',
              delayReason: r.delay_reason,
            }
          : null,
      subjectsInformed:
        r.subjects_informed_at !== null
          ? { at: r.subjects_informed_at, how: r.subjects_informed_how ?? '' }
          : null,
      closedAt: r.closed_at,
    };
  }

  async #row(id: string): Promise<Row> {
    const r = await this.#ctx.store.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw new VowError('VOW_INCIDENT_NOT_FOUND', 'No such incident');
    return r;
  }

  async #open(id: string): Promise<Row> {
    const r = await this.#row(id);
    if (r.status === 'closed') throw new VowError('VOW_INCIDENT_STATE', 'The incident is closed');
    return r;
  }

  async #change(
    id: string,
    set: Partial<Row>,
    audit: Omit<AuditEntry, 'target'>,
    more?: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<IncidentView> {
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('incidents')
        .set({ ...set, updated_at: now })
        .where('id', '=', id)
        .execute();
      if (more) await more(trx);
      await this.#ctx.audit.record({ ...audit, target: { type: 'incident', id } }, trx);
    });
    return this.get(id);
  }

  /**
   * Records an incident. A privacy officer owns what they record; what customer service reports waits
   * for a privacy officer to take it over.
   */
  async record(
    input: IncidentInput,
    by: { staffId: string; privacyOfficer: boolean },
  ): Promise<IncidentView> {
    this.#checkFacts(input);
    const awareAt = this.#time('time the incident became known', input.awareAt);
    const id = this.#ctx.random.uuid();
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('incidents')
        .values({
          id,
          status: 'open',
          summary: input.summary,
          aware_at: awareAt,
          recorded_at: now,
          updated_at: now,
          reported_by: by.staffId,
          owner_id: by.privacyOfficer ? by.staffId : null,
          data_categories: JSON.stringify([...new Set(input.dataCategories)]),
          subject_kinds: JSON.stringify([...new Set(input.subjectKinds)]),
          approx_subjects: input.approxSubjects ?? null,
          approx_records: input.approxRecords ?? null,
          consequences: input.consequences ?? '',
          measures: input.measures ?? '',
          risk: 'undecided',
          risk_reason: null,
          risk_decided_at: null,
          risk_decided_by: null,
          authority: input.authority ?? null,
          deadline_at: deadlineOf(awareAt),
          authority_notified_at: null,
          authority_reference: null,
          delay_reason: null,
          subjects_informed_at: null,
          subjects_informed_how: null,
          closed_at: null,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: by.staffId },
          action: 'incident.recorded',
          target: { type: 'incident', id },
          details: {
            categories: [...new Set(input.dataCategories)],
            subjectKinds: [...new Set(input.subjectKinds)],
            authority: input.authority ?? null,
          },
        },
        trx,
      );
    });
    return this.get(id);
  }

  /** Changes the facts (Art. 33(4): they may come in phases); the time of awareness moves the clock. */
  async update(id: string, patch: Partial<IncidentInput>, staffId: string): Promise<IncidentView> {
    const r = await this.#open(id);
    this.#checkFacts(patch);
    const set: Partial<Row> = {};
    if (patch.awareAt !== undefined) {
      if (r.authority_notified_at !== null)
        throw new VowError('VOW_INCIDENT_STATE', 'The authority was notified: the time of awareness is kept');
      set.aware_at = this.#time('time the incident became known', patch.awareAt);
      set.deadline_at = deadlineOf(set.aware_at);
    }
    if (patch.summary !== undefined) set.summary = patch.summary;
    if (patch.dataCategories !== undefined)
      set.data_categories = JSON.stringify([...new Set(patch.dataCategories)]);
    if (patch.subjectKinds !== undefined)
      set.subject_kinds = JSON.stringify([...new Set(patch.subjectKinds)]);
    if (patch.approxSubjects !== undefined) set.approx_subjects = patch.approxSubjects;
    if (patch.approxRecords !== undefined) set.approx_records = patch.approxRecords;
    if (patch.consequences !== undefined) set.consequences = patch.consequences;
    if (patch.measures !== undefined) set.measures = patch.measures;
    if (patch.authority !== undefined) set.authority = patch.authority;
    const audience = set.data_categories !== undefined || set.aware_at !== undefined;
    return this.#change(
      id,
      set,
      {
        actor: { type: 'staff', id: staffId },
        action: 'incident.updated',
        details: { fields: Object.keys(patch).sort() },
      },
      async (trx) => (audience ? assertAudienceOpen(trx, id) : undefined),
    );
  }

  /** A privacy officer takes over an incident customer service reported. */
  async takeOver(id: string, staffId: string): Promise<IncidentView> {
    const r = await this.#open(id);
    if (r.owner_id === staffId) throw new VowError('VOW_INCIDENT_STATE', 'You already own this incident');
    return this.#change(
      id,
      { owner_id: staffId },
      { actor: { type: 'staff', id: staffId }, action: 'incident.taken_over', details: { from: r.owner_id } },
    );
  }

  /** The risk decision and its reason (Art. 33(1), 33(5)); "no risk" stops the clock but is kept. */
  async decideRisk(id: string, level: RiskLevel, reason: string, staffId: string): Promise<IncidentView> {
    await this.#open(id);
    if (!(RISK_LEVELS as readonly string[]).includes(level)) throw invalid(`Unknown risk level ${level}`);
    if (reason.trim() === '')
      throw new VowError(
        'VOW_INCIDENT_REASON_MISSING',
        level === 'none'
          ? 'A decision that the breach is unlikely to result in a risk needs its reason (Art. 33(5))'
          : 'The risk decision needs its reason',
      );
    this.#text('reason', reason);
    return this.#change(
      id,
      {
        risk: level,
        risk_reason: reason,
        risk_decided_at: this.#ctx.clock.now().toISOString(),
        risk_decided_by: staffId,
      },
      { actor: { type: 'staff', id: staffId }, action: 'incident.risk_decided', details: { level } },
      level === 'high' ? undefined : (trx) => assertNotTellingThem(trx, id),
    );
  }

  /** The notification to the lead supervisory authority; past 72 hours only with the reasons for the delay. */
  async notifyAuthority(
    id: string,
    input: {
      at?: string | undefined;
      reference: string;
      delayReason?: string | undefined;
      authority?: string | undefined;
    },
    staffId: string,
  ): Promise<IncidentView> {
    const r = await this.#open(id);
    if (r.authority_notified_at !== null)
      throw new VowError(
        'VOW_INCIDENT_STATE',
        'The authority was already notified: add a note for what followed',
      );
    const authority = input.authority ?? r.authority;
    if (!authority) throw invalid('Name the lead supervisory authority notified');
    this.#checkFacts({ authority });
    if (input.reference.trim() === '') throw invalid("Give the authority's reference for the notification");
    this.#text('reference', input.reference);
    const at = this.#time('time of the notification', input.at, r.aware_at);
    const late = at > r.deadline_at;
    const delayReason = input.delayReason?.trim() ? input.delayReason : null;
    if (late && !delayReason)
      throw new VowError(
        'VOW_INCIDENT_DELAY_REASON_MISSING',
        'The notification comes more than 72 hours after the incident became known: give the reasons for the delay (Art. 33(1))',
      );
    this.#text('reasons for the delay', delayReason);
    return this.#change(
      id,
      {
        authority,
        authority_notified_at: at,
        authority_reference: input.reference,
        delay_reason: late ? delayReason : null,
      },
      {
        actor: { type: 'staff', id: staffId },
        action: 'incident.authority_notified',
        details: { authority, late },
      },
    );
  }

  /** Art. 34: the people affected were told (when, and how, in words; no one's contact). */
  async informSubjects(
    id: string,
    input: { at?: string | undefined; how: string },
    staffId: string,
  ): Promise<IncidentView> {
    const r = await this.#open(id);
    if (r.subjects_informed_at !== null)
      throw new VowError('VOW_INCIDENT_STATE', 'The people affected were already told');
    if (input.how.trim() === '') throw invalid('Say how the people affected were told');
    this.#text('description', input.how);
    const at = this.#time('time the people were told', input.at, r.aware_at);
    return this.#change(
      id,
      { subjects_informed_at: at, subjects_informed_how: input.how },
      { actor: { type: 'staff', id: staffId }, action: 'incident.subjects_informed' },
      (trx) => assertNotWritingToThem(trx, id),
    );
  }

  async addNote(id: string, text: string, staffId: string): Promise<IncidentView> {
    await this.#open(id);
    if (text.trim() === '') throw invalid('The note is empty');
    this.#text('note', text);
    const now = this.#ctx.clock.now().toISOString();
    return this.#change(
      id,
      {},
      { actor: { type: 'staff', id: staffId }, action: 'incident.noted' },
      async (trx) => {
        await trx
          .insertInto('incident_notes')
          .values({ id: this.#ctx.random.uuid(), incident_id: id, at: now, staff_id: staffId, text })
          .execute();
      },
    );
  }

  /** Closing needs the clock settled: notified, or decided unlikely to result in a risk. */
  async close(id: string, staffId: string): Promise<IncidentView> {
    const r = await this.#open(id);
    if (r.authority_notified_at === null && r.risk !== 'none')
      throw new VowError(
        'VOW_INCIDENT_STATE',
        'Notify the authority, or record the decision that the breach is unlikely to result in a risk, before closing',
      );
    return this.#change(
      id,
      { status: 'closed', closed_at: this.#ctx.clock.now().toISOString() },
      { actor: { type: 'staff', id: staffId }, action: 'incident.closed' },
    );
  }

  /**
   * Who is affected, counted (Art. 33(3)(a)): the people Vow holds with data of the incident's
   * categories collected in the window (from the first record, to the time it became known, by
   * default), through the subjects module. Counts only.
   */
  async affected(
    id: string,
    window: { from?: string | undefined; to?: string | undefined } = {},
  ): Promise<{ people: number; records: number; categories: string[]; from: string | null; to: string }> {
    const view = await this.get(id);
    const parse = (label: string, v: string | undefined): string | undefined => {
      if (v === undefined) return undefined;
      const t = Date.parse(v);
      if (Number.isNaN(t)) throw invalid(`The ${label} is not a date and time (ISO 8601)`);
      return new Date(t).toISOString();
    };
    const from = parse('start of the window', window.from);
    const to = parse('end of the window', window.to) ?? view.awareAt;
    if (from && from > to) throw invalid('The window starts after it ends');
    const counts = await countAffected(this.#ctx.store, { categories: view.dataCategories, from, to });
    return { ...counts, categories: view.dataCategories, from: from ?? null, to };
  }

  async get(id: string): Promise<IncidentView> {
    return this.#view(await this.#row(id));
  }

  async detail(id: string): Promise<IncidentDetail> {
    const view = await this.get(id);
    const notes = await this.#ctx.store.db
      .selectFrom('incident_notes')
      .select(['at', 'staff_id', 'text'])
      .where('incident_id', '=', id)
      .orderBy('at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return { ...view, notes: notes.map((n) => ({ at: n.at, staffId: n.staff_id, text: n.text })) };
  }

  /** Open incidents first, nearest deadline first. */
  async list(options: { includeClosed?: boolean } = {}): Promise<IncidentView[]> {
    let q = this.#ctx.store.db.selectFrom('incidents').selectAll();
    if (!options.includeClosed) q = q.where('status', '=', 'open');
    const rows = await q.orderBy('status', 'desc').orderBy('deadline_at', 'asc').limit(2000).execute();
    return rows.map((r) => this.#view(r));
  }

  /** For the dashboard, the promise monitor and `vow_open_incidents`: open, and past 72 hours unsettled. */
  async counts(): Promise<{ open: number; overdue: number }> {
    const open = await this.list();
    return { open: open.length, overdue: open.filter((i) => i.clock.state === 'overdue').length };
  }
}
