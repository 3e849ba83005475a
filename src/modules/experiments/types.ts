// What a layout experiment is: its layouts (variants) with weights, its definition and a visitor's assignment.

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
}

export interface NewExperiment {
  readonly id: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly variants: Variant[];
  readonly minSamplePerArm?: number | undefined;
  readonly currency?: string | undefined;
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
