// Appeals of refused requests (the US state laws): the person appeals from the refusal's status
// page, the law of their state sets the deadline (policy `us_state_laws.<id>.appeal`), someone other
// than the staff member who refused decides, and a refusal upheld names the attorney general where
// the law requires it. Granting the appeal reopens the request.

import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { addDays, isOverdue, isoDay, stateLawOf } from './deadlines.js';
import { advance, findRow, openSealed, type RightsDeps, statusIndex } from './internal.js';
import { rightsMail } from './mail-text.js';
import type { AppealStatus, Jurisdiction, RightsTables } from './tables.js';

type AppealRow = RightsTables['rights_appeals'];

interface AppealSealed {
  reason?: string | undefined;
  answer?: string | undefined;
}

export interface AppealView {
  readonly id: string;
  readonly requestId: string;
  readonly jurisdiction: Jurisdiction;
  readonly status: AppealStatus;
  readonly receivedOn: string;
  readonly dueOn: string;
  readonly extended: boolean;
  readonly overdue: boolean;
  /** Who refused the request: they may not decide the appeal. */
  readonly firstDecider: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** The statute section of the appeal clock (policy data). */
  readonly cite: string | null;
}

/** What the person sees: whether they may appeal, until when, and the appeal's state. */
export interface AppealOffer {
  readonly offered: boolean;
  readonly decideWithinDays: number | null;
  readonly appeal: {
    readonly status: AppealStatus;
    readonly receivedOn: string;
    readonly dueOn: string;
    readonly answer: string | null;
  } | null;
}

function sealKey(requestId: string): string {
  return `request:${requestId}`;
}

async function openAppeal(ctx: VowContext, row: AppealRow): Promise<AppealSealed> {
  if (row.sealed === '') return {};
  const plain = await ctx.vault.decrypt(sealKey(row.request_id), row.sealed);
  return plain === null ? {} : (JSON.parse(plain) as AppealSealed);
}

export function appealView(ctx: VowContext, a: AppealRow): AppealView {
  const dueOn = a.extended_due_on ?? a.due_on;
  return {
    id: a.id,
    requestId: a.request_id,
    jurisdiction: a.jurisdiction,
    status: a.status,
    receivedOn: a.received_at.slice(0, 10),
    dueOn,
    extended: a.extended_due_on !== null,
    overdue: a.status === 'open' && isOverdue(dueOn, isoDay(ctx.clock.now())),
    firstDecider: a.first_decider,
    decidedBy: a.decided_by,
    decidedAt: a.decided_at,
    cite: stateLawOf(a.jurisdiction, ctx.policy)?.appeal.cite ?? null,
  };
}

