// The privacy notice page (P1), rendered once from the policy in force.
import { sendSharedHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderPrivacyPage } from './privacy.js';

export const privacyPageRoutes: RouteModule = (app, ctx) => {
  let privacyHtml: string | undefined;
  app.get(
    '/privacy',
    {
      config: { access: 'public' },
      schema: { tags: ['policy'], summary: 'The privacy notice (HTML), rendered from the policy in force' },
    },
    async (_req, reply) => {
      privacyHtml ??= renderPrivacyPage(ctx.policy, { consentScript: '/consent.js' });
      return sendSharedHtml(reply, privacyHtml);
    },
  );
};
