// What the rest of Vow tells the retailer's systems besides requests: consent granted and withdrawn,
// suppressions, the under-13 purge and a new policy version. A withdrawal or a suppression is an
// opt-out: its downstream tasks are opened by a job right after the change commits (the tasks seal
// drafted values, which cannot happen inside the consent transaction).
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { defineJob, type JobRunner } from '../../platform/jobs/index.js';
import type { Database, InsertSet } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import type { PersonValues } from './events.js';
import type { DownstreamTasks } from './tasks.js';
import type { Webhooks } from './webhooks.js';

export const OPT_OUT_JOB = 'downstream.opt_out';
export const POLICY_VERSION_JOB = 'downstream.policy_version';

/** A person's identifiers, decrypted (the subjects directory). */
export type IdentifiersOf = (subjectId: string) => Promise<PersonValues>;

const OPT_OUTS = new Set(['withdrawn', 'unsubscribed', 'suppressed']);
const GRANTS = new Set(['consented', 'enrolled', 're_enrolled']);

export class Announcements {
  readonly #ctx: VowContext;
  readonly #jobs: JobRunner;
  readonly #webhooks: Webhooks;
  #identifiers: IdentifiersOf = async () => ({});

  constructor(ctx: VowContext, jobs: JobRunner, webhooks: Webhooks, tasks: DownstreamTasks) {
    this.#ctx = ctx;
    this.#jobs = jobs;
    this.#webhooks = webhooks;
    jobs.register(
      defineJob({
        id: OPT_OUT_JOB,
        version: 1,
        schema: z.object({
          subjectId: z.string().min(1),
          channel: z.string().min(1),
          event: z.string().min(1),
        }),
        handler: async ({ subjectId, channel, event }) => {
          const purposes = ctx.policy.doc.channels[channel]?.purposes ?? [];
          if (purposes.length === 0) return { tasks: 0 };
          return tasks.open({
            requestId: null,
            kind: 'opt_out',
            subjectId,
            person: await this.#identifiers(subjectId),
            scope: purposes,
            data: { subjectId, channel, event },
          });
        },
      }),
    );
    jobs.register(
      defineJob({
        id: POLICY_VERSION_JOB,
        version: 1,
        schema: z.object({ version: z.string().min(1) }),
        handler: async ({ version }) =>
          (await webhooks.publishNow({ type: 'policy.version_changed', data: { version } })).size,
      }),
    );
  }

  /** Connects the subjects directory (opt-out tasks carry the person's minimised identifiers). */
  useIdentifiers(identifiers: IdentifiersOf): void {
    this.#identifiers = identifiers;
  }

  /** Whether `onConsent` publishes an event for this change (it then reads the endpoints). */
  static #publishes(change: { subjectRef: string; event: string }): boolean {
    return (
      !change.subjectRef.startsWith('visitor:') && (GRANTS.has(change.event) || change.event === 'suppressed')
    );
  }

  /**
   * Before a batch's consent events are written: when `onConsent` will publish for one of them, the
   * active endpoints are read with the statement that writes the events' states and audit entries
   * (after the audit head is locked, as the read of their own would be), not in one of their own.
   */
  readonly readAhead = (
    trx: Transaction<Database>,
    set: InsertSet,
    changes: readonly { subjectRef: string; event: string }[],
  ): void => {
    if (changes.some((c) => Announcements.#publishes(c))) this.#webhooks.readEndpointsWith(trx, set);
  };

  /** The consent module's listener: inside the transaction of each consent event. */
  readonly onConsent = (
    trx: Transaction<Database>,
    change: { subjectRef: string; channel: string; event: string },
  ): Promise<void> => this.onConsents(trx, [change]);

  /**
   * The consent module's listener of a batch's events (in their transaction, once written): each
   * event's webhooks, in order, then the opt-outs' jobs in one multi-row insert (a batch of imported
   * unsubscribes has one an event).
   */
  readonly onConsents = async (
    trx: Transaction<Database>,
    changes: readonly { subjectRef: string; channel: string; event: string }[],
  ): Promise<void> => {
    const optOuts: { name: string; payload: object }[] = [];
    for (const change of changes) {
      if (change.subjectRef.startsWith('visitor:')) continue;
      const data = { subjectId: change.subjectRef, channel: change.channel };
      if (GRANTS.has(change.event)) await this.#webhooks.publish(trx, { type: 'consent.granted', data });
      if (change.event === 'suppressed')
        await this.#webhooks.publish(trx, { type: 'suppression.added', subjectId: change.subjectRef, data });
      if (OPT_OUTS.has(change.event))
        optOuts.push({ name: OPT_OUT_JOB, payload: { ...data, event: change.event } });
    }
    if (optOuts.length > 0) await this.#jobs.enqueueMany(optOuts, trx);
  };

  /** The under-13 purge (inside its transaction): systems holding the person purge them too (P14). */
  readonly onPurge = async (trx: Transaction<Database>, subjectId: string): Promise<void> => {
    await this.#webhooks.publish(trx, { type: 'subject.under13_purged', data: { subjectId } });
  };

  /** Tells subscribed systems the policy in force, once per version (`vow serve` calls it at start). */
  async announcePolicyVersion(): Promise<void> {
    const version = this.#ctx.policy.version;
    await this.#jobs.enqueue({
      name: POLICY_VERSION_JOB,
      payload: { version },
      idempotencyKey: `${POLICY_VERSION_JOB}:${version}`,
    });
  }
}
