// The staff queue with its requesters: open, closed (answered or refused) or every request,
// narrowed by type, status, law, lateness and waiting approval, and searched by email, name or request id. The
// requester's email and name are opened from each request's sealed part (the view is audited).

import type { VowContext } from '../policy/index.js';
import { lawOf } from './deadlines.js';
import { openSealed } from './internal.js';
import { type RequestView, view } from './queries.js';
import type { RequestStatus, RequestType } from './tables.js';
import { requestsPendingApproval } from './verification-approval.js';

export interface QueueFilter {
  /** Part of the requester's email or name, or the start of a request id (case-insensitive). */
  readonly text?: string | undefined;
  readonly type?: RequestType | undefined;
  readonly status?: RequestStatus | undefined;
  readonly law?: 'gdpr' | 'ccpa' | undefined;
  /** Only requests past their deadline. */
  readonly overdue?: boolean | undefined;
  /** Only requests whose staff verification waits for a privacy officer's approval. */
  readonly pendingApproval?: boolean | undefined;
  /** Open requests (the default), closed ones (answered or refused), or all. */
  readonly show?: 'open' | 'closed' | 'all' | undefined;
}

export interface QueueEntry extends RequestView {
  /** Who asked, as they gave it (none once erased or for a request without it). */
  readonly requester: { readonly email: string | null; readonly name: string | null };
  /** Its staff verification waits for a privacy officer's approval (four eyes). */
  readonly pendingApproval: boolean;
}

const CLOSED: RequestStatus[] = ['completed', 'denied'];
const MAX_ROWS = 2000;

export async function staffQueue(
  ctx: VowContext,
  staffId: string,
  f: QueueFilter = {},
): Promise<QueueEntry[]> {
  let q = ctx.store.db.selectFrom('rights_requests').selectAll();
  const show = f.show ?? 'open';
  if (show === 'open') q = q.where('status', 'not in', CLOSED);
  if (show === 'closed') q = q.where('status', 'in', CLOSED);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.pendingApproval) q = q.where('status', '=', 'awaiting_verification');
  const rows = await q.orderBy('received_at', 'desc').limit(MAX_ROWS).execute();
  const pending = await requestsPendingApproval(ctx);
  const needle = f.text?.trim().toLowerCase() ?? '';
  const out: QueueEntry[] = [];
  for (const r of rows) {
    if (f.law && lawOf(r.jurisdiction) !== f.law) continue;
    const v = view(ctx, r);
    if (f.overdue && !v.overdue) continue;
    if (f.pendingApproval && !pending.has(r.id)) continue;
    const sealed = await openSealed(ctx, r);
    const requester = { email: sealed.email ?? null, name: sealed.name ?? null };
    if (
      needle &&
      !r.id.toLowerCase().includes(needle) &&
      !(requester.email ?? '').toLowerCase().includes(needle) &&
      !(requester.name ?? '').toLowerCase().includes(needle)
    )
      continue;
    out.push({ ...v, requester, pendingApproval: pending.has(r.id) });
  }
  out.sort((a, b) =>
    a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.receivedOn.localeCompare(b.receivedOn),
  );
  await ctx.audit.record({
    actor: { type: 'staff', id: staffId },
    action: 'request.queue_viewed',
    details: { shown: out.length, searched: needle !== '', show },
  });
  return out;
}

/** How many requests wait for a privacy officer to approve their staff verification (the queue's count). */
export async function pendingApprovalCount(ctx: VowContext): Promise<number> {
  return (await requestsPendingApproval(ctx)).size;
}
