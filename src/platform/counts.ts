// A count in English words: "1 problem", "2 problems". Apart from strings.ts, which loads zod, so the
// command line's start (src/cli/main.ts) can word its counts without loading it.

/** A count's noun in the count's number: "row" for 1, "rows" otherwise (`many` for other plurals). */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** A count in words: "1 row", "2 rows" (`many` for plurals other than an added s). */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${noun(count, one, many)}`;
}
