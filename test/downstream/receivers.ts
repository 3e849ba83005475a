// Loopback webhook receivers and helpers for the downstream tests: real HTTP servers, signatures
// verified with the standardwebhooks package.
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { TestEnv } from '../helpers/env.js';

// biome-ignore lint/suspicious/noExplicitAny: test JSON
export type Json = Record<string, any>;

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Vow's clock when it arrived (the verifier's "now"). */
  readonly at: number;
}

export class Receiver {
  readonly got: Received[] = [];
  #server: Server | undefined;
  port = 0;
  constructor(private readonly now: () => number) {}
  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        this.got.push({ headers: req.headers, body, at: this.now() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }
  async kill(): Promise<void> {
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
    this.#server?.closeAllConnections();
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }
}

/** Verifies with the standardwebhooks package, its clock set to the moment the message arrived. */
export function verified(secret: string, m: Received): Json {
  const realNow = Date.now;
  Date.now = () => m.at;
  try {
    return new Webhook(secret).verify(m.body, {
      'webhook-id': String(m.headers['webhook-id']),
      'webhook-timestamp': String(m.headers['webhook-timestamp']),
      'webhook-signature': String(m.headers['webhook-signature']),
    }) as Json;
  } finally {
    Date.now = realNow;
  }
}

export async function call(env: TestEnv, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await env.app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? (res.json() as Json) : {} };
}

/** The recipient's acknowledgement, signed like a webhook with the endpoint's secret. */
export async function acknowledge(env: TestEnv, secret: string, ackUrl: string, taskId: string) {
  const body = JSON.stringify({ status: 'done', taskId });
  const msgId = `ack_${taskId}`;
  const signature = new Webhook(secret).sign(msgId, env.clock.now(), body);
  return env.app.inject({
    method: 'POST',
    url: new URL(ackUrl).pathname,
    headers: {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(env.clock.now().getTime() / 1000)),
      'webhook-signature': signature,
    },
    payload: body,
  });
}

/**
 * A resolver answering each name from a script: the n-th lookup of a name gets its n-th answer (the
 * last one again after that); a name without a script, or a `null` answer, is not found.
 */
export function scripted(script: Record<string, (string[] | null)[]>) {
  const calls: string[] = [];
  const lookup = (
    hostname: string,
    _options: object,
    callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ) => {
    const answers = script[hostname] ?? [null];
    const n = calls.filter((h) => h === hostname).length;
    calls.push(hostname);
    const answer = answers[Math.min(n, answers.length - 1)];
    if (!answer) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    callback(
      null,
      answer.map((address) => ({ address, family: isIP(address) })),
    );
  };
  return { lookup, calls };
}
