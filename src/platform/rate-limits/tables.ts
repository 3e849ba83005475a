// Tables that let several Vow processes share state through one PostgreSQL (issue 8).

export interface RateLimitTables {
  /** Fixed-window rate-limit counters shared by every process: one row per route and key. */
  rate_limit_counters: {
    /** `<method> <route> <client key>`; the client key is the address (never personal data). */
    key: string;
    /** Start of the current window, epoch milliseconds (windows are aligned, so processes agree). */
    window_start: number;
    count: number;
  };
}

declare module '../store/database.js' {
  interface Database extends RateLimitTables {}
}
