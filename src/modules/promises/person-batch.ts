// One batch of people and visitors being checked: their rows in each table, read once per batch by
// the indexed person column (IN lists of at most a few hundred) and shared by every family.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { PersonLink } from '../../platform/erasure/index.js';
import type { Database } from '../../platform/store/index.js';

export const VISITOR = 'visitor:';

export type EventRow = Pick<
  Selectable<Database['consent_events']>,
  | 'id'
  | 'subject_ref'
  | 'channel'
  | 'event'
  | 'cause_type'
  | 'cause_ref'
  | 'at'
  | 'details'
  | 'policy_version'
> & { seq: number };
export type StateRow = Selectable<Database['consent_state']>;
export type RecordRow = Omit<Selectable<Database['subject_records']>, 'fields'>;
export type IdentifierRow = Omit<Selectable<Database['subject_identifiers']>, 'sealed_value'>;
export type DisclosureRow = Selectable<Database['disclosures']>;
export type RestrictionRow = Selectable<Database['restrictions']>;
/** A privacy request as the checks read it (REQUEST_COLUMNS), with whether its contact is forgotten. */
export type RequestRow = Omit<Selectable<Database['rights_requests']>, 'sealed' | 'result' | 'locale'> & {
  sealed_empty: number;
};

/**
 * The columns of a privacy request the checks read: all but its sealed contact, its result and its
 * language.
 */
export const REQUEST_COLUMNS = [
  'id',
  'type',
  'scope',
  'jurisdiction',
  'channel',
  'status',
  'subject_id',
  'email_index',
  'received_at',
  'due_on',
  'ack_due_on',
  'extended_due_on',
  'extended_at',
  'acknowledged_at',
  'verified_at',
  'verification_method',
  'is_agent',
  'agent_confirmed_at',
  'agent_confirmed_by',
  'approved_by',
  'denied_by',
  'responded_at',
  'response_nature',
  'denial_basis',
  'status_token_index',
  'created_by',
  'created_at',
  'updated_at',
] as const;

/** Where a record or an identifier came from: the columns both tables share, in this order. */
const PROVENANCE = [
  'subject_kind',
  'collection_point',
  'record_type',
  'record_id',
  'policy_version',
  'collected_at',
] as const;

/** Primary keys of the tables whose key is not `id` (composite keys joined by `/`). */
const KEYS: Readonly<Record<string, readonly string[]>> = {
  consent_state: ['subject_ref', 'channel'],
  subject_lookup: ['kind', 'blind_index'],
  unsubscribe_tokens: ['token_index'],
  data_keys: ['subject_id'],
  audit_log: ['seq'],
  consent_events: ['id'],
  under13_markers: ['kind', 'blind_index'],
};

/**
 * A row's key as evidence shows it: its primary key, `a/b` for a composite one. A keyed hash of an
 * identifier in a key is cut to its first 12 characters: enough to find the row, and no pseudonym
 * of the person travels with the evidence.
 */
export function rowIdOf(table: string, row: Record<string, unknown>): string {
  const key = KEYS[table] ?? (row.id !== undefined ? ['id'] : row.seq !== undefined ? ['seq'] : []);
  return key
    .map((k) => (k === 'blind_index' ? `${String(row[k] ?? '').slice(0, 12)}…` : String(row[k] ?? '')))
    .join('/');
}

/** Groups rows by a key. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** The consent state a list of one channel's events (in ledger order) leaves, by `at` up to `until`. */
export function stateAt(
  events: readonly EventRow[],
  until?: string,
): { state: string; event: string | null } {
  let state = 'unknown';
  let event: string | null = null;
  for (const e of events) {
    if (until !== undefined && e.at > until) continue;
    event = e.event;
    state = e.event === 'consented' ? 'granted' : ENROLLING.has(e.event) ? 'enrolled' : 'withdrawn';
  }
  return { state, event };
}

export const ENROLLING: ReadonlySet<string> = new Set(['enrolled', 're_enrolled', 'consented']);
export const OPTING_OUT: ReadonlySet<string> = new Set(['withdrawn', 'unsubscribed', 'suppressed']);

export class PersonBatch {
  readonly refs: readonly string[];
  /** Subject ids (people). */
  readonly people: readonly string[];
  /** Visitor refs (`visitor:<keyed hash of the cookie id>`). */
  readonly visitors: readonly string[];
  readonly #db: Kysely<Database>;
  readonly #memo = new Map<string, Promise<unknown>>();
  readonly #rows = new Map<string, Map<string, Record<string, unknown> | null>>();

