// Reminders of the US state breach-notification deadlines: every hour a job looks at the state notices
// owed on open incidents (state-service.ts, openDeadlines) and mails the privacy officers
// (VOW_PRIVACY_OFFICERS, else the policy's controller email) once when a deadline comes within
// VOW_BREACH_REMINDER_DAYS days (REMIND_DAYS_BEFORE, 7, by default), and once more when it passes
// with the notice not recorded. A notice recorded, below its threshold or without a fixed day gets
// none. Each reminder is kept (incident, state, notice, stage, deadline) in the transaction of its
// mail, so a retried or second run sends none twice; a deadline that moves (a new time of discovery,
// the residents' notice recorded) is reminded again. The mail names the state, the notice, the
// deadline and links the incident: no summary, no count.
import { HOUR_MS, type JobRunner, registerRecurringJob } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import { counted } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { durationInWords } from './clocks.js';
import type { IncidentStates, OpenStateDeadline } from './state-service.js';

export const STATE_REMINDERS_JOB = 'incidents.state_reminders';
export const STATE_REMINDER_MAIL_KIND = 'incidents.state_deadline';
/**
 * How long before a state deadline the privacy officers are reminded, and the dashboard lists it,
 * unless VOW_BREACH_REMINDER_DAYS says otherwise (config.breachReminderDays).
 */
export const REMIND_DAYS_BEFORE = 7;

const DAY_MS = 86_400_000;

export type ReminderStage = 'before' | 'overdue';

/** The reminder a deadline calls for now: near (within the days), past, or none yet. */
export function stageOf(d: Pick<OpenStateDeadline, 'msLeft' | 'overdue'>, days = REMIND_DAYS_BEFORE) {
  if (d.overdue) return 'overdue' as const;
  return d.msLeft <= days * DAY_MS ? ('before' as const) : null;
}

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** One line of the mail: the notice, its deadline and the time left (or past). */
function line(d: OpenStateDeadline, stage: ReminderStage): string {
  const when =
    stage === 'overdue'
      ? `OVERDUE by ${durationInWords(-d.msLeft)} (was due ${utc(d.deadlineAt)})`
      : `due ${utc(d.deadlineAt)}, in ${durationInWords(d.msLeft)}`;
  const estimate = d.provisional ? ' (estimated from the residents’ deadline)' : '';
  return `- ${d.name}: notice to ${d.who}, ${when}${estimate}; ${d.cite}`;
}

export class StateReminders {
  readonly #ctx: VowContext;
  readonly #states: IncidentStates;
  readonly #mail: MailService;
  readonly #officers: () => readonly string[];
  readonly #schedule: () => Promise<void>;

  constructor(
    ctx: VowContext,
    deps: {
      states: IncidentStates;
      jobs: JobRunner;
      mail: MailService;
      /** Who is reminded. */
      officers: () => readonly string[];
    },
  ) {
    this.#ctx = ctx;
    this.#states = deps.states;
    this.#mail = deps.mail;
    this.#officers = deps.officers;
    this.#schedule = registerRecurringJob(deps.jobs, ctx.clock, {
      id: STATE_REMINDERS_JOB,
      everyMs: HOUR_MS,
      run: () => this.run(),
    }).schedule;
  }

  /** Queues this hour's run (once, however often it is called; `vow serve` calls it). */
  schedule(): Promise<void> {
    return this.#schedule();
  }

  /** Sends the reminders due now, once each: how many of each stage, and the mails written. */
  async run(): Promise<{ before: number; overdue: number; mails: number }> {
    const owed = (await this.#states.openDeadlines())
      .map((d) => ({ d, stage: stageOf(d, this.#ctx.config.breachReminderDays) }))
      .filter((x): x is { d: OpenStateDeadline; stage: ReminderStage } => x.stage !== null);
    if (owed.length === 0) return { before: 0, overdue: 0, mails: 0 };
    const now = this.#ctx.clock.now().toISOString();
    const base = `${this.#ctx.config.publicUrl}/staff/incidents`;
    return this.#ctx.store.db.transaction().execute(async (trx) => {
      const sent = await trx
        .selectFrom('incident_state_reminders')
        .select(['incident_id', 'state', 'kind', 'stage', 'deadline_at'])
        .where(
          'incident_id',
          'in',
          owed.map((x) => x.d.incidentId),
        )
        .execute();
      const key = (r: {
        incident_id: string;
        state: string;
        kind: string;
        stage: string;
        deadline_at: string;
      }) => `${r.incident_id} ${r.state} ${r.kind} ${r.stage} ${r.deadline_at}`;
      const done = new Set(sent.map(key));
      const fresh = owed.filter(
        ({ d, stage }) =>
          !done.has(
            key({
              incident_id: d.incidentId,
              state: d.state,
              kind: d.kind,
              stage,
              deadline_at: d.deadlineAt,
            }),
          ),
      );
      if (fresh.length === 0) return { before: 0, overdue: 0, mails: 0 };
      await trx
        .insertInto('incident_state_reminders')
        .values(
          fresh.map(({ d, stage }) => ({
            incident_id: d.incidentId,
            state: d.state,
            kind: d.kind,
            stage,
            deadline_at: d.deadlineAt,
            sent_at: now,
          })),
        )
        .execute();
      const overdue = fresh.filter((x) => x.stage === 'overdue');
      const within = counted(this.#ctx.config.breachReminderDays, 'day');
      const byIncident = new Map<string, typeof fresh>();
      for (const x of fresh) byIncident.set(x.d.incidentId, [...(byIncident.get(x.d.incidentId) ?? []), x]);
      const text = [
        overdue.length
          ? 'A US state breach notice is past its deadline, or one comes due soon. Give it, then record it on the incident.'
          : `A US state breach notice comes due within ${within}. Give it, then record it on the incident.`,
        '',
        ...[...byIncident].flatMap(([id, xs]) => [
          `Incident ${base}/${id}`,
          ...xs.map(({ d, stage }) => line(d, stage)),
          '',
        ]),
        'Vow reminds once before each deadline and once when it passes; a notice recorded gets no reminder.',
      ].join('\n');
      const subject = overdue.length
        ? `Vow: ${overdue.length} US state breach ${overdue.length === 1 ? 'notice' : 'notices'} overdue`
        : `Vow: ${fresh.length} US state breach ${fresh.length === 1 ? 'notice' : 'notices'} due within ${within}`;
      const ids = await this.#mail.enqueueAll(
        this.#officers().map((to) => ({ to, kind: STATE_REMINDER_MAIL_KIND, subject, text })),
        trx,
      );
      return { before: fresh.length - overdue.length, overdue: overdue.length, mails: ids.length };
    });
  }
}
