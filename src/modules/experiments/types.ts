// What a layout experiment is: its layouts (variants) with weights, its definition, its plan (the
// sample it needs to detect an effect) and a visitor's assignment.

/** The metrics each layout is measured by, per exposed visitor. */
export const METRICS = ['visit_duration_ms', 'conversion_rate', 'revenue_per_visitor_cents'] as const;
export type Metric = (typeof METRICS)[number];

export interface Variant {
  readonly id: string;
  readonly weight: number;
  readonly description?: string | undefined;
}

export interface Experiment {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly variants: Variant[];
  readonly minSamplePerArm: number;
  readonly currency: string;
  readonly status: 'running' | 'stopped';
  readonly createdAt: string;
  readonly stoppedAt: string | null;
  /** The power calculation made when it was defined, if a plan was given. */
  readonly plan: ExperimentPlan | null;
}

/** What staff expect, to size an experiment before it starts. */
export interface PlanInput {
  /** The metric the decision rests on. */
  readonly metric: Metric;
  /** The control's expected mean (for conversion_rate, a rate between 0 and 1). */
  readonly baseline: number;
  /** The per-visitor standard deviation (needed except for conversion_rate). */
  readonly sd?: number | undefined;
  /** The smallest absolute difference worth detecting (e.g. 0.01 for one point of conversion). */
  readonly mde: number;
  /** The chance to detect it if it is there (default 0.8). */
  readonly power?: number | undefined;
}

/** A power calculation: the visitors every comparison with the control needs to detect `mde`. */
export interface ExperimentPlan {
  readonly metric: Metric;
  readonly baseline: number;
  /** null for a rate (derived from it). */
  readonly sd: number | null;
  readonly mde: number;
  readonly power: number;
  /** The family-wise level of the results (0.05). */
  readonly alpha: number;
  /** The level of each comparison: α split over every comparison the results adjust together (Bonferroni, Holm's first step). */
  readonly alphaPerComparison: number;
  /** Visitors needed for a fixed-horizon test; a sequential test needs somewhat more on average when there is no effect. */
  readonly sampleSize: { readonly total: number; readonly perArm: Readonly<Record<string, number>> };
}

export interface NewExperiment {
  readonly id: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly variants: Variant[];
  readonly minSamplePerArm?: number | undefined;
  readonly currency?: string | undefined;
  readonly plan?: PlanInput | undefined;
}

export interface Assignment {
  readonly experimentId: string;
  readonly variant: string;
  /** MurmurHash3 x86 32 (seed 0) of `experimentId:cookieId`. */
  readonly hash: number;
  /** hash / 2^32, in [0, 1). */
  readonly position: number;
  readonly status: 'running' | 'stopped';
  /** Whether the visitor granted layout experiments (consent channel cookies.experiments). */
  readonly consented: boolean;
  /**
   * The layout to show: the assigned variant while the experiment runs and the visitor consented;
   * otherwise the control (first layout), so no one is put in an experiment without consent.
   */
  readonly layout: string;
}