  constructor(db: Kysely<Database>, refs: readonly string[]) {
    this.#db = db;
    this.refs = refs;
    this.people = refs.filter((r) => !r.startsWith(VISITOR));
    this.visitors = refs.filter((r) => r.startsWith(VISITOR));
  }

  #once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.#memo.set(key, p);
    }
    return p;
  }

  get db(): Kysely<Database> {
    return this.#db;
  }

  /** The people's rows in `subjects` (id and the under-13 mark). */
  subjects(): Promise<Map<string, { under13: number; created_at: string }>> {
    return this.#once('subjects', async () => {
      if (this.people.length === 0) return new Map();
      const rows = await this.#db
        .selectFrom('subjects')
        .select(['id', 'under13', 'created_at'])
        .where('id', 'in', [...this.people])
        .execute();
      return new Map(rows.map((r) => [r.id, { under13: Number(r.under13), created_at: r.created_at }]));
    });
  }

  /**
   * Rows of the people, read once (none when the batch has no people) and grouped by their
   * `subject_id`; `read` gets the people to look up.
   */
  #ofPeople<T extends { subject_id: string | null }>(
    key: string,
    read: (people: string[]) => Promise<T[]>,
  ): Promise<Map<string, T[]>> {
    return this.#once(key, async () => {
      if (this.people.length === 0) return new Map<string, T[]>();
      return groupBy(await read([...this.people]), (r) => r.subject_id ?? '');
    });
  }

  records(): Promise<Map<string, RecordRow[]>> {
    return this.#ofPeople('records', (people) =>
      this.#db
        .selectFrom('subject_records')
        .select(['id', 'subject_id', ...PROVENANCE])
        .where('subject_id', 'in', people)
        .execute(),
    );
  }

  identifiers(): Promise<Map<string, IdentifierRow[]>> {
    return this.#ofPeople('identifiers', (people) =>
      this.#db
        .selectFrom('subject_identifiers')
        .select(['id', 'subject_id', 'kind', 'blind_index', 'field', ...PROVENANCE])
        .where('subject_id', 'in', people)
        .execute(),
    );
  }

  /** The subject kinds a person had, from their records and identifiers, as of `until` when given. */
  async kinds(person: string, until?: string): Promise<string[]> {
    if (person.startsWith(VISITOR)) return ['site_visitor'];
    const out = new Set<string>();
    for (const r of (await this.records()).get(person) ?? [])
      if (until === undefined || r.collected_at <= until) out.add(r.subject_kind);
    for (const i of (await this.identifiers()).get(person) ?? [])
      if (until === undefined || i.collected_at <= until) out.add(i.subject_kind);
    return [...out];
  }

  /** Every consent event of the refs, in ledger order. */
  events(): Promise<Map<string, EventRow[]>> {
    return this.#once('events', async () => {
      const rows = await this.#db
        .selectFrom('consent_events')
        .select([
          'seq',
          'id',
          'subject_ref',
          'channel',
          'event',
          'cause_type',
          'cause_ref',
          'at',
          'details',
          'policy_version',
        ])
        .where('subject_ref', 'in', [...this.refs])
        .orderBy('seq')
        .execute();
      return groupBy(
        rows.map((r) => ({ ...r, seq: Number(r.seq) })),
        (r) => r.subject_ref,
      );
    });
  }

  states(): Promise<Map<string, StateRow[]>> {
    return this.#once('states', async () => {
      const rows = await this.#db
        .selectFrom('consent_state')
        .selectAll()
        .where('subject_ref', 'in', [...this.refs])
        .execute();
      return groupBy(rows, (r) => r.subject_ref);
    });
  }

  disclosures(): Promise<Map<string, DisclosureRow[]>> {
    return this.#once('disclosures', async () => {
      const rows = await this.#db
        .selectFrom('disclosures')
        .selectAll()
        .where('subject_id', 'in', [...this.refs])
        .execute();
      return groupBy(rows, (r) => r.subject_id);
    });
  }

  restrictions(): Promise<Map<string, RestrictionRow[]>> {
    return this.#ofPeople('restrictions', (people) =>
      this.#db.selectFrom('restrictions').selectAll().where('subject_id', 'in', people).execute(),
    );
  }

  /** The people's privacy requests (the contact itself is not read: only whether it is forgotten). */
  requests(): Promise<Map<string, RequestRow[]>> {
    return this.#ofPeople('requests', (people) =>
      this.#db
        .selectFrom('rights_requests')
        .select(REQUEST_COLUMNS)
        .select(sql<number>`case when sealed = '' then 1 else 0 end`.as('sealed_empty'))
        .where('subject_id', 'in', people)
        .execute(),
    );
  }

  /** Whether each person's data key is still there (not destroyed). */
  keys(): Promise<Map<string, { live: boolean; created_at: string }>> {
    return this.#once('keys', async () => {
      if (this.people.length === 0) return new Map();
      const rows = await this.#db
        .selectFrom('data_keys')
        .select(['subject_id', 'created_at'])
        .select(sql<number>`case when wrapped_key is null then 0 else 1 end`.as('live'))
        .where('subject_id', 'in', [...this.people])
        .execute();
      return new Map(
        rows.map((r) => [r.subject_id, { live: Number(r.live) === 1, created_at: r.created_at }]),
      );
    });
  }

  tokens(): Promise<Map<string, Selectable<Database['unsubscribe_tokens']>[]>> {
    return this.#ofPeople('tokens', (people) =>
      this.#db.selectFrom('unsubscribe_tokens').selectAll().where('subject_id', 'in', people).execute(),
    );
  }

  /** The visitors' forwards to Google Analytics, by visitor ref. */
  gaForwards(): Promise<Map<string, Selectable<Database['ga_forwards']>[]>> {
    return this.#once('ga', async () => {
      if (this.visitors.length === 0) return new Map();
      const rows = await this.#db
        .selectFrom('ga_forwards')
        .selectAll()
        .where(
          'visitor_id',
          'in',
          this.visitors.map((v) => v.slice(VISITOR.length)),
        )
        .execute();
      return groupBy(rows, (r) => `${VISITOR}${r.visitor_id}`);
    });
  }

  /** The visitors' stored measurements (visitor id, path and time only), by visitor ref. */
  measurements(): Promise<Map<string, { id: number; visitor_id: string; path: string; at: string }[]>> {
    return this.#once('measurements', async () => {
      if (this.visitors.length === 0) return new Map();
      const rows = await this.#db
        .selectFrom('analytics_events')
        .select(['id', 'visitor_id', 'path', 'at'])
        .where(
          'visitor_id',
          'in',
          this.visitors.map((v) => v.slice(VISITOR.length)),
        )
        .execute();
      return groupBy(
        rows.map((r) => ({ ...r, id: Number(r.id) })),
        (r) => `${VISITOR}${r.visitor_id}`,
      );
    });
  }

  /**
   * Rows of any table by id (the records consent events name): fetched for many ids at once with
   * `prefetch`, then read one by one; an id not prefetched is fetched alone.
   */
  async prefetch(table: string, ids: readonly string[]): Promise<void> {
    const cache = this.#rows.get(table) ?? new Map<string, Record<string, unknown> | null>();
    this.#rows.set(table, cache);
    const missing = [...new Set(ids)].filter((id) => !cache.has(id));
    for (let i = 0; i < missing.length; i += 400) {
      const slice = missing.slice(i, i + 400);
      const rows = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table)} where id in (${sql.join(slice)})`.execute(this.#db);
      for (const id of slice) cache.set(id, null);
      for (const r of rows.rows) cache.set(String(r.id), r);
    }
  }

  async row(table: string, id: string): Promise<Record<string, unknown> | undefined> {
    if (!this.#rows.get(table)?.has(id)) await this.prefetch(table, [id]);
    return this.#rows.get(table)?.get(id) ?? undefined;
  }

  /** The rows of one declared table that name some of these people through its link (any columns). */
  async linked(
    table: string,
    link: PersonLink,
    people: readonly string[],
  ): Promise<(Record<string, unknown> & { __person: string })[]> {
    if (people.length === 0) return [];
    const query = link.via
      ? sql<
          Record<string, unknown> & { __person: string }
        >`select t.*, v.${sql.ref(link.via.column)} as __person
          from ${sql.table(table)} t join ${sql.table(link.via.table)} v on v.${sql.ref(link.via.key)} = t.${sql.ref(link.column)}
          where v.${sql.ref(link.via.column)} in (${sql.join([...people])})`
      : sql<Record<string, unknown> & { __person: string }>`select t.*, t.${sql.ref(link.column)} as __person
          from ${sql.table(table)} t where t.${sql.ref(link.column)} in (${sql.join([...people])})`;
    return (await query.execute(this.#db)).rows;
  }
}
