// A store for @fastify/rate-limit kept in the database, so a limit holds across every process
// behind one address (issue 8). Windows are fixed and aligned to the clock (every process agrees
// where a window starts); one upsert per limited request counts and reads in one round trip.
// Used on PostgreSQL; a SQLite store is served by one process, which keeps its counts in memory.
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Store } from '../store/index.js';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** Old windows are swept now and then (about one request in this many). */
const SWEEP_EVERY = 500;

export function databaseRateLimitStore(store: Store, clock: Clock) {
  let calls = 0;
  return class DatabaseRateLimitStore {
    readonly #prefix: string;

    constructor(options?: { routeInfo?: { method?: string | string[]; url?: string } }) {
      const route = options?.routeInfo;
      const method = Array.isArray(route?.method) ? route.method.join(',') : (route?.method ?? '*');
      this.#prefix = `${method} ${route?.url ?? '*'} `;
    }

    incr(key: string, cb: Callback, timeWindow: number): void {
      const now = clock.now().getTime();
      const windowStart = Math.floor(now / timeWindow) * timeWindow;
      const k = this.#prefix + key;
      void sql<{ count: number }>`
        insert into rate_limit_counters (key, window_start, count) values (${k}, ${windowStart}, 1)
        on conflict (key) do update set
          count = case when rate_limit_counters.window_start = excluded.window_start
                       then rate_limit_counters.count + 1 else 1 end,
          window_start = excluded.window_start
        returning count`
        .execute(store.db)
        .then((r) => {
          cb(null, { current: Number(r.rows[0]!.count), ttl: windowStart + timeWindow - now });
          if (++calls % SWEEP_EVERY === 0)
            void store.db
              .deleteFrom('rate_limit_counters')
              .where('window_start', '<', now - 24 * 3_600_000)
              .execute()
              .catch(() => {});
        }, cb);
    }

    child(options: { routeInfo?: { method?: string | string[]; url?: string } }) {
      return new DatabaseRateLimitStore(options);
    }
  };
}
