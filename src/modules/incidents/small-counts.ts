// Small counts of people, as the roles that read the register without counting it see them. How many
// people Vow could not write to because they have no email address, or were erased since the breach,
// is shown on the incident's page to customer service and the auditor too; a count of one or two in a
// breach they know the shape of can point at a person (who asked to be erased, who gave no address).
// Below SMALL_COUNT they read "fewer than 5"; the privacy officer sees the exact counts.
/** Counts of people below this are shown to roles other than the privacy officer as "fewer than" it. */
export const SMALL_COUNT = 5;

/** A count of people as a reader sees it: exact, or only that it is below `fewerThan`. */
export type ShownCount = number | { readonly fewerThan: number };

/** Counts of people without an address and erased since (Vow's mail, Art. 34), as a reader sees them. */
export type ShownProgress<P extends { readonly noAddress: number; readonly erased: number }> = Omit<
  P,
  'noAddress' | 'erased'
> & { readonly noAddress: ShownCount; readonly erased: ShownCount };

/** `n` for the privacy officer; for another role, `n` from SMALL_COUNT up, else "fewer than". */
export function shownCount(n: number, privacyOfficer: boolean): ShownCount {
  return privacyOfficer || n >= SMALL_COUNT ? n : { fewerThan: SMALL_COUNT };
}

/** The progress as the reader sees it: people without an address and people erased since, withheld below SMALL_COUNT. */
export function shownProgress<P extends { readonly noAddress: number; readonly erased: number }>(
  p: P,
  privacyOfficer: boolean,
): ShownProgress<P> {
  return {
    ...p,
    noAddress: shownCount(p.noAddress, privacyOfficer),
    erased: shownCount(p.erased, privacyOfficer),
  };
}

/** A count as the audit trail keeps it for its readers (the auditor among them): a number, or "fewer than 5". */
export function auditedCount(n: number): number | string {
  const shown = shownCount(n, false);
  return typeof shown === 'number' ? shown : `fewer than ${shown.fewerThan}`;
}
