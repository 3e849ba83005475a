// Fulfilment of access and portability requests (P15, P20): the person's data exported, sealed under
// the person's key (the request's when Vow does not know them), and a 7-day download link mailed, in one checkpointed step.

import type { JobContext } from '../../platform/jobs/index.js';
import type { PersonIdentity } from '../datasets/index.js';
import { buildExportDocument, exportKeyOf } from './export-document.js';
import { complete, newToken, type RightsDeps, type Row, requireWalker, type Sealed } from './internal.js';
import { rightsMail } from './mail-text.js';

/** How long a download link works. */
const EXPORT_TTL_MS = 7 * 24 * 3600_000;

export async function fulfilAccess(
  deps: RightsDeps,
  r: Row,
  contact: Sealed,
  identity: PersonIdentity,
  job: JobContext,
): Promise<unknown> {
  const ctx = deps.ctx;
  const walker = requireWalker(deps);
  const data = await walker.export(identity, { type: 'system', requestId: r.id });
  const scope = JSON.parse(r.scope) as { categories?: string[] };
  // Two data points verify enough to say what categories are held, not to disclose the values.
  const categoriesOnly = r.verification_method === 'data_points_2';
  const facts = deps.ports().facts;
  const known = r.subject_id && facts ? r.subject_id : undefined;
  const doc = buildExportDocument(ctx, r, data, {
    categoriesOnly,
    categories: scope.categories,
    applies: known && facts ? await facts.purposesApplying(known) : undefined,
    disclosures: known && facts && !categoriesOnly ? await facts.disclosures(known) : undefined,
  });
  const token = newToken(ctx);
  // Sealed under the person's own key when Vow knows them: their deletion shreds it with the rest.
  const sealed = await ctx.vault.encrypt(exportKeyOf(r), JSON.stringify(doc));
  const link = `${ctx.config.publicUrl}/privacy/request/export/${token}`;
  const now = ctx.clock.now();
  return job.step('answer', async (trx) => {
    await trx
      .insertInto('rights_exports')
      .values({
        id: ctx.random.uuid(),
        request_id: r.id,
        token_index: ctx.vault.blindIndex('token', `export:${token}`),
        expires_at: new Date(now.getTime() + EXPORT_TTL_MS).toISOString(),
        sealed,
        created_at: now.toISOString(),
        downloads: 0,
      })
      .execute();
    const result = {
      values: doc.values.length,
      categories: doc.categories.length,
      datasets: data.datasets,
      categoriesOnly,
    };
    await complete(
      deps,
      trx,
      r,
      categoriesOnly ? 'categories disclosed' : 'export sent',
      result,
      rightsMail(r.locale).accessReady({ type: rightsMail(r.locale).typeName[r.type], link, categoriesOnly }),
      contact.email,
    );
    return result;
  });
}
