// Configuration: one typed, frozen object read from the environment; every default lives here.
import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { VowError } from './errors.js';

const portSchema = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  VOW_PORT: portSchema.default(4700),
  VOW_HOST: z.string().min(1).default('127.0.0.1'),
  VOW_DATA_DIR: z.string().min(1).default('./data'),
  VOW_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  VOW_DATABASE_PREPARE: z.enum(['on', 'off']).default('on'),
  VOW_POLICY: z.string().min(1).optional(),
  VOW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Read by bin/vow.js before anything else (off: run the sources through tsx, not compiled).
  VOW_COMPILE: z.enum(['on', 'off']).default('on'),
  VOW_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  VOW_BODY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  VOW_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(1024 * 1024 * 1024 * 1024)
    .default(2 * 1024 * 1024 * 1024),
  VOW_PUBLIC_URL: z.url().optional(),
  VOW_ENV: z.enum(['development', 'production', 'test']).default('development'),
  VOW_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  VOW_MASTER_KEY_FILE: z.string().min(1).optional(),
  VOW_DATASETS: z.string().min(1).optional(),
  VOW_ALLOWED_ORIGINS: z
    .string()
    .regex(
      /^https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*$/,
      'must be origins like https://shop.example, comma-separated',
    )
    .optional(),
  VOW_GA_MEASUREMENT_ID: z
    .string()
    .regex(/^G-[A-Z0-9]+$/, 'must be a GA4 measurement id (G-XXXXXXX)')
    .optional(),
  VOW_GA_API_SECRET: z.string().min(1).optional(),
  VOW_GA_ENDPOINT: z.url().default('https://www.google-analytics.com/mp/collect'),
  VOW_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  VOW_API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  VOW_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(20),
  VOW_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(1800).default(5),
  VOW_AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  VOW_AUDIT_ANCHOR_MAIL: z.enum(['on', 'off']).default('off'),
  VOW_TRUST_PROXY: z
    .string()
    .trim()
    .refine(isTrustProxy, {
      message:
        'must be off, a hop count (1-10), or comma-separated addresses/CIDRs (10.0.0.0/8) or loopback, linklocal, uniquelocal',
    })
    .default('off'),
  VOW_BREACH_REMINDER_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  VOW_PRIVACY_OFFICERS: z
    .string()
    .regex(
      /^[^\s@,]+@[^\s@,]+\.[^\s@,]+(\s*,\s*[^\s@,]+@[^\s@,]+\.[^\s@,]+)*$/,
      'must be email addresses, comma-separated',
    )
    .optional(),
  VOW_DOWNSTREAM_WAIT: z.enum(['webhooks', 'all']).default('webhooks'),
  VOW_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  VOW_WEBHOOK_PRIVATE_NETWORKS: z
    .string()
    .trim()
    .refine(isWebhookNetworks, {
      message: 'must be off, or comma-separated loopback, private and addresses/CIDRs (10.20.0.0/16)',
    })
    .default('off'),
  VOW_FEEDBACK_SMTP_PORT: portSchema.optional(),
  VOW_SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(8),
  VOW_OIDC_ISSUER: z.url().optional(),
  VOW_OIDC_CLIENT_ID: z.string().min(1).optional(),
  VOW_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  VOW_OIDC_ROLES_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'must be a claim name')
    .default('vow_roles'),
  VOW_OIDC_ONLY: z.enum(['on', 'off']).default('off'),
  // Single sign-on sessions re-checked at the provider with a refresh token (security.md #54).
  VOW_SSO_OFFLINE_ACCESS: z.enum(['auto', 'on', 'off']).default('auto'),
  VOW_SSO_RECHECK_MINUTES: z.coerce
    .number({ message: 'must be a whole number of minutes (1 to 60)' })
    .int('must be a whole number of minutes (1 to 60)')
    .min(1, 'must be at least 1 minute')
    .max(60, 'must be at most 60 minutes (a role removed at the provider reaches Vow within it)')
    .default(5),
  VOW_SSO_OUTAGE_GRACE_MINUTES: z.coerce
    .number({ message: 'must be a whole number of minutes (0 to 240)' })
    .int('must be a whole number of minutes (0 to 240)')
    .min(0, 'must be 0 or more minutes')
    .max(240, 'must be at most 240 minutes (sessions are kept that long unchecked)')
    .default(30),
  // At least 5 minutes (the console warns 2 minutes before), at most the 12 hours a session lasts.
  VOW_STAFF_IDLE_MINUTES: z.coerce
    .number({ message: 'must be a whole number of minutes (5 to 720)' })
    .int('must be a whole number of minutes (5 to 720)')
    .min(5, 'must be at least 5 minutes (the console warns 2 minutes before)')
    .max(720, 'must be at most 720 minutes (a staff session ends 12 hours after the log-in anyway)')
    .default(30),
});

