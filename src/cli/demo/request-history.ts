// The demo shop's privacy requests (P20-P24), made and handled through the rights service at the
// moments they happened: some answered on time months ago, some still open, within their deadline,
// each waiting for the privacy officer to do something.
//
// Each step runs against a rights service whose injected clock is set to that step's moment: the
// same store, policy, vault, subjects directory and datasets walker as the rest of Vow, with its
// own job runner (it claims only the jobs it queued itself, never the store's own queue) and its
// own mail outbox, delivered to the shoppers' mailboxes (in memory: they are made up). So a
// request is received, acknowledged (the code mail), confirmed with the emailed code minutes later
// and answered by its fulfilment job as it would have been then, and the rights service applies
// its own rules as they stood then. The rights service itself has no way to backdate anything: its
// clock alone says what "now" is. The audit trail dates each entry when it is written (now), as it
// does for the collection records the generator imports.

import type { Services } from '../../app/services.js';
import type { VowContext } from '../../modules/policy/index.js';
import {
  addDays,
  isoDay,
  type RequestStatus,
  RightsService,
  type SubmitInput,
} from '../../modules/rights/index.js';
import { ManualClock } from '../../platform/clock.js';
import { JobRunner } from '../../platform/jobs/index.js';
import { MailService, type OutgoingMessage } from '../../platform/mail/index.js';
import type { Prng } from './prng.js';

/** Someone of the shop who may make a request, by the email Vow holds for them. */
export interface RequestPerson {
  readonly name: string;
  readonly email: string;
  /** Their last doing at the shop; a request answered long ago came after it. */
  readonly lastAt: Date;
}

export interface RequestHistoryStats {
  /** Open requests, within their deadline, waiting for staff. */
  open: number;
  /** Requests answered on time, months ago. */
  answered: number;
}

/** Who logged the requests that came by email or post, and acknowledged the letter (not an account). */
export const DEMO_STAFF_ID = 'demo-privacy-team';
const AGENT = { name: 'Brightline Privacy Agents', permission: "The consumer's signed authorisation" };
const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * The open requests, in turn: each waits for a different thing the officer does in the console.
 * - `unconfirmed`: an access request emailed to the shop and logged by staff; the code mail
 *   acknowledged it, the person never typed the code (verify by data points, or deny);
 * - `agent`: a deletion an authorised agent emailed; the person confirmed the code; the agent's
 *   signed permission waits for confirmation;
 * - `correction`: a name correction from the web form (GDPR), confirmed; the evidence waits for approval;
 * - `postal`: a deletion by letter, logged and acknowledged by letter; no email to send a code to.
 */
const OPEN_KINDS = ['unconfirmed', 'agent', 'correction', 'postal'] as const;
/** The answered requests, in turn: each confirmed with the emailed code, then fulfilled by its job. */
const ANSWERED_KINDS = ['access', 'deletion', 'objection', 'portability'] as const;
const OPEN_STATUS: Record<(typeof OPEN_KINDS)[number], RequestStatus> = {
  unconfirmed: 'awaiting_verification',
  agent: 'awaiting_agent_confirmation',
  correction: 'awaiting_approval',
  postal: 'awaiting_verification',
};

export class RequestHistory {
  readonly #clock: ManualClock;
  readonly #jobs: JobRunner;
  readonly #rights: RightsService;
  readonly #rng: Prng;
  readonly #now: Date;
  /** The shoppers' mailboxes: what the rights service mailed each address. */
  readonly #mailboxes = new Map<string, OutgoingMessage[]>();

