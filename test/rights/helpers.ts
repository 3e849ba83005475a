// Shared set-up for the rights tests: a fake world connected to the rights service, a capturing
// mail transport, and a JSON POST (the real SMTP path is covered in test/mail).
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import type { TestEnv } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';
import { FakeWorld } from './fakes.js';

// biome-ignore lint/suspicious/noExplicitAny: test JSON
export type Json = Record<string, any>;

/** POSTs `payload` as JSON; the status and the parsed answer. */
export async function post(
  env: TestEnv,
  url: string,
  payload: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await env.app.inject({ method: 'POST', url, payload: payload as object });
  return { status: res.statusCode, body: res.json() as Json };
}

/** Staff log a request received by post on `receivedOn` (the answer to POST /v1/staff/requests). */
export function postalRequest(
  env: TestEnv,
  type: string,
  jurisdiction: string,
  receivedOn: string,
): Promise<{ status: number; body: Json }> {
  return post(env, '/v1/staff/requests', { type, jurisdiction, channel: 'postal', receivedOn });
}

export interface RightsHarness {
  world: FakeWorld;
  sent: OutgoingMessage[];
  /** Delivers queued mail (and runs every due job). */
  drain(): Promise<void>;
  /** The 6-digit code of the last code mail sent to `to`. */
  codeFor(to: string): string;
  mailsTo(to: string): OutgoingMessage[];
}

export function connectHarness(env: TestEnv): RightsHarness {
  const world = new FakeWorld();
  env.services.rights.connect({ directory: world.directory, walker: world.walker });
  const sent = captureMail(env);
  return {
    world,
    sent,
    drain: async () => {
      await env.services.jobs.drain();
    },
    codeFor: (to) => {
      const m = sent.filter((x) => x.to === to && /code/i.test(x.subject)).at(-1);
      const code = m && /\b(\d{6})\b/.exec(m.text)?.[1];
      if (!code) throw new Error(`no code mail to ${to}`);
      return code;
    },
    mailsTo: (to) => sent.filter((x) => x.to === to),
  };
}
