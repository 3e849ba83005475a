// How a message leaves Vow: SMTP through nodemailer (VOW_SMTP_URL), or, in development without an
// SMTP server, one JSON line per message in <data dir>/mail.jsonl so nothing fails silently.
import { appendFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type nodemailer from 'nodemailer';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { VowError } from '../errors.js';
import { ensurePrivateFile } from '../private-files.js';

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

export interface MailTransport {
  /** A name for logs and the health of the outbox: `smtp`, `file`, `none`. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
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

/**
 * Development fallback: appends each message to a JSON-lines file (it holds plaintext: dev only).
 * The file is the owner's only (0600, its folder 0700), as the database is.
 */
export function fileTransport(file: string, clock: Clock): MailTransport {
  return {
    name: 'file',
    async send(m) {
      // Every time (a few system calls per message): a removed file or folder comes back private.
      ensurePrivateFile(file);
      const id = messageId(m.outboxId, m.from);
      await appendFile(
        file,
        `${JSON.stringify({ at: clock.now().toISOString(), messageId: id, from: m.from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers })}\n`,
        'utf8',
      );
      return { messageId: id };
    },
  };
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
