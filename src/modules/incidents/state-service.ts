// The US state breach-notification laws on an incident: the residents of each state it concerns
// (entered by the privacy officer, or counted from the people Vow holds by the state of their postal
// address), the clocks that follow from the policy's `us_breach_laws` (state-clocks.ts), and the
// notices given (to the residents, the regulator, the credit agencies). Counts only; audited, ids only.
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { US_STATES } from '../policy/index.js';
import { countResidentsByState } from '../subjects/index.js';
import type { IncidentService } from './incident-service.js';
import { type ShownCount, shownCount } from './small-counts.js';
import {
  STATE_NOTICE_KINDS,
  type StateClock,
  type StateNoticeKind,
  stateClock,
  stateClocks,
} from './state-clocks.js';
import { hasBidiControl, holdsEmailAddress } from './text-checks.js';

/** Residents of no known US state: no address, or one naming none; an address abroad. */
export const OTHER_PLACES = ['unknown', 'outside_us'] as const;

export interface IncidentStatesView {
  /** Entered by the privacy officer, counted from Vow's data, or none yet. */
  readonly source: 'entered' | 'counted' | null;
  readonly updatedAt: string | null;
  /** Per state (`us-wi`), as the reader sees them (below 5: "fewer than 5" but for the privacy officer). */
  readonly residents: { readonly state: string; readonly name: string; readonly count: ShownCount }[];
  readonly unknown: ShownCount;
  readonly outsideUs: ShownCount;
  /** Every state with residents, nearest open deadline first. */
  readonly clocks: (Omit<StateClock, 'residents'> & { readonly residents: ShownCount })[];
}

/** A state notice owed on an open incident, with a day: for the dashboard and the reminders. */
export interface OpenStateDeadline {
  readonly incidentId: string;
  readonly summary: string;
  /** `us-wi`, and its name. */
  readonly state: string;
  readonly name: string;
  readonly kind: StateNoticeKind;
  readonly who: string;
  readonly deadlineAt: string;
  /** Negative once past. */
  readonly msLeft: number;
  readonly overdue: boolean;
  /** Counted from a notice not given yet: estimated from that notice's own deadline. */
  readonly provisional: boolean;
  readonly cite: string;
}

function invalid(message: string): VowError {
  return new VowError('VOW_INCIDENT_RESIDENTS_INVALID', message);
}

function checkPlace(state: string): void {
  if ((OTHER_PLACES as readonly string[]).includes(state)) return;
  if (!/^us-[a-z]{2}$/.test(state) || !Object.hasOwn(US_STATES, state.slice(3)))
    throw invalid(`${state} is not a US state: write us- and its two-letter code (us-wi)`);
}

export class IncidentStates {
  readonly #ctx: VowContext;
  readonly #incidents: IncidentService;

  constructor(ctx: VowContext, deps: { incidents: IncidentService }) {
    this.#ctx = ctx;
    this.#incidents = deps.incidents;
  }

