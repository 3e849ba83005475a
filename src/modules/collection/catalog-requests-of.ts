// A person's catalog requests with their answers as stored (codes, not words), newest first: what
// the staff console's person view shows (src/http/console/person-catalog.ts words them). Names and
// the mailing address are not here: the names are sealed (the view shows them among the person's
// names) and the address is an identifier of the request (subjects' identifiers, by record id).
import type { VowContext } from '../policy/index.js';

/** The catalog form's questions, in the form's order (the columns of catalog_requests). */
export const CATALOG_QUESTIONS = [
  'relationship_status',
  'jewelry_types',
  'budget',
  'age_range',
  'residence_type',
  'gender',
] as const;
export type CatalogQuestion = (typeof CATALOG_QUESTIONS)[number];

export interface CatalogRequestAnswers {
  readonly id: string;
  readonly collectedAt: string;
  /** The policy version the request was collected under. */
  readonly policyVersion: string;
  /** Each answer's code(s) as stored; '' (or [] for jewelry) when the question was not answered. */
  readonly answers: Readonly<Record<Exclude<CatalogQuestion, 'jewelry_types'>, string>> & {
    readonly jewelry_types: readonly string[];
  };
}

/** A stored jewelry list: JSON of codes; anything else (a masked value) is kept as one code. */
function jewelryOf(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (Array.isArray(parsed)) return parsed.filter((x): x is string => typeof x === 'string');
  } catch {
    /* not JSON: shown as stored */
  }
  return stored ? [stored] : [];
}

export async function catalogRequestsOf(
  ctx: VowContext,
  subjectId: string,
): Promise<CatalogRequestAnswers[]> {
  const rows = await ctx.store.db
    .selectFrom('catalog_requests')
    .select([
      'id',
      'collected_at',
      'policy_version',
      'relationship_status',
      'jewelry_types',
      'budget',
      'age_range',
      'residence_type',
      'gender',
    ])
    .where('subject_id', '=', subjectId)
    .orderBy('collected_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    collectedAt: r.collected_at,
    policyVersion: r.policy_version,
    answers: {
      relationship_status: r.relationship_status,
      jewelry_types: jewelryOf(r.jewelry_types),
      budget: r.budget,
      age_range: r.age_range,
      residence_type: r.residence_type,
      gender: r.gender ?? '',
    },
  }));
}
