// An account holder's data as the shopper pages and the JSON API show it (P15): the "my data"
// report, audited on every view, and the link from an account to the person Vow knows by its email.
import type { FastifyRequest } from 'fastify';
import type { Services } from '../app/services.js';
import {
  auditActor,
  buildMyData,
  type DatasetExportSource,
  type SubjectIdentifierSource,
} from '../modules/identity/index.js';
import type { VowContext } from '../modules/policy/index.js';
import { VowError } from '../platform/errors.js';

/** The sources "my data" reads, whichever of them exist in this build. */
function myDataSources(services: Services) {
  const loose = services as unknown as {
    datasets?: DatasetExportSource;
    subjects?: SubjectIdentifierSource & { findByEmail?: (e: string) => Promise<string | undefined> };
  };
  return { datasets: loose.datasets, subjects: loose.subjects };
}

/** Finds the person with a verified email, for linking an account to them (undefined: no subjects). */
export function subjectFinder(services: Services) {
  const subjects = (
    services as unknown as { subjects?: { findByEmail?: (e: string) => Promise<string | undefined> } }
  ).subjects;
  return subjects?.findByEmail ? (e: string) => subjects.findByEmail!(e) : undefined;
}

/** The logged-in shopper (the only caller who has "my data"). */
export function shopperOf(req: FastifyRequest) {
  const p = req.principal;
  if (p?.kind !== 'shopper') throw new VowError('VOW_FORBIDDEN', 'Only a logged-in shopper has "my data"');
  return p;
}

/** Every value held about the logged-in account holder; the view is recorded in the audit trail. */
export async function myDataOf(ctx: VowContext, services: Services, req: FastifyRequest) {
  const { accounts } = services.identity;
  const p = shopperOf(req);
  const view = await accounts.view(p.accountId);
  if (!view) throw new VowError('VOW_UNAUTHENTICATED', 'The account no longer exists');
  if (view.emailVerifiedAt && !view.subjectId)
    await accounts.linkSubject(p.accountId, subjectFinder(services));
  const fresh = (await accounts.view(p.accountId))!;
  const report = await buildMyData(ctx.policy, fresh, myDataSources(services), ctx.clock.now());
  await ctx.audit.record({
    actor: auditActor(p),
    action: 'account.my_data.viewed',
    target: { type: 'account', id: p.accountId },
    details: {
      sources: report.sources,
      values: report.categories.reduce((n, c) => n + c.values.length, 0),
    },
  });
  return report;
}
