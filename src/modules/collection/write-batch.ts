// The one write path of every collection: the people of a batch of plans are resolved first, outside
// the transaction (new people's data keys are made there in memory, values sealed under them), then
// those keys, every record, link, consent event and the callers' extra rows are written in ONE
// transaction: `prepareBatch`, then `commitBatch` (CollectionService.writePrepared runs the two and
// prepares again after a lost resolution race). Apart, they let a bulk caller prepare its next batch
// while the previous one's transaction runs.
import type { Transaction } from 'kysely';
import { type Database, InsertSet } from '../../platform/store/index.js';
import type { IndexedIdentifier, LinkItem, PreparedIdentity, ResolutionRequest } from '../subjects/index.js';
import type { Replays } from './orders.js';
import type {
  BatchCollected,
  CollectionResult,
  ConsentRecorder,
  OnWritten,
  OrderCollected,
  Plan,
  PlanDeps,
  PlanRow,
} from './plan.js';

/**
 * Phase one of a batch, done outside any transaction: its people found or invented (new people's
 * data keys made in memory), every value sealed, the records' ids chosen. Written by `commitBatch`
 * or given up with `discardBatch`; either settles the new keys.
 */
export interface PreparedBatch {
  readonly todo: readonly { readonly plan: Plan; readonly n: number }[];
  readonly prepared: readonly PreparedIdentity[];
  /** `first[t]` is where plan t's parties start in `prepared` and the sealed lists. */
  readonly first: readonly number[];
  readonly sealed: readonly (string | null)[];
  readonly sealedEach: readonly Record<string, string>[];
  readonly ids: readonly string[];
  readonly newSubjectIds: readonly string[];
}

/** Phase one: the people (data keys made in memory), sealed values and ids of the plans not replayed. */
export async function prepareBatch(
  { ctx, subjects }: PlanDeps,
  plans: readonly Plan[],
  replays: Replays,
): Promise<PreparedBatch> {
  const todo = plans.flatMap((plan, n) => (replays.has(n) ? [] : [{ plan, n }]));
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
  // The new people's data keys are made in memory and stored by the batch's transaction: kept
  // once it commits, forgotten if anything fails before (the batch is then prepared again).
  const newSubjectIds = prepared.filter((p) => p.isNew).map((p) => p.subjectId);
  try {
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
    return { todo, prepared, first, sealed, sealedEach, ids, newSubjectIds };
  } catch (err) {
    ctx.vault.settleKeys(newSubjectIds, false);
    throw err;
  }
}

/** Gives up a prepared batch that will not be written: its new people's keys are forgotten. */
export function discardBatch({ ctx }: PlanDeps, batch: PreparedBatch): void {
  ctx.vault.settleKeys(batch.newSubjectIds, false);
}

/**
 * Called inside a batch's transaction once its people's and records' rows are written, before it
 * takes the consent and audit locks (and reads consent): a bulk caller with two batches' transactions
 * at once on PostgreSQL makes the later one wait there until the earlier has committed, so the
 * two commit in order and the later plans its consent from the earlier's result (the importer,
 * batch-writer.ts), and takes there, in the batch's transaction, locks that must come before any
 * person's consent lock (its opt-outs' identifier locks). A throw rolls the batch back.
 */
export type AfterRows = (trx: Transaction<Database>) => Promise<void>;

/**
 * Phase two: one transaction for every submission of a prepared batch. A person another writer
 * claimed since `prepareBatch` fails it with ResolutionRace (prepare it again). The new keys are
 * settled either way.
 */
export async function commitBatch(
  { ctx, subjects }: PlanDeps,
  consent: ConsentRecorder | undefined,
  batch: PreparedBatch,
  replays: Replays,
  identifiers: readonly IndexedIdentifier[],
  onWritten?: OnWritten,
  afterRows?: AfterRows,
): Promise<BatchCollected> {
  const { todo, prepared, first, sealed, sealedEach, ids, newSubjectIds } = batch;
  let committed = false;
  try {
    const written = await write();
    committed = true;
    return { results: written, newSubjectIds };
  } finally {
    ctx.vault.settleKeys(newSubjectIds, committed);
  }

  function write(): Promise<CollectionResult<OrderCollected>[]> {
    return ctx.store.db.transaction().execute(async (trx) => {
      // The people's rows and the records' rows go in together (one statement on PostgreSQL), and
      // with them the read of the under-13 markers, inside the transaction: staff may have marked
      // the person meanwhile (P14); one found fails the flush, and the transaction with it.
      const set = new InsertSet(trx, ctx.store.dialect);
      await subjects.assertNoneMarked(identifiers, trx, set);
      // The suppression list's entries of the new people ride with them too (consent's read-ahead),
      // after the shared locks of every identifier the batch writes (a withdrawal of one waits).
      const ahead = consent?.readAhead?.(
        trx,
        set,
        prepared.filter((p) => p.isNew).flatMap((p) => p.identifiers),
        prepared.flatMap((p) => p.identifiers),
      );
      const items: LinkItem[] = [];
      for (const [t, { plan }] of todo.entries())
        for (const [k, party] of plan.parties.entries())
          items.push({
            prepared: prepared[first[t]! + k]!,
            link: {
              subjectKind: party.kind,
              collectionPoint: plan.point,
              recordType: plan.recordType,
              recordId: ids[t]!,
              fields: party.fields,
              at: plan.at,
            },
          });
      const linked = await subjects.linkMany(trx, items, set);
      const out = todo.map(({ plan }, t) => plan.parties.map((_, k) => linked[first[t]! + k]!));
      // The records, table by table (in the order the plans name them), many rows a statement.
      const tables = new Map<string, { table: PlanRow['table']; rows: Record<string, unknown>[] }>();
      for (const [t, { plan }] of todo.entries())
        for (const row of plan.rows({
          id: ids[t]!,
          at: plan.at.toISOString(),
          subjectIds: out[t]!,
          sealed: plan.parties.map((_, k) => sealed[first[t]! + k]!),
          sealedEach: plan.parties.map((_, k) => sealedEach[first[t]! + k]!),
        })) {
          const key = `${row.table}|${Object.keys(row.values).join(',')}`;
          const group = tables.get(key) ?? { table: row.table, rows: [] };
          group.rows.push(row.values);
          tables.set(key, group);
        }
      for (const { table, rows } of tables.values()) set.add(table, rows);
      await set.flush();
      await afterRows?.(trx);
      const created = new Set(newSubjectIds);
      await consent?.recordCollections(
        trx,
        todo.flatMap(({ plan }, t) =>
          plan.parties.map((party, k) => ({
            subjectId: out[t]![k]!,
            collectionPoint: plan.point,
            optIns: [...party.optIns],
            at: plan.at,
            kinds: [party.kind],
            recordId: ids[t]!,
            ...(plan.evidence ? { evidence: plan.evidence } : {}),
            ...(created.has(out[t]![k]!) ? { newPerson: true } : {}),
            identifiers: prepared[first[t]! + k]!.identifiers,
          })),
        ),
        ahead,
      );
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
  }
}
