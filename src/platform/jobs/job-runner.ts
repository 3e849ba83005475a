// The durable, store-backed job runner: jobs survive crashes and restarts, are claimed by one
// worker at a time under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, a compare-and-set in a
// transaction on SQLite), are taken again when a worker's lease expires, and never run twice for
// one idempotency key. Steps inside a job are checkpointed so a retried job skips finished work.
//
// The lease is short (20 s by default) and renewed by a heartbeat (every 5 s) while the job runs,
// so a long job keeps it and a crashed worker's job is taken again within a lease and a poll of the
// crash (issue 14: a deletion resumed only after 5 minutes).
import type { Transaction } from 'kysely';
import { isVowError, VowError } from '../errors.js';
import { type Database, insertRows } from '../store/index.js';
import type { JobContext, JobDefinition } from './define-job.js';
import {
  type Db,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LEASE_MS,
  describeError,
  type EnqueueInput,
  type JobRunnerDeps,
  type JobRunnerOptions,
  type JobView,
  type RunOutcome,
  realTicker,
  type Ticker,
  toView,
  type UnkeyedEnqueueInput,
} from './runner-types.js';
import type { JobStatus } from './tables.js';

export class JobRunner {
  readonly #deps: JobRunnerDeps;
  readonly #definitions = new Map<string, JobDefinition<unknown>>();
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #ticker: Ticker;
  readonly #pollMs: number;
  readonly workerId: string;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** With `onlyOwnJobs`: the ids of the unfinished jobs this runner enqueued. */
  readonly #own: Set<string> | undefined;

