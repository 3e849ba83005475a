// Fulfilment of a deletion request (P22, GDPR Art. 17 and 19, CCPA): plan, suppress, walk, erase
// through the erasure registry, notify recipients, shred the person's key, answer; each step once.

import type { JobContext } from '../../platform/jobs/index.js';
import { forgetOldPages } from '../../platform/store/index.js';
import { noun } from '../../platform/strings.js';
import type { PersonIdentity, WalkReport } from '../datasets/index.js';
import { categoryName, exemptionName } from '../policy/index.js';
import { DELETION_NOTICE_RECIPIENTS } from './constants.js';
import { forgetContact } from './erasure.js';
import {
  awaitRecipients,
  complete,
  emailIndex,
  type RightsDeps,
  type Row,
  requireErasure,
  requireWalker,
  type Sealed,
} from './internal.js';
import { rightsMail } from './mail-text.js';

/** What a dry run would do, as recorded in the job (counts and exemptions, never a value). */
function summarise(report: WalkReport): {
  changes: number;
  retained: {
    dataset: string;
    table: string;
    column: string;
    category: string;
    exemption: string;
    rows: number;
  }[];
} {
  return {
    changes: report.changes,
    retained: report.retained.map((k) => ({
      dataset: k.dataset,
      table: k.table,
      column: k.column,
      category: k.category,
      exemption: k.exemption,
      rows: k.rows,
    })),
  };
}

/** Each recipient is sent only the identifiers it processes for us (data minimisation). */
function recipientNotice(
  recipient: string,
  requestId: string,
  identity: PersonIdentity,
  categories: readonly string[] | 'all',
): string {
  const lines = [
    `A person asked us to delete their data (request ${requestId}, scope: ${categories === 'all' ? 'all data' : categories.join(', ')}).`,
    'Please delete the data you process for us about this person and confirm.',
  ];
  if (recipient === 'email_service' && identity.emails?.length)
    lines.push(
      `${noun(identity.emails.length, 'Email address', 'Email addresses')}: ${identity.emails.join(', ')}`,
    );
  if (recipient === 'sms_gateway' && identity.phones?.length)
    lines.push(`${noun(identity.phones.length, 'Phone number')}: ${identity.phones.join(', ')}`);
  if (recipient === 'google_analytics')
    lines.push('You receive no identifying data from us; delete any data linked to this request reference.');
  return lines.join('\n\n');
}

export async function fulfilDeletion(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  identity: PersonIdentity,
  job: JobContext,
): Promise<unknown> {
  const ctx = deps.ctx;
  const walker = requireWalker(deps);
  const scope = JSON.parse(r.scope) as { categories?: string[] };
  const everything = !scope.categories || scope.categories.length === 0;
  const categories = everything ? 'all' : scope.categories!;
  const actor = { type: 'system' as const, requestId: r.id };
  // 1. The plan (a dry run), recorded once: what will change and what stays under an exemption.
  const plan = await job.once('plan', async () =>
    summarise(await walker.delete(identity, { categories, dryRun: true }, actor)),
  );
  // 2. Suppression before the identifiers disappear: keyed hashes only, so the person is never re-mailed.
  if (everything) {
    const suppressor = deps.ports().suppressor;
    const indexes = [
      ...(identity.emails ?? []).map((e) => ({
        indexKind: 'email' as const,
        blindIndex: emailIndex(ctx, e),
      })),
      ...(identity.phones ?? []).map((p) => ({
        indexKind: 'phone' as const,
        blindIndex: ctx.vault.blindIndex('phone', p),
      })),
    ];
    await job.step('suppress', async (trx) => {
      // All at once: their locks in one statement, in order (two deletions never wait in a circle).
      const reason = `deletion request ${r.id}`;
      if (suppressor)
        await suppressor.suppressIdentifiers(
          trx,
          indexes.map((i) => ({ ...i, reason })),
        );
      return { suppressed: suppressor ? indexes.length : 0 };
    });
  }
  // 2b. Before anything of the person is deleted, their data key is closed: from this step's commit
  // on, no writer stores anything more for them (it resolves the person again, or is refused), and
  // one that resolved them earlier has committed (on PostgreSQL this step waits for it), so the walk
  // and the erasure below see everything there is. The key still opens their values until step 5.
  if (everything && r.subject_id) {
    const subjectId = r.subject_id;
    await job.step('close-key', async (trx) => {
      await ctx.vault.closeKeys(trx, [subjectId]);
      return { closed: 1 };
    });
  }
  // 3. The walk itself (idempotent: a second pass changes nothing).
  // Once recorded, a retried job does not walk again (the person's key may be gone by then).
  await job.once('walked', async () => ({
    changes: (await walker.delete(identity, { categories }, actor)).changes,
  }));
  // What the walker does not reach (not values in annotated columns): every part of Vow erases its
  // own rows of the person through the erasure registry (the subjects module's look-ups, so the
  // person is no longer found by email; the outbox's queued mail to them; …).
  if (r.subject_id) {
    const subjectId = r.subject_id;
    const erasure = requireErasure(deps);
    const erased = await job.step('erase', async (trx) => {
      const report = await erasure.erase(trx, {
        subjectId,
        mode: 'delete',
        categories,
        at: ctx.clock.now().toISOString(),
        requestId: r.id,
      });
      return { rows: report.rows, destroyKeys: [...report.destroyKeys] };
    });
    // After the step committed: a key is destroyed only once the rows it opened are gone.
    for (const key of erased.destroyKeys) await ctx.vault.destroyKey(key);
  }
  // 4. Notices to downstream recipients, recorded in the outbox.
  const notify = DELETION_NOTICE_RECIPIENTS.filter((id) => ctx.policy.recipient(id));
  const notified = await job.step('notify', async (trx) => {
    const notices: Record<string, string> = {};
    for (const recipient of notify) {
      notices[recipient] = await deps.mail.enqueue(
        {
          to: `recipient:${recipient}`,
          kind: 'rights.deletion_notice',
          subject: `Deletion request ${r.id}`,
          text: recipientNotice(recipient, r.id, identity, categories),
        },
        trx,
      );
    }
    await ctx.audit.record(
      {
        actor: { type: 'system' },
        action: 'request.recipients_notified',
        target: { type: 'request', id: r.id },
        details: { recipients: notify },
      },
      trx,
    );
    return { notified: notify.length, notices };
  });
  // 4b. One task per recipient system (src/modules/downstream), opened while the person's values are
  // still in hand; the request waits for its blocking tasks, with the answer recorded for later.
  const downstream = deps.ports().downstream;
  const pendingAnswer: PendingAnswer = { plan, categories, everything, notify: [...notify] };
  // Outside a step (the vault seals values on its own connection); opening twice returns the first count.
  const opened = downstream
    ? await job.once('downstream', () =>
        downstream.open(
          {
            requestId: r.id,
            kind: 'deletion',
            subjectId: r.subject_id,
            person: { emails: identity.emails ?? [], phones: identity.phones ?? [] },
            scope: categories,
            // A job recorded before notices were kept by recipient has none: the tasks draft their own.
            notices: (notified as { notices?: Record<string, string> }).notices,
          },
          async (trx, result) => {
            if (result.blocking > 0)
              await awaitRecipients(deps, trx, r.id, { pending: pendingAnswer }, result.blocking);
          },
        ),
      )
    : { tasks: 0, blocking: 0 };
  // 5. Crypto-shredding: every copy of the person's sealed values, backups included, is unreadable.
  // The pages as they were before (their rows, their wrapped key) leave SQLite's write-ahead log too.
  if (everything && r.subject_id) {
    await ctx.vault.destroyKey(r.subject_id);
    await forgetOldPages(ctx.store);
  }
  if (downstream && opened.blocking > 0 && (await downstream.pending(r.id)) > 0)
    return { awaiting: 'recipients', blocking: opened.blocking };
  return answerDeletion(deps, r, contact, pendingAnswer, job);
}

