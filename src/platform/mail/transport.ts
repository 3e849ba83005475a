// How a message leaves Vow: SMTP through nodemailer (VOW_SMTP_URL), or, in development without an
// SMTP server, one JSON line per message in <data dir>/mail.jsonl so nothing fails silently.
import { existsSync } from 'node:fs';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type nodemailer from 'nodemailer';
import lockfile from 'proper-lockfile';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { VowError } from '../errors.js';
import { ensurePrivateFile, PRIVATE_FILE_MODE } from '../private-files.js';

export interface OutgoingMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Vow's outbox id, used to build a stable Message-ID. */
  readonly outboxId: string;
}

/** What a transport that keeps copies of sent mail is told about each one, to decide whether it goes. */
export interface SentCopy {
  readonly to: string;
  readonly messageId: string;
}

export interface MailTransport {
  /** A name for logs and the health of the outbox: `smtp`, `file`, `none`. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
  /**
   * A transport that keeps a copy of what it sent (the development mailbox) deletes the copies
   * `drop` picks and says how many; SMTP keeps none (what reached the person is out of Vow's reach).
   */
  forget?(drop: (copy: SentCopy) => boolean): Promise<number>;
  close?(): void;
}

function messageId(outboxId: string, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? 'vow.local';
  return `<${outboxId}@${domain}>`;
}

export function smtpTransport(url: string): MailTransport {
  // nodemailer is loaded only when mail goes out over SMTP (the file transport does not need it).
  const { createTransport } = createRequire(import.meta.url)('nodemailer') as typeof nodemailer;
  const transporter = createTransport(url);
  return {
    name: 'smtp',
    async send(m) {
      const info = await transporter.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html === undefined ? {} : { html: m.html }),
        headers: { ...(m.headers ?? {}) },
        messageId: messageId(m.outboxId, m.from),
      });
      return { messageId: String(info.messageId ?? messageId(m.outboxId, m.from)) };
    },
    close: () => transporter.close(),
  };
}

/** Takes a file's lock, waiting while another process holds it; resolves to its release. */
export type FileLock = (file: string) => Promise<() => Promise<void>>;

/**
 * The development mailbox's lock, shared by every process on one data folder: a directory
 * `<file>.lock` (proper-lockfile), taken by each append and each rewrite. A lock left by a process
 * that died is taken over after 10 seconds; a process waits up to about 30 seconds for it.
 */
export const lockMailbox: FileLock = (file) =>
  lockfile.lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 300, minTimeout: 5, maxTimeout: 100, factor: 1.5 },
  });

/**
 * Development fallback: appends each message to a JSON-lines file (it holds plaintext: dev only).
 * The file is the owner's only (0600, its folder 0700), as the database is. An erasure deletes the
 * person's lines (`forget`): the file is written anew without them (a private temporary file renamed
 * over it, so a reader or a crash sees the old file or the new one, never half of one). Sends and
 * forgets of one process wait for each other in turn, and those of every process on the data folder
 * (two `vow serve`, or `vow serve` and a `vow` command) for the file's lock (`lockMailbox`): a line
 * appended while another process rewrites the file would be lost with the file it went to.
 */
export function fileTransport(file: string, clock: Clock, options: { lock?: FileLock } = {}): MailTransport {
  const lock = options.lock ?? lockMailbox;
  const locked = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lock(file);
    try {
      return await work();
    } finally {
      await release();
    }
  };
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work, work);
    turn = run.catch(() => undefined);
    return run;
  };
  return {
    name: 'file',
    send: (m) =>
      inTurn(async () => {
        // Every time (a few system calls per message): a removed file or folder comes back private.
        ensurePrivateFile(file);
        const id = messageId(m.outboxId, m.from);
        const line = `${JSON.stringify({ at: clock.now().toISOString(), messageId: id, from: m.from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers })}\n`;
        await locked(() => appendFile(file, line, 'utf8'));
        return { messageId: id };
      }),
    forget: (drop) => inTurn(() => (existsSync(file) ? locked(() => rewrite(drop)) : Promise.resolve(0))),
  };

  /** The file written anew without the lines `drop` picks (under the lock); how many went. */
  async function rewrite(drop: (copy: SentCopy) => boolean): Promise<number> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    const lines = text.split('\n').filter((l) => l !== '');
    const kept = lines.filter((line) => {
      let copy: Partial<SentCopy>;
      try {
        copy = JSON.parse(line) as Partial<SentCopy>;
      } catch {
        return true; // not a line this transport wrote: left as it is
      }
      return !drop({ to: String(copy.to ?? ''), messageId: String(copy.messageId ?? '') });
    });
    const dropped = lines.length - kept.length;
    if (dropped === 0) return 0;
    const temp = `${file}.${clock.now().getTime()}.${process.pid}.tmp`;
    try {
      await writeFile(temp, kept.map((l) => `${l}\n`).join(''), {
        encoding: 'utf8',
        mode: PRIVATE_FILE_MODE,
        flag: 'wx',
      });
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    ensurePrivateFile(file);
    return dropped;
  }
}

/** Production without VOW_SMTP_URL: every delivery fails with a clear code (the outbox keeps the message). */
export const noTransport: MailTransport = {
  name: 'none',
  async send() {
    throw new VowError('VOW_MAIL_NOT_CONFIGURED', 'Set VOW_SMTP_URL to deliver mail');
  },
};

export function transportFromConfig(config: Config, clock: Clock): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl);
  if (config.env === 'production') return noTransport;
  return fileTransport(path.join(config.dataDir, 'mail.jsonl'), clock);
}
