// The erasure registry, filled once: every part of Vow declares each of its tables with the fate of a
// person's rows there (erased, kept on a stated basis, or impersonal), and the parts that hold personal
// data erase their own rows. A deletion (rights) and the under-13 purge (subjects) both run it; the
// subjects module's eraser goes last, so the others can still find the person's rows.
import { collectionEraser } from '../modules/collection/index.js';
import { complaintsTables } from '../modules/complaints/index.js';
import { consentEraser } from '../modules/consent/index.js';
import { disclosuresEraser } from '../modules/disclosures/index.js';
import { downstreamEraser, type PurgeListener } from '../modules/downstream/index.js';
import { experimentsTables } from '../modules/experiments/index.js';
import { identityEraser } from '../modules/identity/index.js';
import { importsTables } from '../modules/imports/index.js';
import { incidentsTables } from '../modules/incidents/index.js';
import { policyTables } from '../modules/policy/index.js';
import { promisesTables } from '../modules/promises/index.js';
import { reportsTables } from '../modules/reports/index.js';
import { rightsEraser } from '../modules/rights/index.js';
import { siteAnalyticsTables } from '../modules/site-analytics/index.js';
import { subjectsEraser } from '../modules/subjects/index.js';
import { auditTables } from '../platform/audit/index.js';
import { cryptoTables } from '../platform/crypto/index.js';
import { type Eraser, ErasureRegistry } from '../platform/erasure/index.js';
import { jobsTables } from '../platform/jobs/index.js';
import { type MailErasureOptions, mailEraser } from '../platform/mail/index.js';
import { rateLimitTables } from '../platform/rate-limits/index.js';

/**
 * The store's own tables, declared here: the store is below the erasure registry (which writes
 * through it), so it cannot import the registry's types itself.
 */
const storeTables: Eraser = {
  owner: 'store',
  tables: {
    vow_meta: {
      fate: 'impersonal',
      why: 'facts about the installation (the sealed blind-index key, a demo seed used)',
    },
    vow_heartbeat: { fate: 'impersonal', why: 'timestamps of writes that prove the store is alive' },
  },
};

/**
 * `onPurge`: told inside the under-13 purge's transaction (the downstream module's webhook event).
 * `token`: the vault's blind index of kind `token` (the keys of the limits on a person's codes).
 * `mail`: how the outbox's eraser finds the person's copies of sent mail (the development mailbox).
 */
export function createErasureRegistry(options: {
  onPurge?: PurgeListener;
  token: (value: string) => string;
  mail: MailErasureOptions;
}): ErasureRegistry {
  const erasure = new ErasureRegistry();
  for (const part of [
    // Parts that erase, in order: records first, the person's identifiers last.
    collectionEraser,
    disclosuresEraser,
    consentEraser,
    rightsEraser,
    downstreamEraser(options.onPurge),
    identityEraser(options.token),
    mailEraser(options.mail),
    subjectsEraser,
    // Parts that only declare their tables' fate.
    storeTables,
    cryptoTables,
    auditTables,
    jobsTables,
    rateLimitTables,
    policyTables,
    siteAnalyticsTables,
    experimentsTables,
    reportsTables,
    promisesTables,
    complaintsTables,
    importsTables,
    incidentsTables,
  ])
    erasure.register(part);
  return erasure;
}
