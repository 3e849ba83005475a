// Every route module, in registration order, grouped by audience: the JSON API (api/), the shopper
// pages (pages/) and the staff console (console/). A new route file adds one line here, in one of
// the two lists: cross-origin routes must be registered in the CORS scope (src/http/cors.ts).

import { accountApiRoutes } from './api/accounts.js';
import { appealApiRoutes } from './api/appeals.js';
import { auditApiRoutes } from './api/audit.js';
import { collectionRoutes } from './api/collection.js';
import { complaintApiRoutes } from './api/complaints.js';
import { cookieConsentApiRoutes } from './api/cookie-consent.js';
import { datasetRoutes } from './api/datasets.js';
import { decisionRoutes } from './api/decisions.js';
import { disclosureRoutes } from './api/disclosures.js';
import { downstreamAckRoutes } from './api/downstream-acks.js';
import { experimentApiRoutes } from './api/experiments.js';
import { healthRoutes } from './api/health.js';
import { importApiRoutes } from './api/imports.js';
import { incidentStateApiRoutes } from './api/incident-states.js';
import { incidentApiRoutes } from './api/incidents.js';
import { mailFeedbackApiRoutes } from './api/mail-feedback.js';
import { marketingConsentApiRoutes } from './api/marketing-consent.js';
import { policyApiRoutes } from './api/policy.js';
import { privacyChoicesApiRoutes } from './api/privacy-choices.js';
import { promiseRoutes } from './api/promises.js';
import { recordOfProcessingRoutes } from './api/records-of-processing.js';
import { reportApiRoutes } from './api/reports.js';
import { rightsApiRoutes } from './api/rights.js';
import { rightsStaffActionRoutes } from './api/rights-staff-actions.js';
import { siteAnalyticsApiRoutes } from './api/site-analytics.js';
import { smsFlagApiRoutes } from './api/sms-flags.js';
import { staffApiRoutes } from './api/staff.js';
import { subjectRoutes } from './api/subjects.js';
import { webhookApiRoutes } from './api/webhooks.js';
import { assetRoutes } from './assets.js';
import { consentChoicesRoutes } from './consent-choices-routes.js';
import { apiKeyConsoleRoutes } from './console/api-key-routes.js';
import { appealConsoleRoutes } from './console/appeal-routes.js';
import { auditConsoleRoutes } from './console/audit-routes.js';
import { complaintConsoleRoutes } from './console/complaint-routes.js';
import { dashboardConsoleRoutes } from './console/dashboard-routes.js';
import { downstreamConsoleRoutes } from './console/downstream-routes.js';
import { importConsoleRoutes } from './console/import-routes.js';
import { incidentNotifyConsoleRoutes } from './console/incident-notify-routes.js';
import { incidentConsoleRoutes } from './console/incident-routes.js';
import { loginConsoleRoutes } from './console/login-routes.js';
import { marketingConsoleRoutes } from './console/marketing-routes.js';
import { peopleConsoleRoutes } from './console/people-routes.js';
import { policyConsoleRoutes } from './console/policy-routes.js';
import { recordsOfProcessingConsoleRoutes } from './console/records-of-processing-routes.js';
import { requestConsoleRoutes } from './console/request-routes.js';
import { ssoConsoleRoutes } from './console/sso-routes.js';
import { staffAccountConsoleRoutes } from './console/staff-account-routes.js';
import { under13ConsoleRoutes } from './console/under13-routes.js';
import { accountPageRoutes } from './pages/account-routes.js';
import { appealPageRoutes } from './pages/appeal-routes.js';
import { complaintPageRoutes } from './pages/complaint-routes.js';
import { cookieBannerPageRoutes } from './pages/cookie-banner-routes.js';
import { demoStorefrontPageRoutes } from './pages/demo-storefront-routes.js';
import { languagePageRoutes } from './pages/language-routes.js';
import { myDataPageRoutes } from './pages/my-data-routes.js';
import { privacyPageRoutes } from './pages/privacy-routes.js';
import { requestPageRoutes } from './pages/request-routes.js';
import { unsubscribePageRoutes } from './pages/unsubscribe-routes.js';
import type { RouteModule } from './route-module.js';

/** Same-origin routes: the shop backend's API, the shopper pages, the console. */
export const ROUTES: readonly RouteModule[] = [
  // The JSON API (/v1/…) and the machine endpoints (health, metrics, OpenAPI).
  healthRoutes,
  policyApiRoutes,
  decisionRoutes,
  promiseRoutes,
  subjectRoutes,
  disclosureRoutes,
  marketingConsentApiRoutes,
  reportApiRoutes,
  accountApiRoutes,
  staffApiRoutes,
  auditApiRoutes,
  rightsApiRoutes,
  rightsStaffActionRoutes,
  appealApiRoutes,
  privacyChoicesApiRoutes,
  complaintApiRoutes,
  incidentApiRoutes,
  incidentStateApiRoutes,
  datasetRoutes,
  recordOfProcessingRoutes,
  importApiRoutes,
  webhookApiRoutes,
  smsFlagApiRoutes,
  mailFeedbackApiRoutes,
  downstreamAckRoutes,
  // Stylesheets of the pages and the console.
  assetRoutes,
  // The cookie banner's choices, loaded on demand by the consent script.
  consentChoicesRoutes,
  // Shopper pages.
  languagePageRoutes,
  privacyPageRoutes,
  cookieBannerPageRoutes,
  demoStorefrontPageRoutes,
  unsubscribePageRoutes,
  accountPageRoutes,
  myDataPageRoutes,
  requestPageRoutes,
  appealPageRoutes,
  complaintPageRoutes,
  // The staff console.
  loginConsoleRoutes,
  ssoConsoleRoutes,
  dashboardConsoleRoutes,
  peopleConsoleRoutes,
  requestConsoleRoutes,
  complaintConsoleRoutes,
  incidentConsoleRoutes,
  incidentNotifyConsoleRoutes,
  marketingConsoleRoutes,
  auditConsoleRoutes,
  staffAccountConsoleRoutes,
  apiKeyConsoleRoutes,
  under13ConsoleRoutes,
  appealConsoleRoutes,
  downstreamConsoleRoutes,
  importConsoleRoutes,
  policyConsoleRoutes,
  recordsOfProcessingConsoleRoutes,
];

/**
 * Modules with routes that browsers on the shop's pages call cross-origin (the consent ledger under
 * /v1/consent, measurements, collection, experiment assignments): registered in the CORS scope.
 */
export const CROSS_ORIGIN_ROUTES: readonly RouteModule[] = [
  cookieConsentApiRoutes,
  siteAnalyticsApiRoutes,
  collectionRoutes,
  experimentApiRoutes,
];
