// The mail outbox: a message is written (sealed by the vault) in the caller's transaction, then a
// durable job delivers it, so a message is never lost to a crash and never sent for a change
// that rolled back. Once sent, the sealed body is erased; the row keeps only what was sent when.
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { PlatformContext } from '../context.js';
import { openSealedText, sealWithKey } from '../crypto/index.js';
import { VowError } from '../errors.js';
import { defineJob, type JobRunner } from '../jobs/index.js';
import { type Database, isIn, listChunks } from '../store/index.js';
import { isPlainAddress } from '../strings.js';
import type { OutboxStatus } from './tables.js';
import { type MailTransport, type SentCopy, transportFromConfig } from './transport.js';

export interface MailMessage {
  /** An email address, or `recipient:<policy recipient id>` for a notice to a downstream recipient. */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** What the message is for, dotted: `rights.code`, `consent.confirmation`, … */
  readonly kind: string;
  /** The person it concerns (ids only), so their deletion can erase pending bodies. */
  readonly subjectId?: string | undefined;
}

export interface OutboxEntry {
  readonly id: string;
  readonly kind: string;
  readonly subjectId: string | null;
  readonly audience: string;
  readonly status: OutboxStatus;
  readonly messageId: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

/** Bodies written before outbox keys were derived were sealed under this vault data key. */
const LEGACY_OUTBOX_KEY = 'vow:mail-outbox';
const FORMAT = 'm1';
const RECIPIENT = /^recipient:[a-z][a-z0-9_]*$/;

const sealedSchema = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

export const MAIL_DELIVER_JOB = 'mail.deliver';
export const MAIL_UPKEEP_JOB = 'mail.upkeep';
/**
 * How long a notice to a downstream recipient keeps its text once recorded: long enough for staff to
 * forward it through the recipient's own channel (GDPR Art. 19), no longer (it names the person).
 */
export const RECORDED_NOTICE_KEPT_DAYS = 30;

function toEntry(r: Database['mail_outbox']): OutboxEntry {
  return {
    id: r.id,
    kind: r.kind,
    subjectId: r.subject_id,
    audience: r.audience,
    status: r.status,
    messageId: r.message_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

/** Who Vow's mail comes from: the controller's name and address. */
export type MailSender = () => { readonly name: string; readonly email: string };

export class MailService {
  readonly #ctx: PlatformContext;
  readonly #jobs: JobRunner;
  readonly #sender: MailSender;
  #transport: MailTransport;

  /** `sender` names who mail comes from (the controller the policy declares). */
  constructor(ctx: PlatformContext, jobs: JobRunner, sender: MailSender, transport?: MailTransport) {
    this.#ctx = ctx;
    this.#jobs = jobs;
    this.#sender = sender;
    this.#transport = transport ?? transportFromConfig(ctx.config, ctx.clock);
    jobs.register(
      defineJob({
        id: MAIL_UPKEEP_JOB,
        version: 1,
        schema: z.object({ day: z.string() }),
        handler: async () => {
          const forgotten = await this.forgetOldNotices();
          await this.scheduleUpkeep();
          return { forgotten };
        },
      }),
    );
    jobs.register(
      defineJob({
        id: MAIL_DELIVER_JOB,
        version: 1,
        schema: z.object({ outboxId: z.string().min(1) }),
        maxAttempts: 8,
        handler: async ({ outboxId }) => this.deliver(outboxId),
      }),
    );
  }

  /**
   * Schedules the daily upkeep (next UTC midnight): recorded notices older than
   * RECORDED_NOTICE_KEPT_DAYS lose their text. One job per day, however many processes call this.
   */
  async scheduleUpkeep(): Promise<void> {
    const now = this.#ctx.clock.now();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const day = next.toISOString().slice(0, 10);
    await this.#jobs.enqueue({
      name: MAIL_UPKEEP_JOB,
      payload: { day },
      idempotencyKey: `${MAIL_UPKEEP_JOB}:${day}`,
      runAt: next,
    });
  }

  /** Forgets the text of notices recorded more than RECORDED_NOTICE_KEPT_DAYS ago; returns how many. */
  async forgetOldNotices(): Promise<number> {
    const cutoff = new Date(this.#ctx.clock.now().getTime() - RECORDED_NOTICE_KEPT_DAYS * 24 * 3600_000);
    const res = await this.#ctx.store.db
      .updateTable('mail_outbox')
      .set({ sealed: null })
      .where('status', '=', 'recorded')
      .where('sealed', 'is not', null)
      .where('sent_at', '<', cutoff.toISOString())
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /**
   * The outbox key: derived from the vault's keyed hash (itself wrapped by the master key), never
   * stored, and needing no database read, so a caller's open transaction (on SQLite, the only
   * connection) is never waited on. Not the person's data key: deletion destroys that one.
   */
  #key(): Buffer {
    return Buffer.from(this.#ctx.vault.blindIndex('token', 'vow:mail-outbox:aes-256-gcm'), 'base64url');
  }

  #seal(id: string, plaintext: string): string {
    return sealWithKey(
      this.#key(),
      Buffer.from(plaintext, 'utf8'),
      `mail-outbox:${id}`,
      this.#ctx.random.bytes(12),
      FORMAT,
    );
  }

  async #open(id: string, sealed: string): Promise<string | null> {
    if (!sealed.startsWith(`${FORMAT}.`)) return this.#ctx.vault.decrypt(LEGACY_OUTBOX_KEY, sealed);
    return openSealedText(this.#key(), sealed, `mail-outbox:${id}`, FORMAT);
  }

  get transportName(): string {
    return this.#transport.name;
  }

  /**
   * Deletes the copies of sent mail that `drop` picks from where the transport keeps them (the
   * development mailbox; SMTP keeps none); returns how many. The erasure's (src/platform/mail/erasure.ts).
   */
  async forgetSent(drop: (copy: SentCopy) => boolean): Promise<number> {
    return (await this.#transport.forget?.(drop)) ?? 0;
  }

  /** Replaces the transport (tests, or a process that learns its SMTP server late). */
  useTransport(transport: MailTransport): void {
    this.#transport = transport;
  }

  /** The sender: the controller's name and address (asked each time: the policy can be reloaded). */
  get from(): string {
    const c = this.#sender();
    return `"${c.name.replace(/"/g, '')}" <${c.email}>`;
  }

  /**
   * Writes a message to the outbox and schedules its delivery. Pass the transaction of the change
   * the message belongs to, so both commit together. Returns the outbox id, or null when the message
   * concerns a person whose erasure began since the caller found them (see enqueueAll): not written.
   */
  async enqueue(
    message: MailMessage & { readonly subjectId?: undefined },
    trx?: Transaction<Database>,
  ): Promise<string>;
  async enqueue(message: MailMessage, trx?: Transaction<Database>): Promise<string | null>;
  async enqueue(message: MailMessage, trx?: Transaction<Database>): Promise<string | null> {
    return (await this.enqueueAll([message], trx))[0] ?? null;
  }

  /**
   * Writes messages to the outbox and schedules their delivery, in one transaction (the caller's, when
   * given). A message for a person (`subjectId`) whose erasure began since the caller found them
   * (their data key closed) is dropped, not written: it would hold their address past the erasure.
   * One check for all the messages' people, inside the transaction and before the first write,
   * ordered against the erasure (the vault's closedAmong). Returns each message's outbox id, null
   * for a dropped one. VOW_MAIL_INVALID (nothing written) when any message lacks an address, a
   * subject or a text.
   */
  async enqueueAll(
    messages: readonly MailMessage[],
    trx?: Transaction<Database>,
  ): Promise<(string | null)[]> {
    const { random, clock } = this.#ctx;
    const rows = messages.map((message) => {
      const to = message.to.trim();
      if (
        !(isPlainAddress(to) || RECIPIENT.test(to)) ||
        message.subject.trim() === '' ||
        message.text === ''
      ) {
        throw new VowError('VOW_MAIL_INVALID', 'A message needs an address, a subject and a text body', {
          kind: message.kind,
        });
      }
      if (/[\r\n]/.test(message.subject)) {
        throw new VowError('VOW_MAIL_INVALID', 'A subject cannot hold line breaks', { kind: message.kind });
      }
      const id = random.uuid();
      const sealed = this.#seal(
        id,
        JSON.stringify({
          to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
          ...(message.headers === undefined ? {} : { headers: message.headers }),
        }),
      );
      return { id, to, sealed, message };
    });
    const people = rows.flatMap((r) => (r.message.subjectId ? [r.message.subjectId] : []));
    const write = async (t: Transaction<Database>): Promise<(string | null)[]> => {
      const closed = people.length > 0 ? await this.#ctx.vault.closedAmong(t, people) : new Set<string>();
      const kept = rows.filter((r) => !(r.message.subjectId && closed.has(r.message.subjectId)));
      if (kept.length === 0) return rows.map(() => null);
      const at = clock.now().toISOString();
      await t
        .insertInto('mail_outbox')
        .values(
          kept.map(({ id, to, sealed, message }) => ({
            id,
            kind: message.kind,
            subject_id: message.subjectId ?? null,
            audience: RECIPIENT.test(to) ? to : 'person',
            sealed,
            status: 'queued' as const,
            message_id: null,
            last_error: null,
            created_at: at,
            sent_at: null,
          })),
        )
        .execute();
      for (const { id } of kept)
        await this.#jobs.enqueue(
          { name: MAIL_DELIVER_JOB, payload: { outboxId: id }, idempotencyKey: `mail:${id}` },
          t,
        );
      const written = new Set(kept.map((r) => r.id));
      return rows.map((r) => (written.has(r.id) ? r.id : null));
    };
    if (rows.length === 0) return [];
    const ids = trx ? await write(trx) : await this.#ctx.store.db.transaction().execute(write);
    if (ids.some((id) => id !== null)) this.#jobs.wake();
    return ids;
  }

  /**
   * Sends one outbox message (the delivery job's handler). A message already sent is not sent again;
   * a notice to a downstream recipient (no SMTP address in the policy) is marked `recorded` for
   * staff to forward through the recipient's channel.
   */
  async deliver(outboxId: string): Promise<{ status: OutboxStatus }> {
    const db = this.#ctx.store.db;
    const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
    if (!row) return { status: 'failed' };
    if (row.status !== 'queued' || row.sealed === null) return { status: row.status };
    const now = this.#ctx.clock.now().toISOString();
    if (row.audience !== 'person') {
      await db
        .updateTable('mail_outbox')
        .set({ status: 'recorded', sent_at: now })
        .where('id', '=', outboxId)
        .execute();
      return { status: 'recorded' };
    }
    const plain = await this.#open(outboxId, row.sealed);
    if (plain === null) throw new VowError('VOW_DECRYPTION_FAILED', 'The outbox key is gone');
    const m = sealedSchema.parse(JSON.parse(plain));
    const sent = await this.#transport.send({ ...m, from: this.from, outboxId });
    await db
      .updateTable('mail_outbox')
      .set({ status: 'sent', sent_at: now, message_id: sent.messageId, sealed: null, last_error: null })
      .where('id', '=', outboxId)
      .where('status', '=', 'queued')
      .execute();
    return { status: 'sent' };
  }

  /** Metadata of outbox messages (never bodies or addresses). */
  async list(filter: { kind?: string; subjectId?: string; audience?: string } = {}): Promise<OutboxEntry[]> {
    let q = this.#ctx.store.db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'asc');
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.subjectId) q = q.where('subject_id', '=', filter.subjectId);
    if (filter.audience) q = q.where('audience', '=', filter.audience);
    return (await q.limit(1000).execute()).map(toEntry);
  }

  /** How many of these outbox messages are in each status (counts only; a progress line). */
  async statusCounts(outboxIds: readonly string[]): Promise<Partial<Record<OutboxStatus, number>>> {
    const out: Partial<Record<OutboxStatus, number>> = {};
    const { db, dialect } = this.#ctx.store;
    for (const chunk of listChunks(dialect, outboxIds)) {
      const rows = await db
        .selectFrom('mail_outbox')
        .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where((eb) => isIn(eb, dialect, 'id', chunk))
        .groupBy('status')
        .execute();
      for (const r of rows) out[r.status] = (out[r.status] ?? 0) + Number(r.n);
    }
    return out;
  }

  /** Opens a message still in the outbox (staff forwarding a recipient notice; tests). */
  async read(outboxId: string): Promise<z.infer<typeof sealedSchema> | null> {
    const row = await this.#ctx.store.db
      .selectFrom('mail_outbox')
      .select('sealed')
      .where('id', '=', outboxId)
      .executeTakeFirst();
    if (!row?.sealed) return null;
    const plain = await this.#open(outboxId, row.sealed);
    return plain === null ? null : sealedSchema.parse(JSON.parse(plain));
  }

  close(): void {
    this.#transport.close?.();
  }
}
