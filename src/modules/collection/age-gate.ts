// The under-13 gate (P14): a collection whose own data shows the person is under 13 is refused
// before anything is stored. An age range such as "under_18" does not prove it and passes.
import { VowError } from '../../platform/errors.js';
import { ageOn, assertPlausibleDays } from './day-bounds.js';

export { ageOn, MAX_AGE } from './day-bounds.js';

export interface AgeFields {
  readonly birth_date?: string | undefined;
  readonly age?: number | undefined;
}

/** Throws VOW_UNDER_13 when any of the stated ages or birth dates shows a person under 13. */
export function assertNotUnder13(people: readonly (AgeFields | undefined)[], now: Date): void {
  for (const p of people) {
    if (!p) continue;
    if (p.birth_date !== undefined) {
      // Not in the future, at most 150 years ago (the bound of a stated `age`): year 0001 is a typo.
      assertPlausibleDays([{ field: 'birth_date', day: p.birth_date, kind: 'birth' }], now);
      if (ageOn(p.birth_date, now) < 13) throw under13();
    }
    if (p.age !== undefined && p.age < 13) throw under13();
  }
}

function under13(): VowError {
  return new VowError('VOW_UNDER_13', 'Vow does not collect data from people known to be under 13');
}
