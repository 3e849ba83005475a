// The PostgreSQL driver, loaded the first time a PostgreSQL database is opened (Vow's own store on
// PostgreSQL, or a shop database the datasets module reads): a process on SQLite never loads it.
import { createRequire } from 'node:module';
import type pg from 'pg';

let driver: typeof pg | undefined;

export function pgDriver(): typeof pg {
  if (!driver) {
    driver = createRequire(import.meta.url)('pg') as typeof pg;
    // PostgreSQL returns BIGINT (int8) and NUMERIC as strings by default; Vow's counters fit a double.
    driver.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return driver;
}
