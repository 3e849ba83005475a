// Layout experiments (P17): definitions with their power calculation, deterministic assignment,
// exposures logged only under the visitor's layout-experiment consent, and per-layout results
// (visit duration, conversion rate, revenue per visitor) computed in results.ts.
import { type Kysely, sql } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import { currentStates } from '../consent/index.js';
import type { VowContext } from '../policy/index.js';
import { assignmentHash, pickVariant } from './assignment-hash.js';
import { type MeasuredEvent, PRE_EXPOSURE_DAYS, samplesOf } from './outcomes.js';
import { planExperiment, powerCalculation } from './plan.js';
import { analyse, type ExperimentResults } from './results.js';
import type { Assignment, Experiment, ExperimentPlan, NewExperiment, Variant } from './types.js';

/** The consent channel a visitor grants layout experiments through (policy: cookies.experiments). */
export const EXPERIMENT_CHANNEL = 'cookies.experiments';

interface ExperimentRow {
  id: string;
  name: string;
  description: string;
  variants: string;
  min_sample_per_arm: number;
  currency: string;
  status: 'running' | 'stopped';
  created_at: string;
  stopped_at: string | null;
  plan: string | null;
}

function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    variants: JSON.parse(row.variants) as Variant[],
    minSamplePerArm: Number(row.min_sample_per_arm),
    currency: row.currency,
    status: row.status,
    createdAt: row.created_at,
    stoppedAt: row.stopped_at,
    plan: row.plan === null ? null : (JSON.parse(row.plan) as ExperimentPlan),
  };
}

/** Answers whether a visitor (by cookie id) granted a consent channel; the cookie consent service. */
export interface VisitorConsentCheck {
  granted(cookieId: string, channel: string): Promise<boolean>;
}

export class ExperimentService {
  readonly #ctx: VowContext;
  readonly #consent: VisitorConsentCheck | undefined;

  /**
   * `consent` is the cookie consent service (grants under an older consentVersion lapse); without
   * it the consent ledger's current state is read directly.
   */
  constructor(ctx: VowContext, consent?: VisitorConsentCheck) {
    this.#ctx = ctx;
    this.#consent = consent;
  }

