// People: finds a person again by a normalised identifier (blind index), links each collection
// record to them with the kind they had there; its queries (queries.ts) and the under-13 purge
// (under13.ts) are reached through it. Resolution is two-phase because sealing a value may create the person's data key, which the
// vault writes outside any transaction: `prepareAll` (outside the transaction) finds or invents
// the subject ids of one or many collections and seals every value; `link` (inside the caller's
// transaction) re-checks the look-up and writes. When another request claimed the identifier in
// between, `link` throws ResolutionRace and the caller starts again (`withResolution` does that).

import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import type { Database, InsertSet } from '../../platform/store/index.js';
import type { SubjectStateProvider } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import { correctIdentifiers } from './correct-identifiers.js';
import { identifierRow, type LinkItem, linkMany, recordRow } from './link-many.js';
import {
  normaliseAccount,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
  type PostalAddress,
} from './normalise.js';
import * as queries from './queries.js';
import { SEARCHABLE_KINDS } from './searchable.js';
import {
  type IdentifierInput,
  type IdentifierKind,
  type IdentifierView,
  type IndexedIdentifier,
  type PreparedIdentifier,
  type PreparedIdentity,
  type PurgePorts,
  ResolutionRace,
  type ResolutionRequest,
  type SubjectLink,
} from './types.js';
import { markUnder13 } from './under13.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Identifiers an under-13 marker blocks (an address is shared by a household, so not it). */
const MARKED_KINDS: readonly IdentifierKind[] = SEARCHABLE_KINDS;

const under13 = () =>
  new VowError('VOW_UNDER_13', 'Vow does not collect data from people known to be under 13');

export class SubjectService {
  readonly #ctx: VowContext;
  #purge: PurgePorts | undefined;

  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** Connects what the under-13 purge needs (the composition root does, once every module exists). */
  connectPurge(ports: PurgePorts): void {
    this.#purge = ports;
  }