/** What the answer of a deletion needs, recorded while the request waits for its recipients (no values). */
export interface PendingAnswer {
  readonly plan: ReturnType<typeof summarise>;
  readonly categories: 'all' | readonly string[];
  readonly everything: boolean;
  readonly notify: readonly string[];
}

/** The recorded answer of a deletion that waited for its recipients (null: it did not wait). */
export function pendingAnswerOf(r: Row): PendingAnswer | null {
  if (!r.result) return null;
  const parsed = JSON.parse(r.result) as { awaiting?: string; pending?: PendingAnswer };
  return parsed.awaiting === 'recipients' && parsed.pending ? parsed.pending : null;
}

/** Steps 6 and 7: the reply (what was deleted, what was kept and why), then the request forgets the contact. */
export async function answerDeletion(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  pending: PendingAnswer,
  job: JobContext,
): Promise<unknown> {
  const ctx = deps.ctx;
  const { plan, categories, everything, notify } = pending;
  // 6. The reply: what was deleted, and what was kept under which exemption.
  // What was kept, in the person's words: the category and the exemption, never a table name.
  const kept = [
    ...new Set(
      plan.retained.map(
        (k) =>
          `${categoryName(ctx.policy, k.category, r.locale)}: ${exemptionName(ctx.policy, k.exemption, r.locale)}`,
      ),
    ),
  ];
  const answered = await job.step('answer', async (trx) => {
    const result = {
      changes: plan.changes,
      retained: plan.retained,
      keyDestroyed: everything && r.subject_id !== null,
      recipientsNotified: notify,
    };
    await deps.ports().downstream?.event(trx, 'deletion.completed', { requestId: r.id });
    await complete(
      deps,
      trx,
      r,
      everything ? 'deleted' : 'deleted (chosen categories)',
      result,
      rightsMail(r.locale).deleted({
        categories:
          categories === 'all' ? 'all' : categories.map((c) => categoryName(ctx.policy, c, r.locale)),
        kept,
      }),
      contact.email,
    );
    return result;
  });
  // 7. Once the answer is in the outbox (delivered from there, then not kept), the request itself
  // forgets how to reach the person: the log entry stays without a personal value.
  if (everything) {
    const key = await job.step('forget-contact', (trx) =>
      forgetContact(trx, r.id, ctx.clock.now().toISOString()),
    );
    await ctx.vault.destroyKey(key);
    await forgetOldPages(ctx.store);
  }
  return answered;
}
