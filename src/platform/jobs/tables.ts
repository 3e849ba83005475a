// Tables of the durable job runner (src/jobs).

/** Status of a job: waiting to run, claimed by a worker (under a lease), finished, or given up on. */
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobTables {
  jobs: {
    id: string;
    /** The definition's namespaced id, e.g. `rights.fulfil`. */
    name: string;
    /** The definition version the job was enqueued under. */
    version: number;
    /** JSON payload (ids only: never a personal value). */
    payload: string;
    /** At most one job per key (e.g. the request id), so a request's job never runs twice. */
    idempotency_key: string | null;
    status: JobStatus;
    attempts: number;
    max_attempts: number;
    run_at: string;
    /** The claim token of the worker holding the lease; a stale worker cannot finish the job. */
    claim_token: string | null;
    locked_by: string | null;
    lease_expires_at: string | null;
    /** Error code or name of the last failure (never a message that could quote a value). */
    last_error: string | null;
    /** JSON result of a finished job (ids and counts only). */
    result: string | null;
    created_at: string;
    updated_at: string;
    finished_at: string | null;
  };
  /** Steps a job has finished, so a job taken again after a crash skips them (checkpoints). */
  job_steps: {
    job_id: string;
    step: string;
    result: string;
    at: string;
  };
}

declare module '../store/database.js' {
  interface Database extends JobTables {}
}
