// The registry of every error code: the tables each part of Vow owns, joined. The HTTP status of a code
// is decided here and nowhere else; docs/errors.md documents the same codes (a test checks they agree),
// and a code two parts both declare stops Vow at start.

import { COLLECTION_ERROR_CODES } from '../modules/collection/index.js';
import { COMPLAINTS_ERROR_CODES } from '../modules/complaints/index.js';
import { CONSENT_ERROR_CODES } from '../modules/consent/index.js';
import { COOKIE_CONSENT_ERROR_CODES } from '../modules/cookie-consent/index.js';
import { DATASETS_ERROR_CODES } from '../modules/datasets/index.js';
import { DISCLOSURES_ERROR_CODES } from '../modules/disclosures/index.js';
import { DOWNSTREAM_ERROR_CODES } from '../modules/downstream/index.js';
import { EXPERIMENTS_ERROR_CODES } from '../modules/experiments/index.js';
import { IDENTITY_ERROR_CODES } from '../modules/identity/index.js';
import { IMPORTS_ERROR_CODES } from '../modules/imports/index.js';
import { INCIDENTS_ERROR_CODES } from '../modules/incidents/index.js';
import { POLICY_ERROR_CODES } from '../modules/policy/index.js';
import { PROMISES_ERROR_CODES } from '../modules/promises/index.js';
import { REPORTS_ERROR_CODES } from '../modules/reports/index.js';
import { RIGHTS_ERROR_CODES } from '../modules/rights/index.js';
import { SUBJECTS_ERROR_CODES } from '../modules/subjects/index.js';
import { AUDIT_ERROR_CODES } from '../platform/audit/index.js';
import { CRYPTO_ERROR_CODES } from '../platform/crypto/index.js';
import { type ErrorCode, type ErrorSpec, PLATFORM_ERROR_CODES } from '../platform/errors.js';
import { JOBS_ERROR_CODES } from '../platform/jobs/index.js';
import { MAIL_ERROR_CODES } from '../platform/mail/index.js';
import { STORE_ERROR_CODES } from '../platform/store/index.js';

/** Each part's table, by the part's name. */
export const ERROR_CODE_OWNERS = {
  platform: PLATFORM_ERROR_CODES,
  store: STORE_ERROR_CODES,
  crypto: CRYPTO_ERROR_CODES,
  audit: AUDIT_ERROR_CODES,
  jobs: JOBS_ERROR_CODES,
  mail: MAIL_ERROR_CODES,
  policy: POLICY_ERROR_CODES,
  subjects: SUBJECTS_ERROR_CODES,
  collection: COLLECTION_ERROR_CODES,
  disclosures: DISCLOSURES_ERROR_CODES,
  identity: IDENTITY_ERROR_CODES,
  rights: RIGHTS_ERROR_CODES,
  complaints: COMPLAINTS_ERROR_CODES,
  experiments: EXPERIMENTS_ERROR_CODES,
  reports: REPORTS_ERROR_CODES,
  'cookie-consent': COOKIE_CONSENT_ERROR_CODES,
  consent: CONSENT_ERROR_CODES,
  datasets: DATASETS_ERROR_CODES,
  promises: PROMISES_ERROR_CODES,
  imports: IMPORTS_ERROR_CODES,
  downstream: DOWNSTREAM_ERROR_CODES,
  incidents: INCIDENTS_ERROR_CODES,
} as const;

function join(owners: Record<string, Readonly<Record<string, ErrorSpec>>>): Record<string, ErrorSpec> {
  const all: Record<string, ErrorSpec> = {};
  const ownerOf: Record<string, string> = {};
  for (const [owner, table] of Object.entries(owners)) {
    for (const [code, spec] of Object.entries(table)) {
      if (ownerOf[code]) throw new Error(`${code} is declared by both ${ownerOf[code]} and ${owner}`);
      ownerOf[code] = owner;
      all[code] = spec;
    }
  }
  return all;
}

/** Every code with its status and meaning. The type checks that no declared code is missing. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorSpec>> = Object.freeze(
  join(ERROR_CODE_OWNERS) as Record<ErrorCode, ErrorSpec>,
);

/** The HTTP status of a code (500 for a code no part declares, which the type system rules out). */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code]?.status ?? 500;
}