/** The proxy keywords proxy-addr (Fastify's trustProxy) knows besides addresses and CIDRs. */
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function isTrustProxy(value: string): boolean {
  if (value === 'off' || /^(10|[1-9])$/.test(value)) return true;
  const entries = value.split(',').map((e) => e.trim());
  return entries.every((e) => PROXY_KEYWORDS.has(e) || isAddressOrCidr(e));
}

/** The networks webhook deliveries may reach besides public addresses: `off`, or keywords and CIDRs. */
function isWebhookNetworks(value: string): boolean {
  if (value === 'off') return true;
  const entries = value.split(',').map((e) => e.trim());
  return entries.every((e) => e === 'loopback' || e === 'private' || isAddressOrCidr(e));
}

/**
 * Which peers may tell Vow the client's address (X-Forwarded-For): none, the nearest N hops, or
 * the listed proxies. Given to Fastify's `trustProxy`, so `req.ip` is the real client.
 */
export type TrustProxy = false | number | readonly string[];

function parseTrustProxy(value: string): TrustProxy {
  if (value === 'off') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return Object.freeze(value.split(',').map((e) => e.trim()));
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL connection string; when absent Vow uses SQLite at `<dataDir>/vow.sqlite`. */
  readonly databaseUrl: string | undefined;
  /**
   * PostgreSQL: the bulk inserts parsed and planned once a connection (named statements); false
   * for a pooler that cannot follow prepared statements.
   */
  readonly databasePrepare: boolean;
  /** Path of a policy YAML file; when absent the shipped default policy is used. */
  readonly policyPath: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bodyLimit: number;
  /**
   * How long a request body (of any route but the streamed import) may take to arrive whole; a
   * connection still sending it then is closed (a body sent a byte at a time held it for ever).
   */
  readonly bodyTimeoutSeconds: number;
  /**
   * The largest file POST /v1/imports takes (it is copied to a temporary file first): an upload
   * larger is refused (413) before it can fill the disk. `vow import` on the server has no limit.
   */
  readonly importMaxBytes: number;
  /** The address shoppers reach Vow at (used in emails and links); defaults to http://host:port. */
  readonly publicUrl: string;
  /** production refuses to start without a configured master key. */
  readonly env: 'development' | 'production' | 'test';
  /** The master key (base64, 32 bytes) that wraps every per-person data key. */
  readonly masterKey: string | undefined;
  /** A file holding the master key in base64, instead of VOW_MASTER_KEY. */
  readonly masterKeyFile: string | undefined;
  /** A YAML file listing the retailer's datasets (name, annotation file, connection URL) the walker covers. */
  readonly datasetsPath: string | undefined;
  /** Shop origins allowed to call the collection and consent endpoints from browsers (CORS). */
  readonly allowedOrigins: readonly string[];
  /** Google Analytics forwarding (P19): on only when both the measurement id and API secret are set. */
  readonly gaMeasurementId: string | undefined;
  readonly gaApiSecret: string | undefined;
  /** The GA4 Measurement Protocol endpoint. */
  readonly gaEndpoint: string;
  /** SMTP server for the mail outbox; unset in development, mail goes to <dataDir>/mail.jsonl. */
  readonly smtpUrl: string | undefined;
  /**
   * How long a process trusts an API key it has verified before reading the key's row again
   * (0: every request). A key revoked in another process (or by the CLI) stops working within
   * this many seconds; revoking through this process stops it at once.
   */
  readonly apiKeyCacheSeconds: number;
  /**
   * A running job's lease and how often it is renewed: a crashed worker's job is taken again within
   * a lease (and a poll) of the crash. The heartbeat must come at least twice per lease.
   */
  readonly jobLeaseMs: number;
  readonly jobHeartbeatMs: number;
  /**
   * The append-only file audit anchors are also written to, outside the database (default
   * `<dataDir>/audit-anchors.jsonl`; keep it on another volume or ship it elsewhere).
   */
  readonly auditAnchorFile: string;
  /** Whether each hourly anchor is also mailed to the privacy officers. */
  readonly auditAnchorMail: boolean;
  /**
   * Who is told when a promise breaks (and gets the anchor mails): these addresses, else the policy's
   * controller email.
   */
  readonly privacyOfficers: readonly string[];
  /**
   * How many days before a US state breach-notice deadline the privacy officers are reminded, and
   * the console's dashboard and /metrics count the notice as due soon (1 to 60; default 7).
   */
  readonly breachReminderDays: number;
  /**
   * The reverse proxies in front of Vow whose X-Forwarded-For is believed (off by default: the
   * peer's address is the client's). Per-client limits, audit entries and logs use the client it
   * names; a header from any other peer is ignored.
   */
  readonly trustProxy: TrustProxy;
  /**
   * Which downstream tasks hold a request open: `webhooks` (the recipients connected by a webhook
   * endpoint, which acknowledge by a signed callback) or `all` (also the recipients without an API,
   * confirmed by staff with evidence). Tasks are created and tracked either way.
   */
  readonly downstreamWait: 'webhooks' | 'all';
  /** Deliveries of one webhook event before it goes to the dead-letter list. */
  readonly webhookMaxAttempts: number;
  /**
   * The non-public networks webhook deliveries may connect to (`loopback`, `private`, addresses and
   * CIDRs); empty: public addresses only. Link-local and metadata addresses are never reached.
   */
  readonly webhookPrivateNetworks: readonly string[];
  /** The SMTP port bounces (RFC 3464) and complaints (ARF) are received on, on VOW_HOST; unset: none. */
  readonly feedbackSmtpPort: number | undefined;
  /** Soft bounces of one address that suppress it. */
  readonly softBounceLimit: number;
  /** Staff single sign-on (OpenID Connect); undefined when not configured. */
  readonly oidc: OidcConfig | undefined;
  /**
   * How long a staff session (console cookie or API token) may go without a request before it is
   * refused, as an expired one is (the 12 hours from the log-in still end it in any case).
   */
  readonly staffIdleMs: number;
}