async function appealOfRequest(ctx: VowContext, requestId: string): Promise<AppealRow | undefined> {
  return ctx.store.db
    .selectFrom('rights_appeals')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

async function findAppeal(ctx: VowContext, appealId: string): Promise<AppealRow> {
  const a = await ctx.store.db
    .selectFrom('rights_appeals')
    .selectAll()
    .where('id', '=', appealId)
    .executeTakeFirst();
  if (!a) throw new VowError('VOW_APPEAL_NOT_FOUND', 'No such appeal');
  return a;
}

async function requestByToken(ctx: VowContext, statusToken: string) {
  const r = await ctx.store.db
    .selectFrom('rights_requests')
    .selectAll()
    .where('status_token_index', '=', statusIndex(ctx, statusToken))
    .executeTakeFirst();
  if (!r) throw new VowError('VOW_REQUEST_NOT_FOUND', 'No privacy request matches this link');
  return r;
}

/**
 * Who refused a request, from the audit trail: for refusals logged before the request log kept
 * `denied_by` (the latest `request.denied` entry's staff actor).
 */
async function refuserFromAudit(ctx: VowContext, requestId: string): Promise<string | null> {
  const entries = await ctx.audit.list({ targetType: 'request', targetId: requestId, limit: 1000 });
  const denial = entries.filter((e) => e.action === 'request.denied' && e.actor_type === 'staff').at(-1);
  return denial?.actor_id ?? null;
}

/** Whether a request's jurisdiction offers an appeal, and the appeal on record (status page). */
export async function appealOffer(ctx: VowContext, statusToken: string): Promise<AppealOffer> {
  const r = await requestByToken(ctx, statusToken);
  const law = stateLawOf(r.jurisdiction, ctx.policy);
  const a = await appealOfRequest(ctx, r.id);
  const sealed = a ? await openAppeal(ctx, a) : {};
  return {
    offered: r.status === 'denied' && law?.appeal.offered === true && a === undefined,
    decideWithinDays: law?.appeal.offered ? (law.appeal.decide_within_days ?? null) : null,
    appeal: a
      ? {
          status: a.status,
          receivedOn: a.received_at.slice(0, 10),
          dueOn: a.extended_due_on ?? a.due_on,
          answer: a.status === 'open' ? null : (sealed.answer ?? null),
        }
      : null,
  };
}

/**
 * The person appeals a refused request from its status page. Only a refusal can be appealed, once,
 * and only where the law of the person's state offers an appeal; the decision is due within the
 * law's days from the appeal's receipt.
 */
export async function fileAppeal(
  deps: RightsDeps,
  statusToken: string,
  reason: string | undefined,
): Promise<AppealView> {
  const ctx = deps.ctx;
  const r = await requestByToken(ctx, statusToken);
  if (r.status !== 'denied')
    throw new VowError('VOW_APPEAL_NOT_OFFERED', 'Only a refused request can be appealed');
  const law = stateLawOf(r.jurisdiction, ctx.policy);
  if (!law?.appeal.offered || law.appeal.decide_within_days === undefined)
    throw new VowError('VOW_APPEAL_NOT_OFFERED', 'The law of your state offers no appeal of this refusal', {
      jurisdiction: r.jurisdiction,
    });
  if (await appealOfRequest(ctx, r.id))
    throw new VowError('VOW_APPEAL_NOT_OFFERED', 'This refusal was already appealed');
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const id = ctx.random.uuid();
  const firstDecider = r.denied_by ?? (await refuserFromAudit(ctx, r.id));
  const row: AppealRow = {
    id,
    request_id: r.id,
    jurisdiction: r.jurisdiction,
    status: 'open',
    received_at: nowIso,
    due_on: addDays(isoDay(now), law.appeal.decide_within_days),
    extended_due_on: null,
    first_decider: firstDecider,
    decided_by: null,
    decided_at: null,
    sealed: await ctx.vault.encrypt(sealKey(r.id), JSON.stringify({ reason } satisfies AppealSealed)),
    created_at: nowIso,
    updated_at: nowIso,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('rights_appeals').values(row).execute();
    await ctx.audit.record(
      {
        actor: r.subject_id ? { type: 'subject', id: r.subject_id } : { type: 'subject' },
        action: 'request.appealed',
        target: { type: 'request', id: r.id },
        details: { appealId: id, dueOn: row.due_on, law: law.law_id },
      },
      trx,
    );
  });
  return appealView(ctx, row);
}

/** Staff extend an appeal's deadline once, where the law allows it, before the first one passes. */
export async function extendAppeal(deps: RightsDeps, appealId: string, staffId: string): Promise<AppealView> {
  const ctx = deps.ctx;
  const a = await findAppeal(ctx, appealId);
  const law = stateLawOf(a.jurisdiction, ctx.policy);
  const ext = law?.appeal.extension_days ?? 0;
  if (a.status !== 'open') throw new VowError('VOW_APPEAL_STATE', 'The appeal is decided');
  if (ext === 0 || a.extended_due_on !== null || isoDay(ctx.clock.now()) > a.due_on)
    throw new VowError('VOW_EXTENSION_NOT_ALLOWED', 'This appeal cannot be extended', { extensionDays: ext });
  const extended = addDays(a.received_at.slice(0, 10), (law?.appeal.decide_within_days ?? 0) + ext);
  const nowIso = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('rights_appeals')
      .set({ extended_due_on: extended, updated_at: nowIso })
      .where('id', '=', appealId)
      .execute();
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'request.appeal_extended',
        target: { type: 'request', id: a.request_id },
        details: { appealId, dueOn: extended },
      },
      trx,
    );
  });
  return appealView(ctx, await findAppeal(ctx, appealId));
}

