// Shared set-up for the rights tests: a fake world connected to the rights service, and a
// capturing mail transport (the real SMTP path is covered in test/mail).
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import type { TestEnv } from '../helpers/env.js';
import { FakeWorld } from './fakes.js';

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
  const sent: OutgoingMessage[] = [];
  env.services.rights.connect({ directory: world.directory, walker: world.walker });
  env.services.mail.useTransport({
    name: 'capture',
    send: async (m) => {
      sent.push(m);
      return { messageId: `<${m.outboxId}@test>` };
    },
  });
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