  constructor(ctx: VowContext, services: Services, rng: Prng, now: Date) {
    this.#rng = rng;
    this.#now = now;
    this.#clock = new ManualClock(now);
    const then: VowContext = { ...ctx, clock: this.#clock };
    this.#jobs = new JobRunner(then, { onlyOwnJobs: true });
    const mail = new MailService(then, this.#jobs, () => ctx.policy.doc.controller, {
      name: 'demo-mailboxes',
      send: async (m) => {
        this.#mailboxes.set(m.to, [...(this.#mailboxes.get(m.to) ?? []), m]);
        return { messageId: `<${m.outboxId}@demo.invalid>` };
      },
    });
    // Replayed without downstream tasks: their drafts and events would go to the live store's queue,
    // which this runner (only its own jobs) never drains; the demo has no recipient systems anyway.
    this.#rights = new RightsService(then, this.#jobs, mail, {
      ...services.rights.ports,
      downstream: undefined,
    });
  }

  /**
   * Up to `answered` requests answered months ago, then up to `open` requests received 38-43 days
   * ago (CCPA, due in 45) or 24-28 days ago (GDPR, due in a month), from distinct people (fewer
   * when there are not enough of them). A person whose data was deleted makes no other request.
   */
  async write(
    people: readonly RequestPerson[],
    counts: { open: number; answered: number },
  ): Promise<RequestHistoryStats> {
    const pool = [...people];
    const stats: RequestHistoryStats = { open: 0, answered: 0 };
    const latest = this.#now.getTime() - 50 * DAY;
    for (let k = 0; k < counts.answered; k++) {
      // Received after the person's last doing at the shop (the deletion ended it), 50-300 days ago.
      const i = pool.findIndex((p) => p.lastAt.getTime() + DAY <= latest);
      if (i < 0) break;
      const [person] = pool.splice(i, 1) as [RequestPerson];
      const earliest = Math.max(this.#now.getTime() - 300 * DAY, person.lastAt.getTime() + DAY);
      const receivedOn = isoDay(
        new Date(earliest + this.#rng.int(0, Math.floor((latest - earliest) / DAY)) * DAY),
      );
      await this.#answered(ANSWERED_KINDS[k % ANSWERED_KINDS.length]!, person, receivedOn);
      stats.answered++;
    }
    for (let k = 0; k < counts.open && pool.length > 0; k++) {
      const person = pool.shift()!;
      const kind = OPEN_KINDS[k % OPEN_KINDS.length]!;
      const ago = kind === 'correction' ? this.#rng.int(24, 28) : this.#rng.int(38, 43);
      await this.#open(kind, person, isoDay(new Date(this.#now.getTime() - ago * DAY)));
      stats.open++;
    }
    return stats;
  }

  async #answered(
    kind: (typeof ANSWERED_KINDS)[number],
    person: RequestPerson,
    receivedOn: string,
  ): Promise<void> {
    const { email, name } = person;
    const gdpr = kind === 'objection' || kind === 'portability';
    const input: SubmitInput = { type: kind, jurisdiction: gdpr ? 'eea' : 'us-ca', email, name };
    // The deletion was emailed to the shop and logged by staff the next day; the others came by the web form.
    const received =
      kind === 'deletion'
        ? await this.#at(this.#moment(receivedOn, 1), () =>
            this.#rights.submit(input, { channel: 'email', receivedOn, staffId: DEMO_STAFF_ID }),
          )
        : await this.#at(this.#moment(receivedOn, 0), () => this.#rights.submit(input, { channel: 'web' }));
    const { requestId } = await this.#confirm(received.statusToken, email);
    const answered = await this.#rights.get(requestId);
    if (answered.status !== 'completed')
      throw new Error(`The demo's ${kind} request ${requestId} was not answered (${answered.status})`);
  }

  async #open(kind: (typeof OPEN_KINDS)[number], person: RequestPerson, receivedOn: string): Promise<void> {
    const { email, name } = person;
    let requestId: string;
    if (kind === 'unconfirmed') {
      ({ requestId } = await this.#at(this.#moment(receivedOn, this.#rng.int(0, 1)), () =>
        this.#rights.submit(
          { type: 'access', jurisdiction: 'us-ca', email, name },
          { channel: 'email', receivedOn, staffId: DEMO_STAFF_ID },
        ),
      ));
    } else if (kind === 'agent') {
      const received = await this.#at(this.#moment(receivedOn, this.#rng.int(0, 1)), () =>
        this.#rights.submit(
          {
            type: 'deletion',
            jurisdiction: 'us-ca',
            email,
            name,
            agent: { name: AGENT.name, permission: `${AGENT.permission}, dated ${receivedOn}` },
          },
          { channel: 'email', receivedOn, staffId: DEMO_STAFF_ID },
        ),
      );
      ({ requestId } = await this.#confirm(received.statusToken, email));
    } else if (kind === 'correction') {
      const [first] = name.split(' ');
      const received = await this.#at(this.#moment(receivedOn, 0), () =>
        this.#rights.submit(
          {
            type: 'correction',
            jurisdiction: 'eea',
            email,
            name,
            correction: {
              category: 'identity.name',
              value: `${first} ${this.#rng.pick(['Lindqvist', 'Moreau', 'Achebe', 'Ferreira'])}`,
              evidence: 'A copy of the marriage certificate',
            },
          },
          { channel: 'web' },
        ),
      );
      ({ requestId } = await this.#confirm(received.statusToken, email));
    } else {
      ({ requestId } = await this.#at(this.#moment(receivedOn, 1), () =>
        this.#rights.submit(
          {
            type: 'deletion',
            jurisdiction: 'us-ca',
            name,
            details:
              'By letter: please delete everything you hold about me (address and phone in the letter).',
          },
          { channel: 'postal', receivedOn, staffId: DEMO_STAFF_ID },
        ),
      ));
      await this.#at(this.#moment(receivedOn, this.#rng.int(2, 4)), () =>
        this.#rights.acknowledge(requestId, DEMO_STAFF_ID),
      );
    }
    const status = (await this.#rights.get(requestId)).status;
    if (status !== OPEN_STATUS[kind])
      throw new Error(`The demo's ${kind} request ${requestId} is ${status}, not ${OPEN_STATUS[kind]}`);
  }

  /** The person reads the code mailed to them and types it on the status page a few minutes later. */
  async #confirm(statusToken: string, email: string): Promise<{ requestId: string; status: RequestStatus }> {
    const mail = this.#mailboxes.get(email)?.findLast((m) => /code/i.test(m.subject));
    const code = mail && /:\s*(\d{6})\b/.exec(mail.text)?.[1];
    if (!code) throw new Error("The demo's request got no confirmation code by mail");
    const at = new Date(this.#clock.now().getTime() + this.#rng.int(2, 12) * MINUTE);
    return this.#at(at, () => this.#rights.verifyCode(statusToken, code));
  }

  /**
   * Runs one step as of `at`, then, a minute or two later, the jobs it queued: the mail goes out,
   * a verified request is fulfilled.
   */
  async #at<T>(at: Date, step: () => Promise<T>): Promise<T> {
    this.#clock.set(at);
    const result = await step();
    this.#clock.advance(this.#rng.int(30, 150) * 1000);
    await this.#jobs.drain();
    return result;
  }

  /** A moment in the shop's working hours (14:00-22:00 UTC), `days` after `day`, never later than an hour ago. */
  #moment(day: string, days: number): Date {
    const t = Date.parse(`${addDays(day, days)}T14:00:00.000Z`) + this.#rng.int(0, 8 * 60 - 1) * MINUTE;
    return new Date(Math.min(t, this.#now.getTime() - 60 * MINUTE));
  }
}
