// The one write path of every collection: the people of a batch of plans are resolved first, outside
// the transaction (data keys are made there, values sealed under them), then every record, link,
// consent event and the callers' extra rows are written in ONE transaction.
import type { IndexedIdentifier, ResolutionRequest } from '../subjects/index.js';
import type { Replays } from './orders.js';
import type {
  BatchCollected,
  CollectionResult,
  ConsentRecorder,
  OnWritten,
  OrderCollected,
  Plan,
  PlanDeps,
} from './plan.js';

export async function writeBatch(
  { ctx, subjects }: PlanDeps,
  consent: ConsentRecorder | undefined,
  plans: readonly Plan[],
  replays: Replays,
  identifiers: readonly IndexedIdentifier[],
  onWritten?: OnWritten,
): Promise<BatchCollected> {
  const todo = plans.flatMap((plan, n) => (replays.has(n) ? [] : [{ plan, n }]));
  return subjects.withResolution(async () => {
    // Phase one, outside the transaction: the people (data keys are made here), sealed values, ids.
    const requests: ResolutionRequest[] = [];
    const first: number[] = [];
    for (const { plan } of todo) {
      first.push(requests.length);
      const buyer = requests.length;
      for (const [k, party] of plan.parties.entries())
        requests.push({
          identifiers: party.identifiers,
          ...(k > 0 && party.maybeFirstParty ? { sameAs: buyer } : {}),
        });
    }
    const prepared = await subjects.prepareAll(requests);
    const sealed: (string | null)[] = [];
    const sealedEach: Record<string, string>[] = [];
    for (const [t, { plan }] of todo.entries())
      for (const [k, party] of plan.parties.entries()) {
        const person = prepared[first[t]! + k]!;
        sealed.push(party.sealed === undefined ? null : await subjects.seal(person, party.sealed));
        const each: Record<string, string> = {};
        for (const [field, text] of Object.entries(party.sealedEach ?? {}))
          each[field] = await ctx.vault.encrypt(person.subjectId, text);
        sealedEach.push(each);
      }
    const ids = todo.map(() => ctx.random.uuid());
    // Phase two: one transaction for every submission.
    const written = await ctx.store.db.transaction().execute(async (trx) => {
      // Again inside the transaction: staff may have marked the person meanwhile (P14).
      await subjects.assertNoneMarked(identifiers, trx);
      const out: string[][] = [];
      for (const [t, { plan }] of todo.entries()) {
        const id = ids[t]!;
        const subjectIds: string[] = [];
        for (const [k, party] of plan.parties.entries())
          subjectIds.push(
            await subjects.link(trx, prepared[first[t]! + k]!, {
              subjectKind: party.kind,
              collectionPoint: plan.point,
              recordType: plan.recordType,
              recordId: id,
              fields: party.fields,
              at: plan.at,
            }),
          );
        await plan.insert(trx, {
          id,
          at: plan.at.toISOString(),
          subjectIds,
          sealed: plan.parties.map((_, k) => sealed[first[t]! + k]!),
          sealedEach: plan.parties.map((_, k) => sealedEach[first[t]! + k]!),
        });
        if (consent)
          for (const [k, party] of plan.parties.entries())
            await consent.recordCollection(trx, {
              subjectId: subjectIds[k]!,
              collectionPoint: plan.point,
              optIns: [...party.optIns],
              at: plan.at,
              kinds: [party.kind],
              recordId: id,
              ...(plan.evidence ? { evidence: plan.evidence } : {}),
            });
        out.push(subjectIds);
      }
      const results: CollectionResult<OrderCollected>[] = [];
      for (const [t, { n }] of todo.entries()) {
        const [subjectId, giftId] = out[t]!;
        results[n] = {
          status: 201,
          body: { id: ids[t]!, subjectId: subjectId!, ...(giftId ? { giftRecipientSubjectId: giftId } : {}) },
        };
      }
      for (const [n, replay] of replays) {
        results[n] = typeof replay === 'number' ? { status: 200, body: results[replay]!.body } : replay;
      }
      await onWritten?.(trx, results);
      return results;
    });
    return { results: written, newSubjectIds: prepared.filter((p) => p.isNew).map((p) => p.subjectId) };
  });
}
