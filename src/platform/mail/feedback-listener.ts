// The SMTP listener for mail feedback (VOW_FEEDBACK_SMTP_PORT): the retailer points its bounce and
// complaint addresses (the envelope sender of campaign mail, the ARF feedback address) here. Each
// message is handed over whole; the answer to the sending server waits until it is handled, so a
// failure is a temporary SMTP error and the sender retries. Plain SMTP without authentication, on
// the configured interface: put it behind the MX that receives the reports.
import { SMTPServer } from 'smtp-server';

export interface FeedbackListener {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BYTES = 2 * 1024 * 1024;

export async function startFeedbackListener(options: {
  readonly host: string;
  readonly port: number;
  readonly onMessage: (raw: string) => Promise<unknown>;
  readonly onError?: (err: unknown) => void;
}): Promise<FeedbackListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_BYTES,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BYTES) chunks.push(c);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > MAX_BYTES) {
          callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        options.onMessage(Buffer.concat(chunks).toString('utf8')).then(
          () => callback(),
          (err: unknown) => {
            options.onError?.(err);
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