  constructor(deps: JobRunnerDeps, options: JobRunnerOptions = {}) {
    this.#deps = deps;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (this.#heartbeatMs < 0 || (this.#heartbeatMs > 0 && this.#heartbeatMs * 2 > this.#leaseMs))
      throw new Error('A job heartbeat must renew the lease at least twice per lease');
    this.#ticker = options.ticker ?? realTicker;
    this.#pollMs = options.pollMs ?? 1000;
    this.workerId = options.workerId ?? `worker-${deps.random.bytes(4).toString('hex')}`;
    this.#own = options.onlyOwnJobs ? new Set() : undefined;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** Registers a definition; its id must be unique. */
  register<P>(definition: JobDefinition<P>): void {
    if (this.#definitions.has(definition.id)) throw new Error(`Job ${definition.id} is registered twice`);
    this.#definitions.set(definition.id, definition as JobDefinition<unknown>);
  }

  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  #now(): string {
    return this.#deps.clock.now().toISOString();
  }

  /** A new job's row, its payload checked against its definition. */
  #newRow(input: EnqueueInput) {
    const def = this.#definitions.get(input.name);
    if (!def)
      throw new VowError('VOW_JOB_UNKNOWN', `No job definition "${input.name}"`, { name: input.name });
    const parsed = def.schema.safeParse(input.payload);
    if (!parsed.success) {
      throw new VowError('VOW_JOB_PAYLOAD_INVALID', `Invalid payload for job ${input.name}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const now = this.#now();
    return {
      id: this.#deps.random.uuid(),
      name: def.id,
      version: def.version,
      payload: JSON.stringify(parsed.data),
      idempotency_key: input.idempotencyKey ?? null,
      status: 'pending' as JobStatus,
      attempts: 0,
      max_attempts: input.maxAttempts ?? def.maxAttempts ?? 5,
      run_at: (input.runAt ?? this.#deps.clock.now()).toISOString(),
      claim_token: null,
      locked_by: null,
      lease_expires_at: null,
      last_error: null,
      result: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
  }

  /**
   * Adds a job (in the caller's transaction when given, so it commits with the change that asked
   * for it). With an idempotency key, an existing job of that key is returned instead.
   */
  async enqueue(input: EnqueueInput, trx?: Transaction<Database>): Promise<{ id: string; created: boolean }> {
    const db: Db = trx ?? this.#deps.store.db;
    const fresh = this.#newRow(input);
    const id = fresh.id;
    const insert = db.insertInto('jobs').values(fresh);
    if (input.idempotencyKey === undefined) {
      await insert.execute();
      this.#own?.add(id);
      return { id, created: true };
    }
    await insert.onConflict((oc) => oc.column('idempotency_key').doNothing()).execute();
    const row = await db
      .selectFrom('jobs')
      .select('id')
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirstOrThrow();
    // A job that existed already under this key is someone else's.
    if (row.id === id) this.#own?.add(id);
    return { id: row.id, created: row.id === id };
  }

  /**
   * `enqueue` of several jobs without an idempotency key, in the caller's transaction, in multi-row
   * inserts (a batch of consent events, a job each); their ids, in order. A keyed job (refused by
   * the type, and at run time for untyped callers, before anything is written) goes through
   * `enqueue`, whose key is looked up.
   */
  async enqueueMany(inputs: readonly UnkeyedEnqueueInput[], trx: Transaction<Database>): Promise<string[]> {
    const keyed = inputs.findIndex((input) => input.idempotencyKey !== undefined);
    if (keyed >= 0)
      throw new VowError('VOW_JOB_BATCH_KEYED', 'A job enqueued with others has an idempotency key', {
        index: keyed,
        name: inputs[keyed]!.name,
      });
    const rows = inputs.map((input) => this.#newRow(input));
    await insertRows(trx, this.#deps.store.dialect, 'jobs', rows);
    for (const r of rows) this.#own?.add(r.id);
    return rows.map((r) => r.id);
  }

  async get(id: string): Promise<JobView | undefined> {
    const row = await this.#deps.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  async findByKey(idempotencyKey: string): Promise<JobView | undefined> {
    const row = await this.#deps.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  async list(options: { status?: JobStatus; name?: string; limit?: number } = {}): Promise<JobView[]> {
    let q = this.#deps.store.db.selectFrom('jobs').selectAll().orderBy('created_at', 'asc');
    if (options.status) q = q.where('status', '=', options.status);
    if (options.name) q = q.where('name', '=', options.name);
    return (await q.limit(options.limit ?? 200).execute()).map(toView);
  }

  /** Deletes finished (done or failed) jobs and their checkpoints older than `ageMs`; returns how many. */
  async prune(ageMs: number): Promise<number> {
    const cutoff = new Date(this.#deps.clock.now().getTime() - ageMs).toISOString();
    return this.#deps.store.db.transaction().execute(async (trx) => {
      const old = trx
        .selectFrom('jobs')
        .select('id')
        .where('status', 'in', ['done', 'failed'])
        .where('finished_at', '<', cutoff);
      await trx.deleteFrom('job_steps').where('job_id', 'in', old).execute();
      const res = await trx
        .deleteFrom('jobs')
        .where('status', 'in', ['done', 'failed'])
        .where('finished_at', '<', cutoff)
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    });
  }

  /**
   * Claims one due job (pending and due, or running with an expired lease) for this worker; of the
   * named definitions only, when `names` is given.
   */
  async #claim(names?: readonly string[]): Promise<{ row: Database['jobs']; token: string } | undefined> {
    const defs = [...this.#definitions.values()].filter((d) => names === undefined || names.includes(d.id));
    if (defs.length === 0) return undefined;
    const own = this.#own ? [...this.#own] : undefined;
    if (own?.length === 0) return undefined;
    const { store, random } = this.#deps;
    const now = this.#now();
    const token = random.uuid();
    const lease = new Date(this.#deps.clock.now().getTime() + this.#leaseMs).toISOString();
    return store.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('jobs')
        .select(['id'])
        // A job enqueued by a newer version of its definition waits for a process that has it
        // (rolling deploys): this one only takes versions it knows.
        .where((eb) =>
          eb.or(defs.map((d) => eb.and([eb('name', '=', d.id), eb('version', '<=', d.version)]))),
        )
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
            eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<=', now)]),
          ]),
        )
        .orderBy('run_at', 'asc')
        .orderBy('created_at', 'asc')
        .limit(1);
      if (own) q = q.where('id', 'in', own);
      if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const candidate = await q.executeTakeFirst();
      if (!candidate) return undefined;
      // Compare-and-set: only one worker's update matches the row as it was when it was chosen.
      const res = await trx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          claim_token: token,
          locked_by: this.workerId,
          lease_expires_at: lease,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', candidate.id)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
            eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<=', now)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return undefined;
      const row = await trx
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', candidate.id)
        .executeTakeFirstOrThrow();
      return { row, token };
    });
  }

  /**
   * The heartbeat: extends the lease of a job this worker still holds (its claim token unchanged:
   * nobody took it over). False once the job was lost, so the heartbeat stops.
   */
  async #renew(id: string, token: string): Promise<boolean> {
    const now = this.#deps.clock.now();
    const res = await this.#deps.store.db
      .updateTable('jobs')
      .set({ lease_expires_at: new Date(now.getTime() + this.#leaseMs).toISOString() })
      .where('id', '=', id)
      .where('claim_token', '=', token)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Renews the lease every heartbeat while the job runs; returns the function that stops it. */
  #startHeartbeat(row: Database['jobs'], token: string): () => void {
    if (this.#heartbeatMs === 0) return () => {};
    let busy = false;
    let stopped = false;
    const stop = this.#ticker(async () => {
      if (busy || stopped) return;
      busy = true;
      await this.#renew(row.id, token)
        .then(
          (held) => {
            if (!held) {
              stopped = true;
              stop();
            }
          },
          // A failed renewal (the database briefly out of reach) is retried at the next beat.
          (err: unknown) =>
            this.#deps.logger.warn({ job: row.id, error: describeError(err) }, 'lease renewal failed'),
        )
        .finally(() => {
          busy = false;
        });
    }, this.#heartbeatMs);
    return () => {
      stopped = true;
      stop();
    };
  }

  /** Checks (and extends) this worker's hold on a job, inside `db`; throws when it was lost. */
  async #fence(db: Db, id: string, token: string): Promise<void> {
    const now = this.#deps.clock.now();
    const res = await db
      .updateTable('jobs')
      .set({
        lease_expires_at: new Date(now.getTime() + this.#leaseMs).toISOString(),
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('claim_token', '=', token)
      .where('status', '=', 'running')
      .where('lease_expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw new VowError('VOW_JOB_LEASE_LOST', 'This worker no longer holds the job', { job: id });
    }
  }

  #context(row: Database['jobs'], token: string): JobContext {
    const { store } = this.#deps;
    const context: JobContext = {
      id: row.id,
      attempt: Number(row.attempts),
      heartbeat: () => this.#fence(store.db, row.id, token),
      once: async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        const done = await store.db
          .selectFrom('job_steps')
          .select('result')
          .where('job_id', '=', row.id)
          .where('step', '=', name)
          .executeTakeFirst();
        if (done) return JSON.parse(done.result) as T;
        const value = await fn();
        return context.step(name, async () => value);
      },
      step: async <T>(name: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> => {
        const done = await store.db
          .selectFrom('job_steps')
          .select('result')
          .where('job_id', '=', row.id)
          .where('step', '=', name)
          .executeTakeFirst();
        if (done) return JSON.parse(done.result) as T;
        return store.db.transaction().execute(async (trx) => {
          // Taking the job row first serialises steps of one job across workers (row lock on
          // PostgreSQL, the write lock on SQLite) and refuses a worker whose lease is gone.
          await this.#fence(trx, row.id, token);
          const again = await trx
            .selectFrom('job_steps')
            .select('result')
            .where('job_id', '=', row.id)
            .where('step', '=', name)
            .executeTakeFirst();
          if (again) return JSON.parse(again.result) as T;
          const result = await fn(trx);
          await trx
            .insertInto('job_steps')
            .values({ job_id: row.id, step: name, result: JSON.stringify(result ?? null), at: this.#now() })
            .execute();
          return result;
        });
      },
    };
    return context;
  }

  /** Claims and runs one due job (of the named definitions, when given); null when none is due. */
  async runOnce(names?: readonly string[]): Promise<RunOutcome | null> {
    const claimed = await this.#claim(names);
    if (!claimed) return null;
    const { row, token } = claimed;
    const { store, logger } = this.#deps;
    const def = this.#definitions.get(row.name)!;
    let outcome: RunOutcome['status'];
    const stopHeartbeat = this.#startHeartbeat(row, token);
    try {
      const payload = def.schema.parse(JSON.parse(row.payload));
      const result = await def.handler(payload, this.#context(row, token));
      stopHeartbeat();
      const now = this.#now();
      const res = await store.db
        .updateTable('jobs')
        .set({
          status: 'done',
          result: JSON.stringify(result ?? null),
          claim_token: null,
          lease_expires_at: null,
          last_error: null,
          updated_at: now,
          finished_at: now,
        })
        .where('id', '=', row.id)
        .where('claim_token', '=', token)
        .executeTakeFirst();
      outcome = Number(res.numUpdatedRows) === 1 ? 'done' : 'lease_lost';
    } catch (err) {
      stopHeartbeat();
      if (isVowError(err) && err.code === 'VOW_JOB_LEASE_LOST') {
        outcome = 'lease_lost';
      } else {
        const attempts = Number(row.attempts);
        const giveUp = attempts >= Number(row.max_attempts);
        const backoffMs = Math.min(60 * 60_000, 30_000 * 2 ** (attempts - 1));
        const now = this.#deps.clock.now();
        const res = await store.db
          .updateTable('jobs')
          .set({
            status: giveUp ? 'failed' : 'pending',
            run_at: giveUp ? row.run_at : new Date(now.getTime() + backoffMs).toISOString(),
            claim_token: null,
            locked_by: null,
            lease_expires_at: null,
            last_error: describeError(err),
            updated_at: now.toISOString(),
            finished_at: giveUp ? now.toISOString() : null,
          })
          .where('id', '=', row.id)
          .where('claim_token', '=', token)
          .executeTakeFirst();
        outcome = Number(res.numUpdatedRows) !== 1 ? 'lease_lost' : giveUp ? 'failed' : 'pending';
        logger.warn(
          { job: row.id, name: row.name, attempt: attempts, error: describeError(err) },
          'job failed',
        );
      }
    }
    if (outcome === 'lease_lost')
      logger.warn({ job: row.id, name: row.name }, 'job lease lost to another worker');
    if (outcome !== 'pending') this.#own?.delete(row.id);
    return { id: row.id, name: row.name, status: outcome };
  }

  /**
   * Runs due jobs (of the named definitions, when given) until none is left (or `limit` runs);
   * returns how many ran. For tests and the CLI.
   */
  async drain(limit = 1000, names?: readonly string[]): Promise<number> {
    let n = 0;
    while (n < limit && (await this.runOnce(names))) n++;
    return n;
  }

  /** Starts polling in the background (`vow serve`); `stop()` waits for the job in hand. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        let ran: RunOutcome | null = null;
        try {
          ran = await this.runOnce();
        } catch (err) {
          this.#deps.logger.error({ error: describeError(err) }, 'job runner could not claim a job');
        }
        if (ran || !this.#running) continue;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#timer = setTimeout(resolve, this.#pollMs);
          this.#timer.unref?.();
        });
      }
    })();
  }

  /** Nudges a sleeping runner to poll now (after an enqueue). */
  wake(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
  }
}
