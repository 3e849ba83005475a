// PostgreSQL array parameters as the text the `pg` driver would send for them (its arrayString),
// byte for byte, built with one join instead of two regular expressions and several strings a
// value: the bulk inserts' columns (pgArrays) and every other query's array parameters (the
// `= any($1::text[])` look-ups, namingClient).

/** What needs a backslash inside an array literal's double quotes. */
const ARRAY_SPECIAL = /["\\]/;

/**
 * An array of text, numbers and nulls as the driver's arrayString writes it; any other array (of
 * Buffers, dates, booleans, arrays, undefined) as it is, for the driver to write.
 */
export function arrayLiteral<V>(values: readonly V[]): string | readonly V[] {
  let plain = true;
  for (const v of values) {
    if (typeof v === 'string') {
      if (plain && ARRAY_SPECIAL.test(v)) plain = false;
    } else if (v === null) plain = false;
    else if (typeof v !== 'number' && typeof v !== 'bigint') return values;
  }
  if (values.length === 0) return '{}';
  if (plain) return `{"${values.join('","')}"}`;
  return `{${values
    .map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`))
    .join(',')}}`;
}
