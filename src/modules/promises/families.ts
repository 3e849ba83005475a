// Every family of checks the promise monitor runs, in the order they run.
import { auditChainFamily } from './checks/audit-chain.js';
import { auditStreamFamily } from './checks/audit-stream.js';
import { consentFamily } from './checks/consent.js';
import { disclosuresFamily } from './checks/disclosures.js';
import { childrenFamily, leftoversFamily } from './checks/leftovers.js';
import { recordsFamily } from './checks/records.js';
import { reportsFamily } from './checks/reports.js';
import { requestsFamily } from './checks/requests.js';
import { retentionFamily } from './checks/retention.js';
import { sealedFamily } from './checks/sealed.js';
import { staticFamily } from './checks/static.js';
import type { Family } from './family.js';

/** Every family, in the order they run. */
export const FAMILIES: readonly Family[] = [
  staticFamily,
  recordsFamily,
  consentFamily,
  disclosuresFamily,
  leftoversFamily,
  childrenFamily,
  sealedFamily,
  requestsFamily,
  reportsFamily,
  auditChainFamily,
  auditStreamFamily,
  retentionFamily,
];
