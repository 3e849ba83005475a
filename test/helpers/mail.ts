// The mail Vow sends, kept in memory for the tests to read (the real SMTP path is covered in test/mail).
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import type { TestEnv } from './env.js';

/** Replaces the mail transport with one that keeps every message; the array fills as mail is sent. */
export function captureMail(env: TestEnv): OutgoingMessage[] {
  const sent: OutgoingMessage[] = [];
  env.services.mail.useTransport({
    name: 'capture',
    send: async (m) => {
      sent.push(m);
      return { messageId: `<${m.outboxId}@test>` };
    },
  });
  return sent;
}