/**
 * Decides an appeal. The staff member who refused the request may not decide it (enforced). A
 * refusal upheld is answered in writing with the reasons and, where the law requires it, the
 * attorney general's contact; a granted appeal reopens the request and moves it on.
 */
export async function decideAppeal(
  deps: RightsDeps,
  appealId: string,
  decision: { outcome: 'granted' | 'upheld'; reasons: string },
  staffId: string,
): Promise<{ appeal: AppealView; answer: string }> {
  const ctx = deps.ctx;
  const a = await findAppeal(ctx, appealId);
  if (a.status !== 'open') throw new VowError('VOW_APPEAL_STATE', 'The appeal is already decided');
  // Another person: not the refuser's account, nor one the refuser issued or was issued by.
  const independent = deps.ports().independent;
  if (
    a.first_decider === null ||
    a.first_decider === staffId ||
    (independent !== undefined && !(await independent(staffId, a.first_decider)))
  )
    throw new VowError(
      'VOW_APPEAL_SAME_DECIDER',
      'An appeal is decided by someone other than the staff member who refused the request, or than an account they issued or were issued by',
    );
  const r = await findRow(ctx, a.request_id);
  const law = stateLawOf(a.jurisdiction, ctx.policy);
  const ag = law?.attorney_general;
  const say = rightsMail(r.locale);
  const mail = say.appealDecided({
    granted: decision.outcome === 'granted',
    type: say.typeName[r.type],
    reasons: decision.reasons,
    ...(decision.outcome === 'upheld' && ag && law?.appeal.attorney_general_in_answer
      ? { attorneyGeneral: { name: ag.name, url: ag.url } }
      : {}),
  });
  const answer = mail.text;
  const contact = await openSealed(ctx, r);
  const previous = await openAppeal(ctx, a);
  const nowIso = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('rights_appeals')
      .set({
        status: decision.outcome,
        decided_by: staffId,
        decided_at: nowIso,
        sealed: await ctx.vault.encrypt(sealKey(r.id), JSON.stringify({ ...previous, answer })),
        updated_at: nowIso,
      })
      .where('id', '=', appealId)
      .execute();
    if (contact.email)
      await deps.mail.enqueue(
        {
          to: contact.email,
          kind: 'rights.appeal_decided',
          subjectId: r.subject_id ?? undefined,
          ...mail,
        },
        trx,
      );
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'request.appeal_decided',
        target: { type: 'request', id: r.id },
        reason: decision.reasons,
        details: {
          appealId,
          outcome: decision.outcome,
          attorneyGeneralNamed: answer.includes(ag?.url ?? '\u0000'),
        },
      },
      trx,
    );
    if (decision.outcome === 'granted') {
      // The refusal is withdrawn: the request is open again and goes on from where it was.
      await trx
        .updateTable('rights_requests')
        .set({
          status: 'awaiting_verification',
          denial_basis: null,
          responded_at: null,
          response_nature: null,
          updated_at: nowIso,
        })
        .where('id', '=', r.id)
        .execute();
      if (r.verified_at !== null) await advance(deps, trx, r.id);
    }
  });
  deps.jobs.wake();
  return { appeal: appealView(ctx, await findAppeal(ctx, appealId)), answer };
}

/** The staff's appeal queue: open appeals (or all), soonest deadline first. */
export async function appealQueue(
  ctx: VowContext,
  options: { includeDecided?: boolean } = {},
): Promise<AppealView[]> {
  let q = ctx.store.db.selectFrom('rights_appeals').selectAll();
  if (!options.includeDecided) q = q.where('status', '=', 'open');
  const rows = await q.limit(2000).execute();
  return rows
    .map((a) => appealView(ctx, a))
    .sort((x, y) => x.dueOn.localeCompare(y.dueOn) || x.id.localeCompare(y.id));
}

/** One appeal with the person's reasons (staff). */
export async function appealDetail(
  ctx: VowContext,
  appealId: string,
): Promise<AppealView & { reason: string | null; answer: string | null }> {
  const a = await findAppeal(ctx, appealId);
  const s = await openAppeal(ctx, a);
  return { ...appealView(ctx, a), reason: s.reason ?? null, answer: s.answer ?? null };
}