  #normalise(input: IdentifierInput): { normalised: string; plain: string } {
    switch (input.kind) {
      case 'email': {
        const v = normaliseEmail(input.value);
        return { normalised: v, plain: v };
      }
      case 'phone': {
        const v = normalisePhone(input.value, input.defaultCountry);
        if (!v)
          throw new VowError('VOW_VALIDATION', 'Invalid request body', {
            issues: [{ path: `/${input.field.replaceAll('.', '/')}`, message: 'not a valid phone number' }],
          });
        return { normalised: v, plain: v };
      }
      case 'account': {
        const v = normaliseAccount(input.value);
        return { normalised: v, plain: v };
      }
      case 'address':
        return { normalised: normaliseAddress(input.value), plain: JSON.stringify(input.value) };
    }
  }

  /** Normalises and blind-indexes identifiers (VOW_VALIDATION for a phone number that is none). */
  index(inputs: readonly IdentifierInput[]): IndexedIdentifier[] {
    return inputs.map((i) => {
      const n = this.#normalise(i);
      return {
        kind: i.kind,
        field: i.field,
        blindIndex: this.#ctx.vault.blindIndex(i.kind, n.normalised),
        plain: n.plain,
      };
    });
  }

  /** Blind indexes of identifiers, for look-ups and the under-13 gate; nothing is written. */
  indexesOf(inputs: readonly IdentifierInput[]): { kind: IdentifierKind; blindIndex: string }[] {
    return this.index(inputs).map(({ kind, blindIndex }) => ({ kind, blindIndex }));
  }

  /** Refuses (VOW_UNDER_13) identifiers that belong to someone staff marked as under 13. */
  async assertNotMarked(
    inputs: readonly IdentifierInput[],
    db: Executor = this.#ctx.store.db,
  ): Promise<void> {
    await this.assertNoneMarked(this.index(inputs), db);
  }

  /**
   * Refuses (VOW_UNDER_13) when any of these identifiers, of one collection or of a whole batch,
   * belongs to someone staff marked as under 13: one query (one per 500 identifiers on SQLite).
   * With `set` (the caller's inserts in transaction `db`), the query rides with the set's next flush
   * (on PostgreSQL in its statement) and the flush fails with VOW_UNDER_13, so the transaction
   * rolls back whatever the set wrote.
   */
  async assertNoneMarked(
    identifiers: readonly IndexedIdentifier[],
    db: Executor = this.#ctx.store.db,
    set?: InsertSet,
  ): Promise<void> {
    const marked = identifiers.filter((i) => MARKED_KINDS.includes(i.kind));
    if (set) {
      for (const read of queries.markerReads(db, this.#ctx.store.dialect, marked))
        set.read(read, (hit) => {
          if (hit.length > 0) throw under13();
        });
      return;
    }
    const hit = await queries.findMany(db, this.#ctx.store.dialect, 'under13_markers', marked);
    if (hit.size > 0) throw under13();
  }

  async #lookup(db: Executor, kind: IdentifierKind, blindIndex: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('subject_lookup')
      .select('subject_id')
      .where('kind', '=', kind)
      .where('blind_index', '=', blindIndex)
      .executeTakeFirst();
    return row?.subject_id;
  }

  /** Whether an identifier of this person is one they are found again by. */
  static #isLookup(kind: IdentifierKind, addressOnly: boolean): boolean {
    return queries.LOOKUP_PRIORITY.includes(kind) || (addressOnly && kind === 'address');
  }

  /**
   * Phase one, outside any transaction, for the people of one collection or of a whole batch of
   * them, in order: finds each person (account, then email, then phone; a postal address only
   * when the form has nothing else), as one request after the other would (a person an earlier
   * request of the batch created is found again by the identifiers it claimed), makes the data
   * keys of the new people (stored by linkMany in the batch's transaction; the caller settles them
   * with vault.settleKeys once that transaction has ended), and seals every value under its
   * person's key.
   * The look-ups take one query (one per 500 identifiers on SQLite). Each request needs an identifier.
   */
  async prepareAll(requests: readonly ResolutionRequest[]): Promise<PreparedIdentity[]> {
    const keyOf = (i: { kind: IdentifierKind; blindIndex: string }) => `${i.kind}:${i.blindIndex}`;
    const plans = requests.map((r) => {
      if (r.identifiers.length === 0) throw new Error('A person needs at least one identifier');
      const candidates = queries.LOOKUP_PRIORITY.flatMap((k) => r.identifiers.filter((i) => i.kind === k));
      const addressOnly = candidates.length === 0;
      const order = addressOnly ? r.identifiers.filter((i) => i.kind === 'address') : candidates;
      return { request: r, candidates, addressOnly, order };
    });
    const stored = await queries.findMany(
      this.#ctx.store.db,
      this.#ctx.store.dialect,
      'subject_lookup',
      plans.flatMap((p) => p.order),
    );
    // Look-ups claimed by earlier requests of this call (as `link` will claim them, in order).
    const claimed = new Map<string, string>();
    const ownerOf = (i: IndexedIdentifier) => claimed.get(keyOf(i)) ?? stored.get(keyOf(i));
    const fresh = new Set<string>();
    const out: { identity: Omit<PreparedIdentity, 'identifiers'>; sealed?: PreparedIdentifier[] }[] = [];
    const sealAll = async (subjectId: string, identifiers: readonly IndexedIdentifier[]) => {
      const sealed: PreparedIdentifier[] = [];
      for (const i of identifiers)
        sealed.push({
          kind: i.kind,
          field: i.field,
          blindIndex: i.blindIndex,
          sealed: await this.#ctx.vault.encrypt(subjectId, i.plain),
        });
      return sealed;
    };
    const invent = () => {
      const id = this.#ctx.random.uuid();
      fresh.add(id);
      return id;
    };
    for (const p of plans) {
      const { identifiers, sameAs } = p.request;
      const other = sameAs === undefined ? undefined : requests[sameAs];
      let identity: Omit<PreparedIdentity, 'identifiers'>;
      let sealed: PreparedIdentifier[] | undefined;
      const known = (subjectId: string, foundBy: typeof identity.foundBy): typeof identity => ({
        subjectId,
        isNew: false,
        foundBy,
        replaces: undefined,
        addressOnly: p.addressOnly,
      });
      if (
        sameAs !== undefined &&
        other &&
        p.candidates.some((c) =>
          other.identifiers.some((o) => o.kind === c.kind && o.blindIndex === c.blindIndex),
        )
      ) {
        // Another person of the same form (an order's buyer) who shares an identifier is this person.
        identity = known(out[sameAs]!.identity.subjectId, undefined);
      } else {
        const by = p.order.find((c) => ownerOf(c) !== undefined);
        const existing = by ? ownerOf(by) : undefined;
        const foundBy = by ? { kind: by.kind, blindIndex: by.blindIndex } : undefined;
        if (existing && !fresh.has(existing)) {
          try {
            sealed = await sealAll(existing, identifiers);
            identity = known(existing, foundBy);
          } catch (err) {
            if (!isVowError(err) || err.code !== 'VOW_SUBJECT_SHREDDED') throw err;
            // The person was deleted: whoever gives the same identifier now is a new person.
            identity = {
              subjectId: invent(),
              isNew: true,
              foundBy,
              replaces: existing,
              addressOnly: p.addressOnly,
            };
          }
        } else if (existing) {
          identity = known(existing, foundBy);
        } else {
          identity = {
            subjectId: invent(),
            isNew: true,
            foundBy: undefined,
            replaces: undefined,
            addressOnly: p.addressOnly,
          };
        }
      }
      for (const i of identifiers) {
        if (!SubjectService.#isLookup(i.kind, p.addressOnly)) continue;
        const owner = ownerOf(i);
        if (owner === undefined || (identity.replaces !== undefined && owner === identity.replaces))
          claimed.set(keyOf(i), identity.subjectId);
      }
      out.push({ identity, ...(sealed ? { sealed } : {}) });
    }
    // Every new person's data key, made in memory: linkMany stores them in the batch's transaction.
    if (fresh.size > 0) this.#ctx.vault.makeKeys([...fresh]);
    const prepared: PreparedIdentity[] = [];
    try {
      for (const [n, o] of out.entries())
        prepared.push({
          ...o.identity,
          identifiers: o.sealed ?? (await sealAll(o.identity.subjectId, requests[n]!.identifiers)),
        });
    } catch (err) {
      this.#ctx.vault.settleKeys([...fresh], false);
      throw err;
    }
    return prepared;
  }

  /** Seals one more value (a name, an address in a record) under the prepared person's key. */
  seal(prepared: Pick<PreparedIdentity, 'subjectId'>, value: unknown): Promise<string> {
    return this.#ctx.vault.encrypt(prepared.subjectId, JSON.stringify(value));
  }

  /** Makes the person the owner of one look-up (the first to give an identifier owns it). */
  async #claim(
    trx: Transaction<Database>,
    prepared: PreparedIdentity,
    i: PreparedIdentifier,
    at: string,
  ): Promise<void> {
    if (prepared.replaces) {
      await trx
        .deleteFrom('subject_lookup')
        .where('kind', '=', i.kind)
        .where('blind_index', '=', i.blindIndex)
        .where('subject_id', '=', prepared.replaces)
        .execute();
    }
    const claimed = await trx
      .insertInto('subject_lookup')
      .values({ kind: i.kind, blind_index: i.blindIndex, subject_id: prepared.subjectId, created_at: at })
      .onConflict((oc) => oc.columns(['kind', 'blind_index']).doNothing())
      .executeTakeFirst();
    // A brand-new person whose identifier another request claimed meanwhile: resolve again. (The
    // row was there already: another owner, unless the same identifier came twice in this form.)
    if (
      prepared.isNew &&
      !prepared.foundBy &&
      i.kind !== 'address' &&
      Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0 &&
      (await this.#lookup(trx, i.kind, i.blindIndex)) !== prepared.subjectId
    )
      throw new ResolutionRace();
  }

  /**
   * Phase two, inside the caller's transaction: re-checks the look-up, then writes the subject,
   * its look-ups, identifiers and the link to the record. Returns the subject id.
   */
  async link(trx: Transaction<Database>, prepared: PreparedIdentity, link: SubjectLink): Promise<string> {
    const at = link.at.toISOString();
    // A person found again whose erasure began meanwhile: resolve again (see linkMany).
    if (!prepared.isNew && (await this.#ctx.vault.closedAmong(trx, [prepared.subjectId])).size > 0)
      throw new ResolutionRace();
    if (prepared.foundBy) {
      const now = await this.#lookup(trx, prepared.foundBy.kind, prepared.foundBy.blindIndex);
      const expected = prepared.replaces ?? prepared.subjectId;
      if (now !== expected) throw new ResolutionRace();
    }
    if (prepared.isNew) {
      await trx
        .insertInto('subjects')
        .values({ id: prepared.subjectId, created_at: at, updated_at: at, under13: 0 })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    } else {
      await trx
        .updateTable('subjects')
        .set({ updated_at: at })
        .where('id', '=', prepared.subjectId)
        .execute();
    }
    for (const i of prepared.identifiers) {
      if (SubjectService.#isLookup(i.kind, prepared.addressOnly)) await this.#claim(trx, prepared, i, at);
      await trx
        .insertInto('subject_identifiers')
        .values(identifierRow(this.#ctx, prepared.subjectId, i, link, at))
        .execute();
    }
    await trx
      .insertInto('subject_records')
      .values(recordRow(this.#ctx, prepared.subjectId, link, at))
      .execute();
    return prepared.subjectId;
  }

  /**
   * `link` for a batch of collections' people, in order: the people the batch creates in
   * multi-row statements, everyone else one by one (link-many.ts). Returns the subject ids. With
   * `set`, its inserts join the caller's, written when the caller flushes the set.
   */
  linkMany(trx: Transaction<Database>, items: readonly LinkItem[], set?: InsertSet): Promise<string[]> {
    return linkMany(this.#ctx, trx, items, (t, prepared, link) => this.link(t, prepared, link), set);
  }

  /** Runs prepare-then-transaction work, again (up to 3 times) when a resolution race is lost. */
  async withResolution<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (!(err instanceof ResolutionRace) || attempt >= 3) throw err;
      }
    }
  }

  async #findBy(kind: IdentifierKind, normalised: string): Promise<string | undefined> {
    return this.#lookup(this.#ctx.store.db, kind, this.#ctx.vault.blindIndex(kind, normalised));
  }

  findByEmail(email: string): Promise<string | undefined> {
    return this.#findBy('email', normaliseEmail(email));
  }

  async findByPhone(phone: string, defaultCountry?: string): Promise<string | undefined> {
    const e164 = normalisePhone(phone, defaultCountry);
    return e164 ? this.#findBy('phone', e164) : undefined;
  }

  findByAccount(accountId: string): Promise<string | undefined> {
    return this.#findBy('account', normaliseAccount(accountId));
  }

  findByAddress(address: PostalAddress): Promise<string | undefined> {
    return this.#findBy('address', normaliseAddress(address));
  }

  /** Whether the person holds this identifier (normalised and compared by its keyed hash). */
  holds(
    subjectId: string,
    point:
      | { readonly kind: 'email' | 'phone' | 'account'; readonly value: string }
      | { readonly kind: 'address'; readonly value: PostalAddress },
  ): Promise<boolean> {
    return queries.holds(this.#ctx, subjectId, point);
  }

  exists(subjectId: string): Promise<boolean> {
    return queries.exists(this.#ctx, subjectId);
  }

  /**
   * Whether the person's data was deleted (their key closed: a deletion of everything, begun or
   * done); what is left of them is what the policy's exemptions keep, and nothing more is stored.
   */
  erased(subjectId: string): Promise<boolean> {
    return this.#ctx.store.db
      .transaction()
      .execute(async (trx) => (await this.#ctx.vault.closedAmong(trx, [subjectId])).size > 0);
  }

  /** Every identifier held for the person, decrypted (null values once their key is destroyed). */
  identifiers(subjectId: string): Promise<IdentifierView[]> {
    return queries.identifiers(this.#ctx, subjectId);
  }

  /** The kinds under which the person's data was collected. */
  kinds(subjectId: string): Promise<string[]> {
    return queries.kinds(this.#ctx, subjectId);
  }

  /** The kinds a collection point stored the person under (read inside the caller's transaction). */
  kindsAt(db: Executor, subjectId: string, collectionPoint: string): Promise<string[]> {
    return queries.kindsAt(db, subjectId, collectionPoint);
  }

  /** Per data category, the kinds it was collected under (a buyer's own email vs. a gift address). */
  kindsByCategory(subjectId: string): Promise<Record<string, string[]>> {
    return queries.kindsByCategory(this.#ctx, subjectId);
  }

  /**
   * Recomputes the person's look-ups from the identifiers they hold now (after a correction changed
   * one, P21): a look-up no identifier backs goes, so the old value no longer finds them, and each
   * account, email and phone they hold finds them (unless it already finds someone else, who keeps
   * it). Returns how many look-ups were removed and added.
   */
  reindex(subjectId: string): Promise<{ removed: number; added: number }> {
    return queries.reindex(this.#ctx, subjectId);
  }

  /**
   * After an approved correction (P21) of an identifier the datasets walker cannot recompute (the
   * postal address): every address of the person becomes the corrected one, and their look-ups are
   * recomputed. Other categories change nothing here (`changed: 0`).
   */
  correctIdentifiers(
    subjectId: string,
    correction: { readonly category: string; readonly value: string },
  ): Promise<{ changed: number }> {
    return correctIdentifiers(this.#ctx, subjectId, correction);
  }

  /** Whether the person is marked as under 13 (P14); false for someone Vow does not know. */
  isMarkedUnder13(subjectId: string): Promise<boolean> {
    return queries.isMarkedUnder13(this.#ctx, subjectId);
  }

  /** The decision engine's view of a person: known, kinds, kindsByCategory and under13. */
  readonly provider: SubjectStateProvider = async (subjectId) => {
    const subject = await this.#ctx.store.db
      .selectFrom('subjects')
      .select(['id', 'under13'])
      .where('id', '=', subjectId)
      .executeTakeFirst();
    if (!subject) return undefined;
    const [kinds, kindsByCategory] = await Promise.all([
      this.kinds(subjectId),
      this.kindsByCategory(subjectId),
    ]);
    return { known: true, kinds, kindsByCategory, under13: Number(subject.under13) === 1 };
  };

  /**
   * P14: staff learned the person is under 13. Everything Vow holds about them is deleted through the
   * erasure registry (purge), and only non-reversible markers of their identifiers remain
   * (src/modules/subjects/under13.ts).
   */
  markUnder13(subjectId: string, actor: AuditEntry['actor'], reason?: string): Promise<{ markers: number }> {
    if (!this.#purge) throw new Error('The under-13 purge is not connected (SubjectService.connectPurge)');
    return markUnder13(this.#ctx, this.#purge, subjectId, actor, reason);
  }
}
