// Shared internals of the rights module's parts (not exported by index.ts): what every part works
// with, the request row and its sealed contact, and the few steps several parts take the same way.

import type { Transaction } from 'kysely';
import type { ErasureRegistry } from '../../platform/erasure/index.js';
import { VowError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import type { MailService } from '../../platform/mail/index.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { FULFIL_JOB } from './constants.js';
import type { DataWalker, PersonDirectory, RightsPorts } from './ports.js';
import type { RequestStatus } from './tables.js';

/** What the parts share, wired once by RightsService. */
export interface RightsDeps {
  readonly ctx: VowContext;
  readonly jobs: JobRunner;
  readonly mail: MailService;
  /** Read at each use: the ports may be connected (or replaced) after construction. */
  ports(): Readonly<RightsPorts>;
}

export type Row = Database['rights_requests'];

/** The personal part of a request, sealed under the request's own vault key (`request:<id>`). */
export interface Sealed {
  email?: string | undefined;
  name?: string | undefined;
  details?: string | undefined;
  correction?:
    | { category: string; column?: string | undefined; value: string; evidence?: string | undefined }
    | undefined;
  agent?: { name: string; permission: string } | undefined;
  extensionReason?: string | undefined;
}

export function normaliseEmailLoose(email: string): string {
  return email.trim().toLowerCase();
}

export function emailIndex(ctx: VowContext, email: string): string {
  return ctx.vault.blindIndex('email', normaliseEmailLoose(email));
}

/** A secret for a link (status page, export download); stored only as a keyed hash. */
export function newToken(ctx: VowContext): string {
  return ctx.random.bytes(32).toString('base64url');
}

export function statusIndex(ctx: VowContext, token: string): string {
  return ctx.vault.blindIndex('token', `request-status:${token}`);
}

export async function seal(ctx: VowContext, requestId: string, value: Sealed): Promise<string> {
  return ctx.vault.encrypt(`request:${requestId}`, JSON.stringify(value));
}

/** The sealed contact, or nothing once it was erased (purge) or its key destroyed (log pruned). */
export async function openSealed(ctx: VowContext, row: Pick<Row, 'id' | 'sealed'>): Promise<Sealed> {
  if (row.sealed === '') return {};
  const plain = await ctx.vault.decrypt(`request:${row.id}`, row.sealed);
  return plain === null ? {} : (JSON.parse(plain) as Sealed);
}

export async function findRow(ctx: VowContext, requestId: string): Promise<Row> {
  const r = await ctx.store.db
    .selectFrom('rights_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!r) throw new VowError('VOW_REQUEST_NOT_FOUND', 'No such request');
  return r;
}

/** The request's status as this transaction sees it ('missing' once it is gone). */
export async function statusIn(trx: Transaction<Database>, requestId: string): Promise<string> {
  const row = await trx
    .selectFrom('rights_requests')
    .select('status')
    .where('id', '=', requestId)
    .executeTakeFirst();
  return row?.status ?? 'missing';
}

export function requireDirectory(deps: RightsDeps): PersonDirectory {
  const directory = deps.ports().directory;
  if (!directory) throw new VowError('VOW_RIGHTS_NOT_CONNECTED', 'The subjects directory is not connected');
  return directory;
}

export function requireErasure(deps: RightsDeps): ErasureRegistry {
  const erasure = deps.ports().erasure;
  if (!erasure) throw new VowError('VOW_RIGHTS_NOT_CONNECTED', 'The erasure registry is not connected');
  return erasure;
}

export function requireWalker(deps: RightsDeps): DataWalker {
  const walker = deps.ports().walker;
  if (!walker) throw new VowError('VOW_RIGHTS_NOT_CONNECTED', 'The datasets walker is not connected');
  return walker;
}

/**
 * Moves a verified request on: waits for staff to confirm an agent's permission, or to approve a
 * correction; otherwise schedules its one fulfilment job (the idempotency key makes it one).
 */
export async function advance(
  deps: RightsDeps,
  trx: Transaction<Database>,
  requestId: string,
): Promise<RequestStatus> {
  const r = await trx
    .selectFrom('rights_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  let status: RequestStatus;
  if (r.is_agent === 1 && r.agent_confirmed_at === null) status = 'awaiting_agent_confirmation';
  else if (r.type === 'correction' && r.approved_by === null) status = 'awaiting_approval';
  else status = 'in_progress';
  await trx
    .updateTable('rights_requests')
    .set({ status, updated_at: deps.ctx.clock.now().toISOString() })
    .where('id', '=', requestId)
    .execute();
  if (status === 'in_progress') {
    await deps.jobs.enqueue(
      { name: FULFIL_JOB, payload: { requestId }, idempotencyKey: `rights:${requestId}` },
      trx,
    );
  }
  return status;
}

/**
 * Closes a fulfilled request inside the fulfilment job's last step: the log entry (response date and
 * nature, a result without values), the reply to the person and the audit entry commit together.
 */
export async function complete(
  deps: RightsDeps,
  trx: Transaction<Database>,
  r: Row,
  nature: string,
  result: Record<string, unknown>,
  reply: { subject: string; text: string } | undefined,
  to: string | undefined,
): Promise<void> {
  const now = deps.ctx.clock.now().toISOString();
  await trx
    .updateTable('rights_requests')
    .set({
      status: 'completed',
      responded_at: now,
      response_nature: nature,
      result: JSON.stringify(result),
      updated_at: now,
    })
    .where('id', '=', r.id)
    .execute();
  if (reply && to) await deps.mail.enqueue({ to, kind: `rights.reply.${r.type}`, ...reply }, trx);
  await deps.ctx.audit.record(
    {
      actor: { type: 'system' },
      action: 'request.completed',
      target: { type: 'request', id: r.id },
      details: { type: r.type, nature, ...result },
    },
    trx,
  );
}

/**
 * A request whose recipients must act first (a deletion's or a correction's downstream tasks): it
 * records what to answer once they have (`answer`, kept in its result beside `awaiting`) and says
 * so in the audit trail with how many tasks it waits for.
 */
export async function awaitRecipients(
  deps: RightsDeps,
  trx: Transaction<Database>,
  requestId: string,
  answer: Readonly<Record<string, unknown>>,
  blocking: number,
): Promise<void> {
  await trx
    .updateTable('rights_requests')
    .set({
      result: JSON.stringify({ awaiting: 'recipients', ...answer }),
      updated_at: deps.ctx.clock.now().toISOString(),
    })
    .where('id', '=', requestId)
    .execute();
  await deps.ctx.audit.record(
    {
      actor: { type: 'system' },
      action: 'request.awaiting_recipients',
      target: { type: 'request', id: requestId },
      details: { blocking },
    },
    trx,
  );
}
