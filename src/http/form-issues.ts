// A browser's form refused for its content comes back as the same form, not as a page saying
// "Invalid request body": what was typed (never a password), and each mistake at its field. This
// file reads the mistakes out of every shape a refusal takes (the route's body schema, failed before
// the handler ran; a schema parsed in the handler; a VowError's `issues` from a module) into one
// list, and lets a route name the page its form comes back on (`config.formPage`), which the error
// handler (errors.ts) calls for a refused browser post instead of the generic error page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { statusOf } from '../app/error-registry.js';
import { isVowError, VowError } from '../platform/errors.js';

/** What is wrong with one value, as the shopper's words will say it (pages/i18n/form-issues.ts). */
export type IssueKind =
  | 'too_long'
  | 'too_short'
  | 'empty'
  | 'choice'
  | 'email'
  | 'phone'
  | 'date'
  | 'too_late'
  | 'too_early'
  | 'not_allowed'
  | 'characters'
  | 'invalid';

export interface FieldIssue {
  /** The body key the mistake is in ('' for the form as a whole). */
  readonly field: string;
  /** The whole path, dotted (`postal_address.line1`), for forms whose keys are nested. */
  readonly path: string;
  readonly kind: IssueKind;
  /** The bound broken: a length, or a YYYY-MM-DD day. */
  readonly limit?: number | string | undefined;
}

/** What a refused form comes back with. */
export interface FormRefusal {
  readonly error: VowError;
  readonly status: number;
  /** The mistakes by field; empty for a refusal of the form as a whole (a wrong password). */
  readonly issues: readonly FieldIssue[];
  /** What was typed, as sent, without secrets (see `typedValues`). */
  readonly values: FormValues;
}

export type FormValues = Readonly<Record<string, string | readonly string[]>>;

/** The page a route's form comes back on, for a refused browser post (validation included). */
export type FormPage = (
  req: FastifyRequest,
  reply: FastifyReply,
  refusal: FormRefusal,
) => FastifyReply | Promise<FastifyReply>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A shopper form: a browser's post refused for its content (the body schema, or a 4xx from the
     * handler that passes it here) gets this page, the form filled in again with each mistake at its
     * field, instead of the generic error page.
     */
    formPage?: FormPage;
  }
}

/** Body keys never sent back into a page: passwords, and the anti-forgery token (a fresh one is). */
const SECRET = new Set(['password', 'current', 'new_password', '_csrf', 'code']);

