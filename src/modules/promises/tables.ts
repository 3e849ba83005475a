// Tables of the promise monitor: the history of every run per promise, the findings open now, the
// change journal the triggers fill, the watermarks of incremental runs, and the runs themselves.
export interface PromiseTables {
  promise_checks: {
    id: string;
    run_id: string;
    promise: string;
    status: string;
    count: number;
    /** JSON array of offending records, `table:row` (at most 20). */
    ids: string;
    note: string;
    checked_at: string;
  };
  /** What breaks a promise now: one row per violation, replaced whenever its scope is checked again. */
  promise_findings: {
    id: string;
    /** The family of checks that found it (consent, disclosures, leftovers, ...). */
    family: string;
    /** The unit checked again as a whole: a person or visitor ref, `row:<table>:<key>`, or `all`. */
    scope: string;
    promise: string;
    tbl: string;
    row_id: string;
    /** The rule broken (stable id, e.g. `consent.state_equals_fold`). */
    rule: string;
    /** Why, in words, without a personal value. */
    reason: string;
    /** JSON object of the values that break the rule (ids, codes, states, dates; never a personal value). */
    detail: string;
    first_seen_at: string;
    last_seen_at: string;
  };
  /**
   * The change journal: a person, visitor or row written since the last check (filled by triggers
   * the monitor installs on the tables it checks); `n` counts the writes, so a check clears only the
   * entries it saw.
   */
  promise_changes: { ref: string; n: number };
  /** Watermarks of incremental runs (the audit sequence verified, the last ids read, ...). */
  promise_marks: { name: string; value: string; updated_at: string };
  /** One row per run: full or incremental, how long, how much was checked. */
  promise_runs: {
    id: string;
    mode: string;
    started_at: string;
    duration_ms: number;
    scopes: number;
    findings: number;
    /** JSON array of the promises broken after the run. */
    broken: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends PromiseTables {}
}