/** Staff single sign-on: the provider, Vow's client there, the roles claim, and whether passwords are off. */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The claim holding a list of Vow staff role names (unknown names ignored). */
  readonly rolesClaim: string;
  /** When true, staff log in only through the provider: the password log-in refuses. */
  readonly only: boolean;
  /** Whether to ask for `offline_access` (a refresh token): `auto` when discovery lists it. */
  readonly offlineAccess: 'auto' | 'on' | 'off';
  /** How often an open session is re-checked at the provider with its refresh token. */
  readonly recheckMs: number;
  /** How long past a due re-check a session is kept while the provider cannot be reached. */
  readonly outageGraceMs: number;
}

function parseOidc(e: z.infer<typeof envSchema>): OidcConfig | undefined {
  const set = [e.VOW_OIDC_ISSUER, e.VOW_OIDC_CLIENT_ID, e.VOW_OIDC_CLIENT_SECRET].filter(
    (v) => v !== undefined,
  ).length;
  if (set !== 0 && set !== 3)
    throw new VowError(
      'VOW_CONFIG_INVALID',
      'Invalid configuration: VOW_OIDC_ISSUER, VOW_OIDC_CLIENT_ID and VOW_OIDC_CLIENT_SECRET are set together or not at all',
      { problems: ['VOW_OIDC_ISSUER, VOW_OIDC_CLIENT_ID, VOW_OIDC_CLIENT_SECRET: all three or none'] },
    );
  if (set === 0) {
    if (e.VOW_OIDC_ONLY === 'on')
      throw new VowError(
        'VOW_CONFIG_INVALID',
        'Invalid configuration: VOW_OIDC_ONLY=on needs VOW_OIDC_ISSUER, VOW_OIDC_CLIENT_ID and VOW_OIDC_CLIENT_SECRET',
        { problems: ['VOW_OIDC_ONLY: on without a provider would lock every staff member out'] },
      );
    return undefined;
  }
  return Object.freeze({
    issuer: e.VOW_OIDC_ISSUER!,
    clientId: e.VOW_OIDC_CLIENT_ID!,
    clientSecret: e.VOW_OIDC_CLIENT_SECRET!,
    rolesClaim: e.VOW_OIDC_ROLES_CLAIM,
    only: e.VOW_OIDC_ONLY === 'on',
    offlineAccess: e.VOW_SSO_OFFLINE_ACCESS,
    recheckMs: e.VOW_SSO_RECHECK_MINUTES * 60_000,
    outageGraceMs: e.VOW_SSO_OUTAGE_GRACE_MINUTES * 60_000,
  });
}

/** The environment variables Vow reads; any other VOW_* variable is a mistake and is rejected. */
export const CONFIG_KEYS = Object.keys(envSchema.shape);

/** Each variable's default, as it would be written in the environment (docs/operations.md shows each). */
export const CONFIG_DEFAULTS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(envSchema.parse({}))
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ),
);

/**
 * The file standing where the data folder (or a folder above it) should be, if any: refused before
 * anything is opened, where it failed later with a stack trace (creating the SQLite store, the
 * generated master key or the audit anchors' file), after the PostgreSQL store had been written.
 */
