// The under-13 gate (P14): a collection whose own data shows the person is under 13 is refused
// before anything is stored. An age range such as "under_18" does not prove it and passes.
import { VowError } from '../../platform/errors.js';

export interface AgeFields {
  readonly birth_date?: string | undefined;
  readonly age?: number | undefined;
}

/** The oldest age a body may state (`age` is capped the same in the schemas). */
export const MAX_AGE = 150;

/** Whole years between a YYYY-MM-DD birth date and `now` (UTC). */
export function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let years = now.getUTCFullYear() - y;
  const month = now.getUTCMonth() + 1;
  if (month < m || (month === m && now.getUTCDate() < d)) years--;
  return years;
}

/** Throws VOW_UNDER_13 when any of the stated ages or birth dates shows a person under 13. */
export function assertNotUnder13(people: readonly (AgeFields | undefined)[], now: Date): void {
  for (const p of people) {
    if (!p) continue;
    if (p.birth_date !== undefined) {
      const years = ageOn(p.birth_date, now);
      if (years < 0)
        throw new VowError('VOW_VALIDATION', 'Invalid request body', {
          issues: [{ path: '/birth_date', message: 'a birth date in the future' }],
        });
      // The same bound as a stated `age` (at most 150): year 0001 is a typo, not a person.
      if (years > MAX_AGE)
        throw new VowError('VOW_VALIDATION', 'Invalid request body', {
          issues: [{ path: '/birth_date', message: `a birth date more than ${MAX_AGE} years ago` }],
        });
      if (years < 13) throw under13();
    }
    if (p.age !== undefined && p.age < 13) throw under13();
  }
}

function under13(): VowError {
  return new VowError('VOW_UNDER_13', 'Vow does not collect data from people known to be under 13');
}