  get #laws() {
    return this.#ctx.policy.doc.us_breach_laws ?? {};
  }

  async #open(id: string) {
    const view = await this.#incidents.get(id);
    if (view.status === 'closed') throw new VowError('VOW_INCIDENT_STATE', 'The incident is closed');
    return view;
  }

  async #residents(id: string) {
    return this.#ctx.store.db
      .selectFrom('incident_residents')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('state')
      .execute();
  }

  async #given(id: string) {
    const rows = await this.#ctx.store.db
      .selectFrom('incident_state_notices')
      .selectAll()
      .where('incident_id', '=', id)
      .execute();
    return rows.map((r) => ({ state: r.state, kind: r.kind, at: r.at, to: r.to_whom }));
  }

  /** The residents per state and the clocks, as `privacyOfficer` or another reader sees them. */
  async view(id: string, privacyOfficer: boolean): Promise<IncidentStatesView> {
    const incident = await this.#incidents.get(id);
    const [rows, given] = await Promise.all([this.#residents(id), this.#given(id)]);
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.state] = Number(r.residents);
    const shown = (n: number) => shownCount(n, privacyOfficer);
    const latest = rows.reduce<(typeof rows)[number] | undefined>(
      (a, r) => (a === undefined || r.updated_at > a.updated_at ? r : a),
      undefined,
    );
    return {
      source: latest?.source ?? null,
      updatedAt: latest?.updated_at ?? null,
      residents: rows
        .filter((r) => r.state.startsWith('us-'))
        .map((r) => ({
          state: r.state,
          name: US_STATES[r.state.slice(3)] ?? r.state,
          count: shown(Number(r.residents)),
        })),
      unknown: shown(counts.unknown ?? 0),
      outsideUs: shown(counts.outside_us ?? 0),
      clocks: stateClocks(this.#laws, counts, incident.awareAt, given, this.#ctx.clock.now()).map((c) => ({
        ...c,
        residents: shown(c.residents),
      })),
    };
  }

  /**
   * Every state notice owed on an open incident that has a day, not yet recorded (a notice below its
   * threshold, already given, or without a fixed day is left out), the nearest deadline first.
   */
  async openDeadlines(): Promise<OpenStateDeadline[]> {
    const open = await this.#incidents.list();
    if (open.length === 0) return [];
    const ids = open.map((i) => i.id);
    const db = this.#ctx.store.db;
    const [residents, notices] = await Promise.all([
      db.selectFrom('incident_residents').selectAll().where('incident_id', 'in', ids).execute(),
      db.selectFrom('incident_state_notices').selectAll().where('incident_id', 'in', ids).execute(),
    ]);
    const now = this.#ctx.clock.now();
    const out: OpenStateDeadline[] = [];
    for (const incident of open) {
      const counts: Record<string, number> = {};
      for (const r of residents) if (r.incident_id === incident.id) counts[r.state] = Number(r.residents);
      if (Object.keys(counts).length === 0) continue;
      const given = notices
        .filter((n) => n.incident_id === incident.id)
        .map((n) => ({ state: n.state, kind: n.kind, at: n.at, to: n.to_whom }));
      for (const c of stateClocks(this.#laws, counts, incident.awareAt, given, now))
        for (const d of c.duties)
          if ((d.state === 'due' || d.state === 'overdue') && d.deadlineAt !== null && d.msLeft !== null)
            out.push({
              incidentId: incident.id,
              summary: incident.summary,
              state: c.state,
              name: c.name,
              kind: d.kind,
              who: d.who,
              deadlineAt: d.deadlineAt,
              msLeft: d.msLeft,
              overdue: d.state === 'overdue',
              provisional: d.provisional,
              cite: d.cite,
            });
    }
    return out.sort(
      (a, b) => a.deadlineAt.localeCompare(b.deadlineAt) || a.incidentId.localeCompare(b.incidentId),
    );
  }

  /**
   * The privacy officer's counts per state (`us-wi`, and `unknown`, `outside_us`): they replace the
   * ones held (a state left out, or 0, has none).
   */
  async setResidents(id: string, counts: Readonly<Record<string, number>>, staffId: string): Promise<void> {
    await this.#open(id);
    for (const [state, n] of Object.entries(counts)) {
      checkPlace(state);
      if (!Number.isSafeInteger(n) || n < 0)
        throw invalid(`The residents of ${state} are a whole number, 0 or more`);
    }
    await this.#replace(id, counts, 'entered', staffId, 'incident.residents_entered');
  }

  /**
   * Counts the residents per state from the people Vow holds with data of the incident's categories,
   * collected up to the time it became known, and keeps them. The privacy officer's (security.md #41).
   */
  async countResidents(id: string, staffId: string): Promise<void> {
    const incident = await this.#open(id);
    const found = await countResidentsByState(this.#ctx, {
      categories: incident.dataCategories,
      to: incident.awareAt,
    });
    await this.#replace(
      id,
      { ...found.states, unknown: found.unknown, outside_us: found.outsideUs },
      'counted',
      staffId,
      'incident.residents_counted',
    );
  }

  async #replace(
    id: string,
    counts: Readonly<Record<string, number>>,
    source: 'entered' | 'counted',
    staffId: string,
    action: string,
  ): Promise<void> {
    const now = this.#ctx.clock.now().toISOString();
    const rows = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([state, residents]) => ({
        incident_id: id,
        state,
        residents,
        source,
        updated_at: now,
        updated_by: staffId,
      }));
    // None at all still says who recorded it, and when (a count that found no one is an answer).
    if (rows.length === 0)
      rows.push({
        incident_id: id,
        state: 'unknown',
        residents: 0,
        source,
        updated_at: now,
        updated_by: staffId,
      });
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('incident_residents').where('incident_id', '=', id).execute();
      if (rows.length) await trx.insertInto('incident_residents').values(rows).execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action,
          target: { type: 'incident', id },
          // Which states, not how many people: the counts stay on the privacy officer's page.
          details: { states: rows.filter((r) => r.state.startsWith('us-')).map((r) => r.state) },
        },
        trx,
      );
    });
  }

  /** A notice given under a state's law: to its residents, its regulator or the credit agencies. */
  async recordNotice(
    id: string,
    input: { state: string; kind: StateNoticeKind; at?: string | undefined; to: string },
    staffId: string,
  ): Promise<void> {
    const incident = await this.#open(id);
    checkPlace(input.state);
    if (!(STATE_NOTICE_KINDS as readonly string[]).includes(input.kind))
      throw invalid(`Unknown kind of notice ${input.kind}`);
    const held = (await this.#residents(id)).find((r) => r.state === input.state);
    if (!held || !input.state.startsWith('us-'))
      throw invalid(`The incident has no residents of ${input.state}: enter or count them first`);
    const now = this.#ctx.clock.now();
    const clock = stateClock(this.#laws, input.state, Number(held.residents), incident.awareAt, [], now);
    if (!clock.duties.some((d) => d.kind === input.kind))
      throw invalid(`The law of ${clock.name} as modelled has no notice to ${input.kind.replace('_', ' ')}`);
    if (input.to.trim() === '') throw invalid('Say to whom (and how) the notice was given');
    if (holdsEmailAddress(input.to) || hasBidiControl(input.to))
      throw new VowError(
        'VOW_INCIDENT_INVALID',
        'The description holds what looks like an email address or a character that reorders text: the register names no one',
      );
    let at = now.toISOString();
    if (input.at !== undefined) {
      const t = Date.parse(input.at);
      if (Number.isNaN(t))
        throw new VowError('VOW_INCIDENT_INVALID', 'The time is not a date and time (ISO 8601)');
      if (t > now.getTime()) throw new VowError('VOW_INCIDENT_INVALID', 'The time cannot be in the future');
      at = new Date(t).toISOString();
      if (at < incident.awareAt)
        throw new VowError('VOW_INCIDENT_INVALID', 'The time cannot be before the incident became known');
    }
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('incident_state_notices')
        .select('at')
        .where('incident_id', '=', id)
        .where('state', '=', input.state)
        .where('kind', '=', input.kind)
        .executeTakeFirst();
      if (exists)
        throw new VowError(
          'VOW_INCIDENT_STATE',
          'This notice was already recorded: add a note for what followed',
        );
      await trx
        .insertInto('incident_state_notices')
        .values({
          incident_id: id,
          state: input.state,
          kind: input.kind,
          at,
          to_whom: input.to,
          recorded_by: staffId,
          recorded_at: now.toISOString(),
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: 'incident.state_notice_recorded',
          target: { type: 'incident', id },
          details: { state: input.state, kind: input.kind },
        },
        trx,
      );
    });
  }
}