/** What was typed, as the browser sent it: text (and lists of text) only, secrets left out. */
export function typedValues(body: unknown): FormValues {
  if (typeof body !== 'object' || body === null) return {};
  const out: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (SECRET.has(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
  }
  return out;
}

/** One issue of Zod (as Fastify's validation or a ZodError carries it). */
interface ZodIssueLike {
  readonly code?: string;
  readonly path?: readonly PropertyKey[];
  readonly message?: string;
  readonly origin?: string;
  readonly format?: string;
  readonly maximum?: number | bigint;
  readonly minimum?: number | bigint;
  readonly keys?: readonly string[];
}

function kindOfZod(i: ZodIssueLike): { kind: IssueKind; limit?: number } {
  const message = i.message ?? '';
  switch (i.code) {
    case 'too_big':
      return i.origin === 'string'
        ? { kind: 'too_long', limit: Number(i.maximum) }
        : { kind: i.origin === 'array' ? 'choice' : 'invalid' };
    case 'too_small':
      if (i.origin === 'string')
        return Number(i.minimum) <= 1 ? { kind: 'empty' } : { kind: 'too_short', limit: Number(i.minimum) };
      return { kind: i.origin === 'array' ? 'choice' : 'invalid' };
    case 'invalid_value':
    case 'invalid_enum_value':
    // The forms' unions are choices: a place or none, one box ticked or several.
    case 'invalid_union':
      return { kind: 'choice' };
    case 'invalid_type':
      return { kind: /received undefined/.test(message) ? 'empty' : 'invalid' };
    case 'invalid_format':
      if (i.format === 'email' || /email/.test(message)) return { kind: 'email' };
      if (i.format === 'date') return { kind: 'date' };
      if (/control characters|surrogate/.test(message)) return { kind: 'characters' };
      if (/phone/.test(message)) return { kind: 'phone' };
      return { kind: 'invalid' };
    default:
      if (/phone/.test(message)) return { kind: 'phone' };
      return { kind: 'invalid' };
  }
}

function fromZod(i: ZodIssueLike): FieldIssue {
  const path = (i.path ?? []).map(String);
  if (i.code === 'unrecognized_keys') return { field: '', path: '', kind: 'invalid' };
  return { field: path[0] ?? '', path: path.join('.'), ...kindOfZod(i) };
}

/** An issue a module put in a VowError's details: `{ path: '/name', message, code?, limit? }`. */
function fromDetails(i: { path?: unknown; message?: unknown; code?: unknown; limit?: unknown }): FieldIssue {
  const path = typeof i.path === 'string' ? i.path.replace(/^\//, '').split('/').filter(Boolean) : [];
  const code = typeof i.code === 'string' ? i.code : undefined;
  const limit = typeof i.limit === 'string' || typeof i.limit === 'number' ? i.limit : undefined;
  const known: readonly IssueKind[] = ['too_late', 'too_early', 'not_allowed'];
  const kind = code && (known as readonly string[]).includes(code) ? (code as IssueKind) : undefined;
  return {
    field: path[0] ?? '',
    path: path.join('.'),
    ...(kind ? { kind, limit } : kindOfZod({ code, message: String(i.message ?? '') })),
  };
}

function isZodError(err: unknown): err is { issues: ZodIssueLike[] } {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'ZodError' &&
    Array.isArray((err as { issues?: unknown }).issues)
  );
}

/**
 * Fastify's schema validation failure: one entry per Zod issue, its code as `keyword`, its path as
 * `instancePath` and the rest of the issue (bounds, format) in `params`.
 */
function validationIssues(err: unknown): ZodIssueLike[] | undefined {
  const v = (err as { validation?: unknown } | null)?.validation;
  if (!Array.isArray(v)) return undefined;
  return v.map(
    (e: { keyword?: string; instancePath?: string; message?: string; params?: Record<string, unknown> }) => ({
      ...(e.params ?? {}),
      code: e.keyword,
      path: (e.instancePath ?? '').split('/').filter(Boolean),
      message: e.message,
    }),
  );
}

/**
 * The mistakes of a refusal, by field: none for a refusal that is not about the values. Given the
 * body sent, a field sent blank is said to be empty.
 */
export function fieldIssues(err: unknown, body?: unknown): FieldIssue[] {
  return issuesOf(err).map((i) => emptyIfBlank(i, body));
}

function issuesOf(err: unknown): FieldIssue[] {
  const fromValidation = validationIssues(err);
  if (fromValidation) return fromValidation.map(fromZod);
  if (isZodError(err)) return err.issues.map(fromZod);
  if (isVowError(err)) {
    const issues = (err.details as { issues?: unknown } | undefined)?.issues;
    if (Array.isArray(issues)) return issues.map(fromDetails);
  }
  return [];
}

/**
 * The refusal of a browser's form, for its `formPage`: a VowError with a 4xx status (a schema
 * failure is VOW_VALIDATION), its mistakes by field, and what was typed. Anything else (a fault)
 * is thrown again, for the error handler to log and answer without internals.
 */
export function formRefusalOf(err: unknown, body: unknown): FormRefusal {
  const error = isVowError(err)
    ? err
    : validationIssues(err) || isZodError(err)
      ? new VowError('VOW_VALIDATION', 'Invalid request body')
      : undefined;
  if (!error) throw err;
  const status = statusOf(error.code);
  if (status >= 500) throw err;
  return {
    error,
    status,
    issues: fieldIssues(err, body),
    values: typedValues(body),
  };
}

/**
 * A field sent blank is empty, not "too short": a log-in sent without its email said "Too short: use
 * at least 3 characters" (a length the shopper never chose), where "This is empty" says what to do.
 */
function emptyIfBlank(issue: FieldIssue, body: unknown): FieldIssue {
  if (issue.kind !== 'too_short' || issue.path !== issue.field) return issue;
  const sent =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[issue.field] : undefined;
  return typeof sent === 'string' && sent.trim() === ''
    ? { field: issue.field, path: issue.path, kind: 'empty' }
    : issue;
}