  get #db(): Kysely<Database> {
    return this.#ctx.store.db;
  }

  async create(input: NewExperiment, actor: AuditEntry['actor']): Promise<Experiment> {
    const ids = input.variants.map((v) => v.id);
    if (new Set(ids).size !== ids.length) {
      throw new VowError('VOW_EXPERIMENT_INVALID', 'Two layouts share an id', { variants: ids });
    }
    if (input.variants.length < 2) {
      throw new VowError('VOW_EXPERIMENT_INVALID', 'An experiment needs two or more layouts');
    }
    if (input.variants.some((v) => !Number.isInteger(v.weight) || v.weight < 1 || v.weight > 10_000)) {
      throw new VowError('VOW_EXPERIMENT_INVALID', 'Weights must be whole numbers from 1 to 10000');
    }
    // The power calculation, when staff said what they expect (refused if it cannot be computed).
    const plan = input.plan ? planExperiment(input.variants, input.plan) : null;
    const now = this.#ctx.clock.now().toISOString();
    const row: ExperimentRow & { created_by: string | null } = {
      id: input.id,
      name: input.name,
      description: input.description ?? '',
      variants: JSON.stringify(
        input.variants.map((v) => ({
          id: v.id,
          weight: v.weight,
          ...(v.description === undefined ? {} : { description: v.description }),
        })),
      ),
      min_sample_per_arm: input.minSamplePerArm ?? 100,
      currency: input.currency ?? 'USD',
      status: 'running',
      created_at: now,
      created_by: actor.id ?? null,
      stopped_at: null,
      plan: plan === null ? null : JSON.stringify(plan),
    };
    await this.#db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('experiments')
        .select('id')
        .where('id', '=', input.id)
        .executeTakeFirst();
      if (existing)
        throw new VowError('VOW_EXPERIMENT_EXISTS', 'An experiment with this id exists', { id: input.id });
      await trx.insertInto('experiments').values(row).execute();
      await this.#ctx.audit.record(
        {
          actor,
          action: 'experiment.created',
          target: { type: 'experiment', id: input.id },
          reason: 'Layout experiment defined (P17)',
          details: { variants: input.variants.map((v) => ({ id: v.id, weight: v.weight })) },
        },
        trx,
      );
    });
    return toExperiment(row);
  }

  /**
   * The power calculator, before an experiment exists: the visitors needed to detect `mde`, or the
   * effect `visitors` can detect, for these layouts at the level their results use.
   */
  power(variants: readonly Variant[], input: Parameters<typeof powerCalculation>[1]): ExperimentPlan {
    return powerCalculation(variants, input);
  }

  async get(id: string): Promise<Experiment> {
    const row = await this.#db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new VowError('VOW_EXPERIMENT_NOT_FOUND', 'No experiment with this id', { id });
    return toExperiment(row);
  }

  async list(): Promise<Experiment[]> {
    const rows = await this.#db.selectFrom('experiments').selectAll().orderBy('created_at', 'asc').execute();
    return rows.map(toExperiment);
  }

  async stop(id: string, actor: AuditEntry['actor']): Promise<Experiment> {
    const experiment = await this.get(id);
    if (experiment.status === 'stopped') return experiment;
    const now = this.#ctx.clock.now().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('experiments')
        .set({ status: 'stopped', stopped_at: now })
        .where('id', '=', id)
        .execute();
      await this.#ctx.audit.record(
        {
          actor,
          action: 'experiment.stopped',
          target: { type: 'experiment', id },
          reason: 'Layout experiment ended',
        },
        trx,
      );
    });
    return { ...experiment, status: 'stopped', stoppedAt: now };
  }

  /** The layout a cookie id sees; pure arithmetic on the stored definition (no data is written). */
  async assign(id: string, cookieId: string): Promise<Assignment> {
    const experiment = await this.get(id);
    const hash = assignmentHash(experiment.id, cookieId);
    const variant = pickVariant(hash, experiment.variants).id;
    const consented = await this.#granted(cookieId);
    return {
      experimentId: experiment.id,
      variant,
      hash,
      position: hash / 0x1_0000_0000,
      status: experiment.status,
      consented,
      layout: consented && experiment.status === 'running' ? variant : (experiment.variants[0] as Variant).id,
    };
  }

  async #granted(cookieId: string): Promise<boolean> {
    if (this.#consent) return this.#consent.granted(cookieId, EXPERIMENT_CHANNEL);
    const visitorId = this.#ctx.vault.blindIndex('cookie', cookieId);
    return (await currentStates(this.#db, `visitor:${visitorId}`))[EXPERIMENT_CHANNEL] === 'granted';
  }

  /**
   * Records that a visitor saw their layout, only when the visitor granted layout experiments
   * (consent channel cookies.experiments). Only the first exposure counts; the visitor is stored
   * as the blind index of the cookie id, never the id itself.
   */
  async recordExposure(
    id: string,
    cookieId: string,
  ): Promise<{ recorded: boolean; firstExposure: boolean; variant: string; reason?: 'no_consent' }> {
    const experiment = await this.get(id);
    if (experiment.status === 'stopped') {
      throw new VowError('VOW_EXPERIMENT_STOPPED', 'The experiment was stopped', { id });
    }
    const variant = pickVariant(assignmentHash(experiment.id, cookieId), experiment.variants).id;
    const visitorId = this.#ctx.vault.blindIndex('cookie', cookieId);
    if (!(await this.#granted(cookieId))) {
      return { recorded: false, firstExposure: false, variant, reason: 'no_consent' };
    }
    const inserted = await this.#db
      .insertInto('experiment_exposures')
      .values({ experiment_id: id, visitor_id: visitorId, variant, at: this.#ctx.clock.now().toISOString() })
      .onConflict((oc) => oc.columns(['experiment_id', 'visitor_id']).doNothing())
      .executeTakeFirst();
    return { recorded: true, firstExposure: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0, variant };
  }

  /** The results as they stand; reading them is audited when an actor is given (staff). */
  async results(id: string, actor?: AuditEntry['actor']): Promise<ExperimentResults> {
    const out = await this.#results(id);
    if (actor) {
      await this.#ctx.audit.record({
        actor,
        action: 'experiment.results_viewed',
        target: { type: 'experiment', id },
        details: { status: out.status, visitors: out.variants.reduce((n, v) => n + v.visitors, 0) },
      });
    }
    return out;
  }

  async #results(id: string): Promise<ExperimentResults> {
    const experiment = await this.get(id);
    // Visitors who withdrew layout-experiment consent since their exposure leave the results.
    const exposures = (
      await sql<{ visitor_id: string; variant: string; at: string }>`
        select x.visitor_id, x.variant, x.at from experiment_exposures x
        join consent_state c on c.subject_ref = ${'visitor:'} || x.visitor_id
          and c.channel = ${EXPERIMENT_CHANNEL} and c.state = ${'granted'}
        where x.experiment_id = ${id}`.execute(this.#db)
    ).rows;
    const until = experiment.stoppedAt ?? '9999-12-31T23:59:59.999Z';
    // The analytics events (owned by the cookies part) of the exposed visitors: from the days
    // before their first exposure (the CUPED covariate) until the experiment stopped; outcomes.ts
    // splits them at each visitor's exposure.
    const lookback = PRE_EXPOSURE_DAYS * 86_400_000;
    const events = await sql<{
      visitor_id: string;
      type: string;
      at: string;
      duration_ms: number | string | null;
      value_cents: number | string | null;
      currency: string | null;
    }>`select e.visitor_id, e.type, e.at, e.duration_ms, e.value_cents, e.currency
       from analytics_events e
       join experiment_exposures x on x.visitor_id = e.visitor_id and x.experiment_id = ${id}
       where e.at >= ${new Date(Date.parse(experiment.createdAt) - lookback).toISOString()}
         and e.at <= ${until}`.execute(this.#db);
    const byVisitor = new Map<string, MeasuredEvent[]>();
    for (const r of events.rows) {
      const list = byVisitor.get(r.visitor_id) ?? [];
      list.push({
        type: r.type,
        at: r.at,
        durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
        valueCents: r.value_cents === null ? null : Number(r.value_cents),
        currency: r.currency,
      });
      byVisitor.set(r.visitor_id, list);
    }

    return analyse(experiment, samplesOf(experiment, exposures, byVisitor), this.#ctx.clock.now());
  }
}