function fileInTheWay(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(d, { throwIfNoEntry: false });
    } catch {
      stat = undefined; // ENOTDIR: a file above it, found on the way up
    }
    if (stat) return stat.isDirectory() ? undefined : d;
    if (path.dirname(d) === d) return undefined;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, extraKeys: readonly string[] = []): Config {
  const unknown = Object.keys(env).filter(
    (k) =>
      k.startsWith('VOW_') &&
      !CONFIG_KEYS.includes(k) &&
      !extraKeys.includes(k) &&
      !k.startsWith('VOW_TEST_'),
  );
  if (unknown.length > 0) {
    throw new VowError('VOW_CONFIG_INVALID', `Unknown configuration variable(s): ${unknown.join(', ')}`, {
      unknown,
      known: CONFIG_KEYS,
    });
  }
  const picked = Object.fromEntries(CONFIG_KEYS.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new VowError('VOW_CONFIG_INVALID', `Invalid configuration: ${problems.join('; ')}`, { problems });
  }
  const e = parsed.data;
  const notAFolder = fileInTheWay(path.resolve(e.VOW_DATA_DIR));
  if (notAFolder)
    throw new VowError(
      'VOW_CONFIG_INVALID',
      `Invalid configuration: VOW_DATA_DIR: ${notAFolder} is a file, not a folder: point VOW_DATA_DIR at a folder (it is created if missing)`,
      { problems: ['VOW_DATA_DIR: not a folder'] },
    );
  if (e.VOW_JOB_HEARTBEAT_SECONDS * 2 > e.VOW_JOB_LEASE_SECONDS)
    throw new VowError(
      'VOW_CONFIG_INVALID',
      'Invalid configuration: VOW_JOB_HEARTBEAT_SECONDS must be at most half of VOW_JOB_LEASE_SECONDS',
      { problems: ['VOW_JOB_HEARTBEAT_SECONDS: at most half of VOW_JOB_LEASE_SECONDS'] },
    );
  return Object.freeze({
    port: e.VOW_PORT,
    host: e.VOW_HOST,
    dataDir: path.resolve(e.VOW_DATA_DIR),
    databaseUrl: e.VOW_DATABASE_URL,
    databasePrepare: e.VOW_DATABASE_PREPARE === 'on',
    policyPath: e.VOW_POLICY,
    logLevel: e.VOW_LOG_LEVEL,
    bodyLimit: e.VOW_BODY_LIMIT,
    bodyTimeoutSeconds: e.VOW_BODY_TIMEOUT_SECONDS,
    importMaxBytes: e.VOW_IMPORT_MAX_BYTES,
    publicUrl: (e.VOW_PUBLIC_URL ?? `http://${e.VOW_HOST}:${e.VOW_PORT}`).replace(/\/$/, ''),
    env: e.VOW_ENV,
    masterKey: e.VOW_MASTER_KEY,
    masterKeyFile: e.VOW_MASTER_KEY_FILE,
    datasetsPath: e.VOW_DATASETS,
    allowedOrigins: (e.VOW_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    gaMeasurementId: e.VOW_GA_MEASUREMENT_ID,
    gaApiSecret: e.VOW_GA_API_SECRET,
    gaEndpoint: e.VOW_GA_ENDPOINT,
    smtpUrl: e.VOW_SMTP_URL,
    apiKeyCacheSeconds: e.VOW_API_KEY_CACHE_SECONDS,
    jobLeaseMs: e.VOW_JOB_LEASE_SECONDS * 1000,
    jobHeartbeatMs: e.VOW_JOB_HEARTBEAT_SECONDS * 1000,
    auditAnchorFile: path.resolve(
      e.VOW_AUDIT_ANCHOR_FILE ?? path.join(e.VOW_DATA_DIR, 'audit-anchors.jsonl'),
    ),
    auditAnchorMail: e.VOW_AUDIT_ANCHOR_MAIL === 'on',
    privacyOfficers: (e.VOW_PRIVACY_OFFICERS ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    breachReminderDays: e.VOW_BREACH_REMINDER_DAYS,
    trustProxy: parseTrustProxy(e.VOW_TRUST_PROXY),
    downstreamWait: e.VOW_DOWNSTREAM_WAIT,
    webhookMaxAttempts: e.VOW_WEBHOOK_MAX_ATTEMPTS,
    webhookPrivateNetworks: Object.freeze(
      e.VOW_WEBHOOK_PRIVATE_NETWORKS === 'off'
        ? []
        : e.VOW_WEBHOOK_PRIVATE_NETWORKS.split(',').map((n) => n.trim()),
    ),
    feedbackSmtpPort: e.VOW_FEEDBACK_SMTP_PORT,
    softBounceLimit: e.VOW_SOFT_BOUNCE_LIMIT,
    oidc: parseOidc(e),
    staffIdleMs: e.VOW_STAFF_IDLE_MINUTES * 60_000,
  });
}
