// Every route module, in registration order. Each domain adds one line, in one of the two lists.

import type { RouteModule } from '../route-module.js';
import { accountRoutes } from './accounts.js';
import { collectRoutes } from './collect.js';
import { collectionRoutes } from './collection.js';
import { complaintRoutes } from './complaints.js';
import { consentRoutes } from './consent.js';
import { consoleRoutes } from './console.js';
import { cookieRoutes } from './cookies.js';
import { datasetRoutes } from './datasets.js';
import { decisionRoutes } from './decisions.js';
import { disclosureRoutes } from './disclosures.js';
import { experimentRoutes } from './experiments.js';
import { healthRoutes } from './health.js';
import { policyRoutes } from './policy.js';
import { promiseRoutes } from './promises.js';
import { reportRoutes } from './reports.js';
import { rightsRoutes } from './rights.js';
import { staffRoutes } from './staff.js';
import { subjectRoutes } from './subjects.js';
import { unsubscribeRoutes } from './unsubscribe.js';

export type { RouteModule, ZodApp } from '../route-module.js';

/** Same-origin routes: the shop backend's API, the shopper pages, the console. */
export const ROUTES: readonly RouteModule[] = [
  healthRoutes,
  policyRoutes,
  decisionRoutes,
  promiseRoutes,
  unsubscribeRoutes,
  subjectRoutes,
  disclosureRoutes,
  reportRoutes,
  accountRoutes,
  staffRoutes,
  rightsRoutes,
  complaintRoutes,
  datasetRoutes,
  consoleRoutes,
];

/**
 * Modules with routes that browsers on the shop's pages call cross-origin (collection, consent,
 * the consent script, experiments): registered in the CORS scope (src/http/cors.ts).
 */
export const CROSS_ORIGIN_ROUTES: readonly RouteModule[] = [
  cookieRoutes,
  collectRoutes,
  consentRoutes,
  collectionRoutes,
  experimentRoutes,
];
