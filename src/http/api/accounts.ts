// Shopper accounts, the JSON API (P15): every personal value held about the logged-in account
// holder, by category, with where it came from and what it is used for.
import { z } from 'zod';
import { myDataOf } from '../account-data.js';
import type { RouteModule } from '../route-module.js';

const reportSchema = z.object({
  generatedAt: z.string(),
  account: z.object({ email: z.string().nullable(), verified: z.boolean(), createdAt: z.string() }),
  linked: z.boolean(),
  categories: z.array(
    z.object({
      category: z.string(),
      description: z.string(),
      values: z.array(z.object({ value: z.string(), source: z.string(), purposes: z.array(z.string()) })),
    }),
  ),
  sources: z.array(z.string()),
  notes: z.array(z.string()),
});

export const accountApiRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/v1/account/my-data',
    {
      config: { access: 'shopper' },
      schema: {
        tags: ['accounts'],
        errors: [],
        summary: 'Every personal value held about the account holder, by category, with source and purposes',
        response: { 200: reportSchema },
      },
    },
    // The report is built readonly; the schema type is its mutable twin.
    async (req) => (await myDataOf(ctx, services, req)) as unknown as z.infer<typeof reportSchema>,
  );
};
