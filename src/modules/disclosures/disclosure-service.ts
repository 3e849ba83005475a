import type { Transaction } from 'kysely';
// Disclosures to recipients (P2, P3, P4, P19): prepares the payload for a recipient holding only
// the values the policy lets it have for the purpose, value by value under the kind the value was
// collected as, logs what was sent to whom and why (names of fields, never values), and refuses
// with VOW_DISCLOSURE_DENIED what the policy does not allow.

import type { AuditEntry } from '../../platform/audit/index.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { CollectionService } from '../collection/index.js';
import { type DecisionService, decide, type Reason, type SubjectState } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import { isWithin } from '../policy/index.js';
import { openSealed, type SubjectService } from '../subjects/index.js';

export interface DisclosureRequest {
  readonly recipient: string;
  readonly purpose: string;
  /** The person; with a record, narrows the record to this party. */
  readonly subjectId?: string | undefined;
  /** A stored record (e.g. the order id Vow answered with). */
  readonly recordId?: string | undefined;
  /** The shop's order id, instead of recordId. */
  readonly orderId?: string | undefined;
  /** Categories asked for; when absent, whatever the recipient may receive. */
  readonly categories?: readonly string[] | undefined;
}

export interface DisclosedField {
  readonly field: string;
  readonly category: string;
  readonly value: unknown;
}

export interface WithheldField {
  readonly subjectId: string;
  readonly field: string;
  readonly category: string;
  readonly reasons: Pick<Reason, 'code' | 'message' | 'rule' | 'promise'>[];
}

export interface DisclosurePayload {
  readonly disclosureId: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly policyVersion: string;
  readonly parties: {
    readonly subjectId: string;
    readonly subjectKind: string;
    readonly recordId: string;
    readonly fields: DisclosedField[];
  }[];
  readonly withheld: WithheldField[];
}

export interface DisclosureLogEntry {
  readonly disclosureId: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly recordId: string | null;
  readonly categories: string[];
  readonly fields: string[];
  readonly rules: string[];
  readonly policyVersion: string;
  readonly disclosedAt: string;
}

interface Candidate {
  readonly subjectId: string;
  readonly subjectKind: string;
  readonly recordId: string;
  readonly field: string;
  readonly category: string;
  readonly purposes: readonly string[];
  readonly value: unknown;
}

/** One entry of the disclosure log made by another module (ids, categories and field names; never a value). */
export interface NewDisclosureEntry {
  /** The person, or `visitor:<index>` for a site visitor. */
  readonly subjectId: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly recordId: string | null;
  readonly categories: readonly string[];
  readonly fields: readonly string[];
  readonly rules: readonly string[];
  readonly at: string;
}

export class DisclosureService {
  readonly #ctx: VowContext;
  readonly #subjects: SubjectService;
  readonly #collection: CollectionService;
  readonly #decisions: DecisionService;

  constructor(
    ctx: VowContext,
    deps: { subjects: SubjectService; collection: CollectionService; decisions: DecisionService },
  ) {
    this.#ctx = ctx;
    this.#subjects = deps.subjects;
    this.#collection = deps.collection;
    this.#decisions = deps.decisions;
  }

  /**
   * Appends one entry to the disclosure log inside the caller's transaction, for a disclosure another
   * module made under its own decision and audit entry (Google Analytics forwarding, P19). Returns
   * the entry's disclosure id.
   */
  async logEntry(trx: Transaction<Database>, entry: NewDisclosureEntry): Promise<string> {
    const id = this.#ctx.random.uuid();
    await trx
      .insertInto('disclosures')
      .values({
        id,
        disclosure_id: id,
        subject_id: entry.subjectId,
        recipient: entry.recipient,
        purpose: entry.purpose,
        record_id: entry.recordId,
        categories: canonicalJson([...entry.categories].sort()),
        fields: canonicalJson([...entry.fields].sort()),
        rules: canonicalJson([...entry.rules].sort()),
        policy_version: this.#ctx.policy.version,
        disclosed_at: entry.at,
      })
      .execute();
    return id;
  }

