// A list's page cursor in an address (`?after=120`, `?before=80`): the position the previous page
// ended at, written as Vow writes it, digits only. `z.coerce.number()` took '' as 0, '1e3' as 1000,
// '0x10' as 16 and ' 5' as 5, and a list page without a query schema ignored `after` altogether;
// every list with a cursor (console and /v1) now reads it with this one schema and refuses the rest
// (VOW_VALIDATION, the console's "Check the address" page).
import { z } from 'zod';

/** Sequence numbers and line numbers fit in 15 digits (below Number.MAX_SAFE_INTEGER). */
const DIGITS = /^\d{1,15}$/;

/** A cursor: a whole number from `min` written in digits only, as the list's own links write it. */
export function cursor(min = 0) {
  return z
    .string()
    .regex(DIGITS, 'must be a whole number written in digits (the position the previous page ended at)')
    .transform(Number)
    .pipe(z.number().int().min(min));
}
