// Queries on hot paths whose SQL only depends on their shape (how many rows, how many values in an
// IN list), not on their values: Kysely builds and compiles each one the first time its shape is
// seen, and the SQL text is reused with the new values after that. Building and compiling a small
// query took longer than running it (the measurements batch: 6-8 µs per query, 225 values a batch).
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './database.js';

type Executor = Pick<Kysely<Database>, 'executeQuery'>;

export class QueryShapes {
  readonly #sql = new Map<string, string>();
  readonly #limit: number;

  /** `limit`: the most shapes kept (a caller's shapes are a small fixed set; this is a backstop). */
  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /**
   * Runs the query `build` makes, with `parameters` in the order its compiled form takes them. The
   * first time a shape is seen, the query is built and its compiled parameters are checked to be
   * exactly `parameters`, in order: a shape whose parameters a caller lists differently fails there,
   * at once, instead of storing values in the wrong columns later.
   */
  async execute<R>(
    db: Executor,
    shape: string,
    parameters: readonly unknown[],
    build: () => Compilable<R>,
  ): Promise<QueryResult<R>> {
    const text = this.#sql.get(shape);
    if (text !== undefined)
      return db.executeQuery(CompiledQuery.raw(text, parameters as unknown[]) as CompiledQuery<R>);
    const compiled = build().compile();
    const same =
      compiled.parameters.length === parameters.length &&
      compiled.parameters.every((p, i) => Object.is(p, parameters[i]));
    if (!same)
      throw new Error(`Query shape "${shape}": the parameters given are not the compiled query's, in order`);
    if (this.#sql.size >= this.#limit) this.#sql.clear();
    this.#sql.set(shape, compiled.sql);
    return db.executeQuery(compiled);
  }
}