  #assertNames(req: DisclosureRequest): void {
    const policy = this.#ctx.policy;
    if (!policy.recipient(req.recipient))
      throw new VowError('VOW_UNKNOWN_RECIPIENT', `Unknown recipient "${req.recipient}"`, {
        recipient: req.recipient,
      });
    if (!policy.hasPurpose(req.purpose))
      throw new VowError('VOW_UNKNOWN_PURPOSE', `Unknown purpose "${req.purpose}"`, { purpose: req.purpose });
    for (const c of req.categories ?? []) {
      if (!policy.hasCategory(c))
        throw new VowError('VOW_UNKNOWN_CATEGORY', `Unknown data category "${c}"`, { category: c });
    }
  }

  /** The (subject, record) links the request covers. */
  async #parties(req: DisclosureRequest) {
    const db = this.#ctx.store.db;
    let recordId = req.recordId;
    if (req.orderId !== undefined) {
      const o = await db
        .selectFrom('orders')
        .select('id')
        .where('shop_order_id', '=', req.orderId)
        .executeTakeFirst();
      if (!o || (recordId !== undefined && recordId !== o.id))
        throw new VowError('VOW_NOT_FOUND', 'No order with this id is known');
      recordId = o.id;
    }
    let q = db.selectFrom('subject_records').selectAll().orderBy('collected_at', 'asc').orderBy('id', 'asc');
    if (recordId !== undefined) q = q.where('record_id', '=', recordId);
    if (req.subjectId !== undefined) q = q.where('subject_id', '=', req.subjectId);
    const rows = await q.execute();
    if (rows.length === 0) {
      if (recordId === undefined)
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      throw new VowError('VOW_NOT_FOUND', 'No such record (for this person)');
    }
    return rows;
  }

  async #candidates(req: DisclosureRequest): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const link of await this.#parties(req)) {
      const fields = JSON.parse(link.fields) as Record<string, { category: string; purposes: string[] }>;
      const values: Record<string, unknown> = await this.#collection.recordValues(
        link.subject_id,
        link.record_type,
        link.record_id,
      );
      const ids = await this.#ctx.store.db
        .selectFrom('subject_identifiers')
        .select(['field', 'sealed_value', 'kind'])
        .where('subject_id', '=', link.subject_id)
        .where('record_id', '=', link.record_id)
        .execute();
      for (const i of ids) {
        const plain = await openSealed(this.#ctx.vault, link.subject_id, i.sealed_value);
        if (plain !== null) values[i.field] = i.kind === 'address' ? JSON.parse(plain) : plain;
      }
      for (const [field, def] of Object.entries(fields)) {
        const value = values[field];
        if (value === undefined || value === null) continue;
        const key = `${link.subject_id}|${link.subject_kind}|${field}|${JSON.stringify(value)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          subjectId: link.subject_id,
          subjectKind: link.subject_kind,
          recordId: link.record_id,
          field,
          category: def.category,
          purposes: def.purposes,
          value,
        });
      }
    }
    return out;
  }

  /** Prepares and logs one disclosure, or refuses it (VOW_DISCLOSURE_DENIED) and audits the refusal. */
  async disclose(
    req: DisclosureRequest,
    actor: AuditEntry['actor'] = { type: 'service' },
  ): Promise<DisclosurePayload> {
    this.#assertNames(req);
    const policy = this.#ctx.policy;
    const recipient = policy.recipient(req.recipient)!;
    const asked = req.categories;
    const all = await this.#candidates(req);
    const candidates = all.filter((c) =>
      asked
        ? asked.some((a) => isWithin(c.category, a))
        : recipient.categories.some((a) => isWithin(c.category, a)),
    );
    const states = new Map<string, SubjectState>();
    const allowed: (Candidate & { rules: string[] })[] = [];
    const withheld: WithheldField[] = [];
    for (const c of candidates) {
      let state = states.get(c.subjectId);
      if (!state) {
        state = await this.#decisions.resolve({ id: c.subjectId });
        states.set(c.subjectId, state);
      }
      const { kindsByCategory: _k, ...rest } = state;
      const decision = decide(policy, {
        subject: { ...rest, kinds: [c.subjectKind] },
        purpose: req.purpose,
        categories: [c.category],
        recipient: req.recipient,
      });
      const reasons: WithheldField['reasons'][number][] = [];
      if (!c.purposes.includes(req.purpose)) {
        reasons.push({
          code: 'no_rule',
          message: `${c.field} was not collected for ${req.purpose} (P1: the form says what each field is for)`,
        });
      }
      if (decision.decision === 'deny') {
        for (const r of decision.reasons)
          reasons.push({
            code: r.code,
            message: r.message,
            ...(r.rule ? { rule: r.rule } : {}),
            ...(r.promise ? { promise: r.promise } : {}),
          });
      }
      if (reasons.length === 0)
        allowed.push({ ...c, rules: decision.reasons.flatMap((r) => (r.rule ? [r.rule] : [])) });
      else withheld.push({ subjectId: c.subjectId, field: c.field, category: c.category, reasons });
    }
    // Asked for categories with nothing to send, or anything asked for withheld: refuse it all.
    const unmet = asked?.filter((a) => !allowed.some((c) => isWithin(c.category, a))) ?? [];
    if (allowed.length === 0 || (asked && (withheld.length > 0 || unmet.length > 0))) {
      // One entry per person, ids only in the target (details hold names and codes, never ids
      // or values).
      const subjects = [...new Set(candidates.map((c) => c.subjectId))];
      for (const subjectId of subjects.length > 0 ? subjects : [undefined]) {
        await this.#ctx.audit.record({
          actor,
          action: 'disclosure.refused',
          target: subjectId ? { type: 'subject', id: subjectId } : undefined,
          reason: `The policy does not let ${req.recipient} receive this data for ${req.purpose}`,
          details: {
            recipient: req.recipient,
            purpose: req.purpose,
            withheld: withheld
              .filter((w) => w.subjectId === subjectId)
              .map((w) => ({ field: w.field, category: w.category, codes: w.reasons.map((r) => r.code) })),
            ...(unmet.length > 0 ? { nothingToSend: unmet } : {}),
          },
        });
      }
      throw new VowError(
        'VOW_DISCLOSURE_DENIED',
        `The policy does not let ${req.recipient} receive this data for ${req.purpose}`,
        {
          recipient: req.recipient,
          purpose: req.purpose,
          withheld: withheld.map((w) => ({ field: w.field, category: w.category, reasons: w.reasons })),
          ...(unmet.length > 0 ? { nothingToSend: unmet } : {}),
        },
      );
    }

    const disclosureId = this.#ctx.random.uuid();
    const at = this.#ctx.clock.now().toISOString();
    const bySubject = new Map<string, (Candidate & { rules: string[] })[]>();
    for (const c of allowed) bySubject.set(c.subjectId, [...(bySubject.get(c.subjectId) ?? []), c]);
    const recordOf = (list: Candidate[]) => {
      const records = [...new Set(list.map((c) => c.recordId))];
      return records.length === 1 ? records[0]! : null;
    };
    const closed = await this.#ctx.store.db.transaction().execute(async (trx) => {
      // The people were found before this transaction: one whose erasure began since (their data key
      // closed) gets no disclosure row that would outlive it, and nothing of theirs is disclosed. The
      // vault's check is ordered against the erasure. Asked about that one person, or with nobody
      // left: refused (VOW_SUBJECT_SHREDDED); one of several: left out.
      const closed = await this.#ctx.vault.closedAmong(trx, [...bySubject.keys()]);
      if (closed.size > 0 && (req.subjectId !== undefined || closed.size === bySubject.size))
        throw new VowError('VOW_SUBJECT_SHREDDED', 'This person was deleted; nothing of theirs is disclosed');
      for (const [subjectId, list] of bySubject) {
        if (closed.has(subjectId)) continue;
        const categories = [...new Set(list.map((c) => c.category))].sort();
        const fields = [...new Set(list.map((c) => c.field))].sort();
        const rules = [...new Set(list.flatMap((c) => c.rules))].sort();
        await trx
          .insertInto('disclosures')
          .values({
            id: this.#ctx.random.uuid(),
            disclosure_id: disclosureId,
            subject_id: subjectId,
            recipient: req.recipient,
            purpose: req.purpose,
            record_id: recordOf(list),
            categories: JSON.stringify(categories),
            fields: JSON.stringify(fields),
            rules: JSON.stringify(rules),
            policy_version: policy.version,
            disclosed_at: at,
          })
          .execute();
        await this.#ctx.audit.record(
          {
            actor,
            action: 'disclosure.sent',
            target: { type: 'subject', id: subjectId },
            reason: `Sent to ${req.recipient} for ${req.purpose} as the policy allows`,
            details: { recipient: req.recipient, purpose: req.purpose, categories, fields, rules },
          },
          trx,
        );
      }
      return closed;
    });
    const byParty = new Map<string, (Candidate & { rules: string[] })[]>();
    for (const c of allowed) {
      if (closed.has(c.subjectId)) continue;
      const key = `${c.subjectId}|${c.subjectKind}|${c.recordId}`;
      byParty.set(key, [...(byParty.get(key) ?? []), c]);
    }
    return {
      disclosureId,
      recipient: req.recipient,
      purpose: req.purpose,
      policyVersion: policy.version,
      parties: [...byParty.values()].map((list) => ({
        subjectId: list[0]!.subjectId,
        subjectKind: list[0]!.subjectKind,
        recordId: list[0]!.recordId,
        fields: list.map((c) => ({ field: c.field, category: c.category, value: c.value })),
      })),
      withheld: withheld.filter((w) => !closed.has(w.subjectId)),
    };
  }

  /** What was disclosed about one person, newest first (POST /v1/disclosures/search). */
  async forSubject(subjectId: string): Promise<DisclosureLogEntry[]> {
    const rows = await this.#ctx.store.db
      .selectFrom('disclosures')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('disclosed_at', 'desc')
      .orderBy('id', 'asc')
      .execute();
    if (rows.length === 0 && !(await this.#subjects.exists(subjectId)))
      throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
    return rows.map((r) => ({
      disclosureId: r.disclosure_id,
      recipient: r.recipient,
      purpose: r.purpose,
      recordId: r.record_id,
      categories: JSON.parse(r.categories) as string[],
      fields: JSON.parse(r.fields) as string[],
      rules: JSON.parse(r.rules) as string[],
      policyVersion: r.policy_version,
      disclosedAt: r.disclosed_at,
    }));
  }
}
