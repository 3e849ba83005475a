// One-click unsubscribe tokens (P10, RFC 8058): 32 random bytes, base64url. The token names no one:
// only its keyed hash (vault blind index, HMAC-SHA-256) is stored, next to the person and channel
// it unsubscribes. Tokens do not expire (CAN-SPAM asks for at least 30 days after the send).
import type { Kysely, Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';

type Executor = Kysely<Database> | Transaction<Database>;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function issueUnsubscribeToken(
  ctx: VowContext,
  db: Executor,
  subjectId: string,
  channel: string,
): Promise<string> {
  const token = ctx.random.bytes(32).toString('base64url');
  const issue = async (trx: Transaction<Database>) => {
    // Not for a person whose erasure began since the caller found them (VOW_SUBJECT_SHREDDED: no
    // email is rendered to them, and no token row of theirs outlives the erasure).
    await ctx.vault.assertOpen(trx, [subjectId]);
    await trx
      .insertInto('unsubscribe_tokens')
      .values({
        token_index: ctx.vault.blindIndex('token', token),
        subject_id: subjectId,
        channel,
        created_at: ctx.clock.now().toISOString(),
        used_at: null,
      })
      .execute();
  };
  if (db.isTransaction) await issue(db as Transaction<Database>);
  else await (db as Kysely<Database>).transaction().execute(issue);
  return token;
}

export interface TokenTarget {
  readonly tokenIndex: string;
  readonly subjectId: string;
  readonly channel: string;
  readonly usedAt: string | null;
}

/** The person and channel a token unsubscribes; VOW_UNSUBSCRIBE_TOKEN_INVALID when Vow did not issue it. */
export async function resolveUnsubscribeToken(
  ctx: VowContext,
  db: Executor,
  token: string,
): Promise<TokenTarget> {
  if (!TOKEN_SHAPE.test(token)) {
    throw new VowError('VOW_UNSUBSCRIBE_TOKEN_INVALID', 'This unsubscribe link is not valid');
  }
  const tokenIndex = ctx.vault.blindIndex('token', token);
  const row = await db
    .selectFrom('unsubscribe_tokens')
    .select(['subject_id', 'channel', 'used_at'])
    .where('token_index', '=', tokenIndex)
    .executeTakeFirst();
  if (!row) throw new VowError('VOW_UNSUBSCRIBE_TOKEN_INVALID', 'This unsubscribe link is not valid');
  return { tokenIndex, subjectId: row.subject_id, channel: row.channel, usedAt: row.used_at };
}
