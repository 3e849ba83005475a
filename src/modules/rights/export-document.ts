// The answer to an access or portability request (P20, GDPR Art. 20): the document built from the
// walker's export (JSON values, CSV per table, categories), and opening it by its 7-day download link.

import { csvFile } from '../../platform/csv.js';
import { VowError } from '../../platform/errors.js';
import type { PersonExport } from '../datasets/index.js';
import type { VowContext } from '../policy/index.js';
import { isWithin } from '../policy/index.js';
import type { Row } from './internal.js';
import type { ExportedDisclosure } from './ports.js';
import type { RequestType } from './tables.js';

export interface ExportDocument {
  readonly request: { id: string; type: RequestType; generatedAt: string; controller: string };
  readonly categoriesOnly: boolean;
  readonly categories: { category: string; description: string; purposes: string[]; values: number }[];
  readonly values: {
    dataset: string;
    table: string;
    column: string;
    /** The row's key, so a reader can put one record's values together (absent in older exports). */
    row?: string;
    category: string;
    purposes: string[];
    value: unknown;
  }[];
  readonly csv: Record<string, string>;
  /** Who received the person's data, for which purpose, when (the disclosure log; P20, GDPR Art. 15(1)(c)). */
  readonly disclosures: readonly ExportedDisclosure[];
}

/**
 * The export in the request's scope. `categoriesOnly` (a person verified with two data points) lists
 * the categories held and leaves every value out, CSV included.
 */
export function buildExportDocument(
  ctx: VowContext,
  r: Row,
  data: PersonExport,
  options: {
    categoriesOnly: boolean;
    categories?: string[] | undefined;
    /** Which purposes apply to this person now (the policy's, filtered by their kinds, consent and restrictions). */
    applies?: ((category: string, purpose: string) => boolean) | undefined;
    disclosures?: readonly ExportedDisclosure[] | undefined;
  },
): ExportDocument {
  const inScope = (category: string) =>
    !options.categories || options.categories.some((c) => isWithin(category, c));
  // The purposes a value serves for this person, not every purpose the policy allows for its category.
  const applies = options.applies;
  const values = data.values
    .filter((v) => inScope(v.category))
    .map((v) => (applies ? { ...v, purposes: v.purposes.filter((p) => applies(v.category, p)) } : v));
  const byCategory = new Map<string, { purposes: Set<string>; values: number }>();
  for (const v of values) {
    const e = byCategory.get(v.category) ?? { purposes: new Set<string>(), values: 0 };
    for (const p of v.purposes) e.purposes.add(p);
    e.values++;
    byCategory.set(v.category, e);
  }
  const csv: Record<string, string> = {};
  if (!options.categoriesOnly) {
    const byTable = new Map<string, typeof values>();
    for (const v of values) {
      const key = `${v.dataset}.${v.table}`;
      byTable.set(key, [...(byTable.get(key) ?? []), v]);
    }
    for (const [table, vs] of byTable)
      csv[table] = csvFile(
        ['row', 'column', 'category', 'purposes', 'value'],
        vs.map((v) => [v.row, v.column, v.category, v.purposes.join(' '), v.value]),
      );
  }
  return {
    request: {
      id: r.id,
      type: r.type,
      generatedAt: data.generatedAt,
      controller: ctx.policy.doc.controller.name,
    },
    categoriesOnly: options.categoriesOnly,
    categories: [...byCategory.entries()].map(([category, e]) => ({
      category,
      description: ctx.policy.doc.categories[category]?.description ?? category,
      purposes: [...e.purposes].sort(),
      values: e.values,
    })),
    values: options.categoriesOnly
      ? []
      : values.map((v) => ({
          dataset: v.dataset,
          table: v.table,
          column: v.column,
          row: v.row,
          category: v.category,
          purposes: [...v.purposes],
          value: v.value,
        })),
    csv,
    disclosures: options.disclosures ?? [],
  };
}

/** Opens an export by its download token (7 days); counts the download. */
/** The vault key an export is sealed under: the person's, or the request's for someone Vow does not know. */
export function exportKeyOf(r: Pick<Row, 'id' | 'subject_id'>): string {
  return r.subject_id ?? `request:${r.id}`;
}

export async function openExport(ctx: VowContext, token: string): Promise<ExportDocument> {
  const index = ctx.vault.blindIndex('token', `export:${token}`);
  const row = await ctx.store.db
    .selectFrom('rights_exports')
    .selectAll()
    .where('token_index', '=', index)
    .executeTakeFirst();
  if (!row) throw new VowError('VOW_REQUEST_NOT_FOUND', 'No export matches this link');
  if (row.expires_at <= ctx.clock.now().toISOString())
    throw new VowError('VOW_EXPORT_EXPIRED', 'This download link has expired');
  const request = await ctx.store.db
    .selectFrom('rights_requests')
    .select(['id', 'subject_id'])
    .where('id', '=', row.request_id)
    .executeTakeFirst();
  // Exports made before they were sealed under the person's key are under the request's.
  const plain =
    (request ? await ctx.vault.decrypt(exportKeyOf(request), row.sealed).catch(() => null) : null) ??
    (await ctx.vault.decrypt(`request:${row.request_id}`, row.sealed).catch(() => null));
  if (plain === null) throw new VowError('VOW_EXPORT_EXPIRED', 'This export was erased');
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('rights_exports')
      .set((eb) => ({ downloads: eb('downloads', '+', 1) }))
      .where('id', '=', row.id)
      .execute();
    await ctx.audit.record(
      {
        actor: { type: 'subject' },
        action: 'disclosure.export_downloaded',
        target: { type: 'request', id: row.request_id },
      },
      trx,
    );
  });
  return JSON.parse(plain) as ExportDocument;
}
