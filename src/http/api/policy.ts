// The policy in force, as data: what the shop's engineers read to see every promise, purpose and
// rule Vow enforces (the notice at /privacy is rendered from the same document).
import { z } from 'zod';
import type { RouteModule } from '../route-module.js';

export const policyApiRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/v1/policy',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policy'],
        errors: [],
        summary: 'The policy in force, as data',
        response: {
          200: z.object({
            version: z.string(),
            consentVersion: z.string(),
            effectiveDate: z.string(),
            policy: z.record(z.string(), z.unknown()),
          }),
        },
      },
    },
    async () => ({
      version: ctx.policy.version,
      consentVersion: ctx.policy.consentVersion,
      effectiveDate: ctx.policy.effectiveDate,
      policy: ctx.policy.doc as unknown as Record<string, unknown>,
    }),
  );
};
