// Four eyes on the under-13 purge (P14). Marking someone as under 13 deletes everything Vow holds
// about them and cannot be undone, so one staff member cannot do it alone: customer service
// proposes, a privacy officer who is another person approves, and only the approval runs the purge
// (SubjectService.markUnder13). "Another person" is checked on the staff accounts too: the
// approver may not be the proposer, nor have issued the proposer's credentials or been issued theirs
// by the proposer (the identity module's independence check, connected by the composition root).

import { VowError } from '../../platform/errors.js';
import { holdsContactShape } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import type { SubjectService } from './subject-service.js';

export interface Under13Proposal {
  readonly id: string;
  readonly subjectId: string;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly reason: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
}

/** Whether two staff members are two independent people (connected to the identity module). */
export type StaffIndependence = (approverId: string, proposerId: string) => Promise<boolean>;

/** A reason goes to the audit trail: it may not carry an email address or a phone number. */
function checkReason(reason: string | undefined): string | null {
  if (reason === undefined || reason.trim() === '') return null;
  if (holdsContactShape(reason))
    throw new VowError(
      'VOW_VALIDATION',
      'The reason goes to the audit trail: it may not hold an email address or a phone number',
    );
  return reason.trim();
}

function view(row: {
  id: string;
  subject_id: string;
  status: 'pending' | 'approved' | 'rejected';
  proposed_by: string;
  proposed_at: string;
  reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
}): Under13Proposal {
  return {
    id: row.id,
    subjectId: row.subject_id,
    status: row.status,
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    reason: row.reason,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}

export class Under13Approvals {
  readonly #ctx: VowContext;
  readonly #subjects: SubjectService;
  readonly #independent: StaffIndependence;

  constructor(ctx: VowContext, subjects: SubjectService, independent: StaffIndependence) {
    this.#ctx = ctx;
    this.#subjects = subjects;
    this.#independent = independent;
  }

  /** Customer service proposes: nothing is deleted yet. One proposal per person waits at a time. */
  async propose(subjectId: string, staffId: string, reason?: string): Promise<Under13Proposal> {
    const why = checkReason(reason);
    if (!(await this.#subjects.exists(subjectId)))
      throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
    if (await this.#subjects.isMarkedUnder13(subjectId))
      throw new VowError('VOW_SUBJECT_ALREADY_MARKED', 'This subject is already marked as under 13');
    const id = this.#ctx.random.uuid();
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const waiting = await trx
        .selectFrom('under13_proposals')
        .select('id')
        .where('subject_id', '=', subjectId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (waiting)
        throw new VowError('VOW_PROPOSAL_PENDING', 'A proposal for this person already waits for approval', {
          proposalId: waiting.id,
        });
      // The partial unique index refuses a second pending row should two proposals race.
      await trx
        .insertInto('under13_proposals')
        .values({
          id,
          subject_id: subjectId,
          status: 'pending',
          proposed_by: staffId,
          proposed_at: now,
          reason: why,
          decided_by: null,
          decided_at: null,
          decision_reason: null,
        })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: staffId },
          action: 'subject.under13_proposed',
          target: { type: 'subject', id: subjectId },
          ...(why ? { reason: why } : {}),
          details: { proposalId: id },
        },
        trx,
      );
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Under13Proposal | undefined> {
    const row = await this.#ctx.store.db
      .selectFrom('under13_proposals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? view(row) : undefined;
  }

  /** The proposals waiting for a privacy officer, oldest first. */
  async pending(): Promise<Under13Proposal[]> {
    const rows = await this.#ctx.store.db
      .selectFrom('under13_proposals')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('proposed_at')
      .orderBy('id')
      .execute();
    return rows.map(view);
  }

  async #require(id: string): Promise<Under13Proposal> {
    const p = await this.get(id);
    if (!p) throw new VowError('VOW_PROPOSAL_NOT_FOUND', 'No such under-13 proposal');
    if (p.status !== 'pending')
      throw new VowError('VOW_PROPOSAL_DECIDED', `This proposal was already ${p.status}`);
    return p;
  }

  async #assertFourEyes(p: Under13Proposal, approverId: string): Promise<void> {
    if (approverId === p.proposedBy || !(await this.#independent(approverId, p.proposedBy)))
      throw new VowError(
        'VOW_FOUR_EYES',
        'Another privacy officer must decide: you proposed this, or one of you issued the other’s credentials',
      );
  }

  /**
   * A privacy officer approves: the proposal is claimed (compare-and-set, so two approvals run one
   * purge), then the P14 purge runs. Should the purge fail, the proposal waits again.
   */
  async approve(id: string, approverId: string): Promise<{ subjectId: string; markers: number }> {
    const p = await this.#require(id);
    await this.#assertFourEyes(p, approverId);
    const now = this.#ctx.clock.now().toISOString();
    const claimed = await this.#ctx.store.db
      .updateTable('under13_proposals')
      .set({ status: 'approved', decided_by: approverId, decided_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1)
      throw new VowError('VOW_PROPOSAL_DECIDED', 'This proposal was decided meanwhile');
    try {
      // The purge deletes the person's proposals too (P14: nothing kept); the audit trail keeps
      // who proposed and who approved, by id.
      const { markers } = await this.#subjects.markUnder13(
        p.subjectId,
        { type: 'staff', id: approverId },
        `Approved under-13 proposal ${id} (proposed by staff ${p.proposedBy})`,
      );
      return { subjectId: p.subjectId, markers };
    } catch (err) {
      await this.#ctx.store.db
        .updateTable('under13_proposals')
        .set({ status: 'pending', decided_by: null, decided_at: null })
        .where('id', '=', id)
        .where('status', '=', 'approved')
        .execute();
      throw err;
    }
  }

  /** A privacy officer rejects (the proposer may withdraw their own): nothing is deleted. */
  async reject(id: string, deciderId: string, reason?: string): Promise<Under13Proposal> {
    const why = checkReason(reason);
    const p = await this.#require(id);
    const now = this.#ctx.clock.now().toISOString();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('under13_proposals')
        .set({ status: 'rejected', decided_by: deciderId, decided_at: now, decision_reason: why })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1)
        throw new VowError('VOW_PROPOSAL_DECIDED', 'This proposal was decided meanwhile');
      await this.#ctx.audit.record(
        {
          actor: { type: 'staff', id: deciderId },
          action: 'subject.under13_rejected',
          target: { type: 'subject', id: p.subjectId },
          ...(why ? { reason: why } : {}),
          details: { proposalId: id, proposedBy: p.proposedBy },
        },
        trx,
      );
    });
    return (await this.get(id))!;
  }
}
