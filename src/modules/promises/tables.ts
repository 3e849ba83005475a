// Tables of the promise monitor: the history of every check run.
export interface PromiseTables {
  promise_checks: {
    id: string;
    run_id: string;
    promise: string;
    status: string;
    count: number;
    /** JSON array of offending record ids (at most 20). */
    ids: string;
    note: string;
    checked_at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends PromiseTables {}
}
