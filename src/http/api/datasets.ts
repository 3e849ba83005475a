// GET /v1/datasets: the data map: every annotated dataset, where a person's data sits in it, in
// which category, and what deletion does to it. Structure only, never a value.
import { z } from 'zod';
import type { RouteModule } from '../route-module.js';

const columnSchema = z.object({
  name: z.string(),
  category: z.string(),
  onDelete: z.enum(['delete_row', 'null', 'mask', 'retain']),
  exemption: z.string().optional(),
  encrypted: z.literal('vault').optional(),
  fields: z
    .array(
      z.object({
        name: z.string(),
        category: z.string(),
        onDelete: z.enum(['remove', 'retain']),
        exemption: z.string().optional(),
      }),
    )
    .optional(),
});

const datasetMapSchema = z.object({
  datasets: z.array(
    z.object({
      name: z.string(),
      description: z.string().optional(),
      tables: z.array(
        z.object({
          name: z.string(),
          primaryKey: z.array(z.string()),
          identity: z.array(z.object({ column: z.string(), kind: z.string(), match: z.string() })),
          links: z.array(z.object({ column: z.string(), table: z.string(), references: z.string() })),
          columns: z.array(columnSchema),
        }),
      ),
    }),
  ),
});

export const datasetRoutes: RouteModule = (app, _ctx, services) => {
  app.get(
    '/v1/datasets',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['datasets'],
        errors: [],
        summary: 'The data map: annotated datasets, their personal columns and deletion strategies',
        description:
          "Vow's own tables and every database named in VOW_DATASETS, as annotated: tables, how rows lead to a person, each personal column's category and what deletion does to it (with the exemption a retained column relies on). No values.",
        response: { 200: datasetMapSchema },
      },
    },
    async () => ({
      datasets: services.datasets.annotations().map((a) => ({
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        tables: a.tables.map((t) => ({
          name: t.name,
          primaryKey: [...t.primaryKey],
          identity: t.identity.map((i) => ({ column: i.column, kind: i.kind, match: i.match })),
          links: t.links.map((l) => ({ column: l.column, table: l.table, references: l.references })),
          columns: t.columns.map((c) => ({
            name: c.name,
            category: c.category,
            onDelete: c.onDelete,
            ...(c.exemption ? { exemption: c.exemption } : {}),
            ...(c.encrypted ? { encrypted: c.encrypted } : {}),
            ...(c.fields
              ? {
                  fields: c.fields.map((f) => ({
                    name: f.name,
                    category: f.category,
                    onDelete: f.onDelete,
                    ...(f.exemption ? { exemption: f.exemption } : {}),
                  })),
                }
              : {}),
          })),
        })),
      })),
    }),
  );
};
