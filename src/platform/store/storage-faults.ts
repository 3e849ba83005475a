// Recognises database failures that are the infrastructure's, not the request's: PostgreSQL out of
// reach (refused, reset, shut down, timed out) and SQLite unable to open or read its file answer
// VOW_DATABASE_UNAVAILABLE (503, Retry-After: the pool reconnects by itself on the next request);
// a store that refuses writes (disk full, read-only file, read-only PostgreSQL) answers
// VOW_STORAGE_READ_ONLY (503). Nothing in these errors' messages is passed on: driver messages
// can quote values.
import { VowError } from '../errors.js';

/** Node socket errors of a connection that cannot be made or was lost. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATEs: connection exceptions (08…), operator intervention (57P…), too many connections. */
const PG_UNAVAILABLE = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
/** PostgreSQL: disk full, out of memory/space for files, read-only transaction (replica or read-only database). */
const PG_READ_ONLY = new Set(['53100', '25006']);

/** pg's own messages for a connection that broke or never came (these errors carry no code). */
const PG_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection ended unexpectedly',
  'Cannot use a pool after calling end on the pool',
];

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function classify(err: unknown): 'unavailable' | 'read_only' | undefined {
  const code = codeOf(err);
  if (code) {
    if (SOCKET_CODES.has(code) || PG_UNAVAILABLE.has(code)) return 'unavailable';
    if (PG_READ_ONLY.has(code)) return 'read_only';
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL') return 'read_only';
    if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_BUSY')
      return 'unavailable';
  }
  const message = err instanceof Error ? err.message : '';
  if (PG_MESSAGES.some((m) => message.includes(m))) return 'unavailable';
  // An AggregateError (several addresses refused) or a wrapped cause.
  const inner = (err as { errors?: unknown[]; cause?: unknown } | null) ?? {};
  if (Array.isArray(inner.errors))
    for (const e of inner.errors) if (classify(e) === 'unavailable') return 'unavailable';
  if (inner.cause && inner.cause !== err) return classify(inner.cause);
  return undefined;
}

/**
 * PostgreSQL refusing the connection itself, for a reason only the operator can fix: the database
 * named does not exist (3D000), the user or password is wrong (28P01, 28000).
 */
const PG_CONNECTION_REFUSED = new Set(['3D000', '28P01', '28000']);

/**
 * Whether the store could not be connected to at all (not reached, or the connection refused), as
 * opposed to a statement that failed: a migration that "failed" that way never ran.
 */
export function notConnected(err: unknown): boolean {
  const code = codeOf(err);
  return (code !== undefined && PG_CONNECTION_REFUSED.has(code)) || classify(err) === 'unavailable';
}

/** The VowError a storage fault answers with, or undefined when the error is something else. */
export function storageFault(err: unknown): VowError | undefined {
  if (err instanceof VowError) return undefined;
  switch (classify(err)) {
    case 'unavailable':
      return new VowError(
        'VOW_DATABASE_UNAVAILABLE',
        'The database cannot be reached right now; retry shortly',
        {
          retryAfterSeconds: 5,
        },
      );
    case 'read_only':
      return new VowError(
        'VOW_STORAGE_READ_ONLY',
        'The database refuses writes right now (disk full or read-only); nothing was changed',
        {
          retryAfterSeconds: 60,
        },
      );
    default:
      return undefined;
  }
}
