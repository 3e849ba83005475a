// The stylesheets of Vow's own pages: vow.css for every page, console.css for the staff console's
// shell, and the console's small scripts (console-copy.js, console-idle.js). Only these names are served; the
// consent script and its stylesheet have their own routes.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { VowError } from '../platform/errors.js';
import { line } from '../platform/strings.js';
import { webAsset } from './route-helpers.js';
import type { RouteModule } from './route-module.js';

const ASSETS: Record<string, { file: URL; type: string }> = {
  'vow.css': { file: webAsset('vow.css'), type: 'text/css; charset=utf-8' },
  'console.css': { file: webAsset('console.css'), type: 'text/css; charset=utf-8' },
  // The console's copy button (the API keys page's once-shown key).
  'console-copy.js': { file: webAsset('console-copy.js'), type: 'text/javascript; charset=utf-8' },
  // The warning before a staff session's idle limit, and "Stay signed in" (WCAG 2.2.1).
  'console-idle.js': { file: webAsset('console-idle.js'), type: 'text/javascript; charset=utf-8' },
};

export const assetRoutes: RouteModule = (app) => {
  app.get(
    '/assets/:file',
    {
      config: { access: 'public' },
      schema: { hide: true, params: z.object({ file: line().max(200) }) },
    },
    async (req, reply) => {
      const asset = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
      if (!asset) throw new VowError('VOW_NOT_FOUND', 'No such asset');
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=3600')
        .send(await readFile(asset.file));
    },
  );
};
