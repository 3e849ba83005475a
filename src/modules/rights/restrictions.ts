// Restrictions of processing (P23) as the rest of Vow sees them: the decisions provider that denies
// a restricted person's purposes, and the list of a person's restrictions for staff.

import type { SubjectStateProvider } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';

/** Decisions provider (P23): an open restriction denies its purposes from the moment it is written. */
export function restrictionProvider(ctx: VowContext): SubjectStateProvider {
  return async (subjectId) => {
    const rows = await ctx.store.db
      .selectFrom('restrictions')
      .select(['scope', 'purposes'])
      .where('subject_id', '=', subjectId)
      .where('lifted_at', 'is', null)
      .execute();
    if (rows.length === 0) return undefined;
    const all = rows.some((r) => r.scope === 'all');
    const purposes = [
      ...new Set(rows.flatMap((r) => (r.scope === 'purposes' ? (JSON.parse(r.purposes) as string[]) : []))),
    ];
    return { restriction: { all, purposes } };
  };
}

/** Restriction rows of a subject (open and lifted), for staff views. */
export async function restrictionsOf(
  ctx: VowContext,
  subjectId: string,
): Promise<{ id: string; scope: string; purposes: string[]; startedAt: string; liftedAt: string | null }[]> {
  const rows = await ctx.store.db
    .selectFrom('restrictions')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope,
    purposes: JSON.parse(r.purposes) as string[],
    startedAt: r.started_at,
    liftedAt: r.lifted_at,
  }));
}
