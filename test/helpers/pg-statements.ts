// The statements this process sends PostgreSQL while `fn` runs, in order, with their parameters:
// for tests that count round trips or check the order of locks. Every connection's client is
// watched (the pg driver's Client.prototype.query), and restored when `fn` ends, however it ends.
import { pgDriver } from '../../src/platform/store/index.js';

export interface SentStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

export async function pgStatements<T>(fn: () => Promise<T>): Promise<{ result: T; sent: SentStatement[] }> {
  const sent: SentStatement[] = [];
  const Client = pgDriver().Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = Client.query;
  Client.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === 'string' ? first : String(first.text);
    const values = (typeof first === 'string' ? args[1] : first.values) as unknown[] | undefined;
    sent.push({ text, values: values ?? [] });
    return query.apply(this, args);
  };
  try {
    return { result: await fn(), sent };
  } finally {
    Client.query = query;
  }
}
