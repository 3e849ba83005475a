// Telling people a promise broke. After every run: a log line at error level for each broken
// promise (ids, rules and counts only); when a promise becomes broken, a mail to the privacy
// officers (VOW_PRIVACY_OFFICERS, else the policy's controller email) that links the console and
// names the promise, the rules and the tables, never a value; and an event for whoever listens (the
// seam webhooks will use). A promise kept again is logged at info level and sent as an event.

import type { Logger } from 'pino';
import type { MailMessage } from '../../platform/mail/index.js';
import { counted } from '../../platform/strings.js';
import type { RunSummary } from './types.js';
import { UNPROMISED_PREFIX } from './unpromised.js';

/** What a listener (webhooks, one day) is told. */
export interface PromiseEvent {
  readonly type: 'promise.broken' | 'promise.kept';
  readonly promise: string;
  readonly title: string;
  readonly count: number;
  readonly rules: Readonly<Record<string, number>>;
  readonly at: string;
}

export interface AlertDeps {
  readonly logger: Logger;
  /** Queues a mail (the outbox); absent, no mail is sent. */
  readonly mail?: ((message: MailMessage) => Promise<unknown>) | undefined;
  /** Who receives the mails. */
  readonly officers: () => readonly string[];
  /** Where the console is, for the mail's link. */
  readonly consoleUrl: string;
  /** Listeners of promise events. */
  readonly listeners?: readonly ((event: PromiseEvent) => Promise<void>)[] | undefined;
}

export class PromiseAlerts {
  readonly #deps: AlertDeps;

  constructor(deps: AlertDeps) {
    this.#deps = deps;
  }

  async notify(summary: RunSummary): Promise<void> {
    const { logger } = this.#deps;
    const broken = summary.results.filter((r) => r.status === 'broken');
    for (const r of broken)
      logger.error(
        {
          promise: r.promise,
          count: r.evidence.count,
          rules: r.evidence.byRule,
          tables: [...new Set(r.evidence.violations.map((v) => v.table))],
          run: summary.runId,
          mode: summary.mode,
        },
        'promise broken',
      );
    for (const p of summary.recovered) logger.info({ promise: p, run: summary.runId }, 'promise kept again');
    const fresh = broken.filter((r) => summary.newlyBroken.includes(r.promise));
    const events: PromiseEvent[] = [
      ...fresh.map((r) => ({
        type: 'promise.broken' as const,
        promise: r.promise,
        title: r.title,
        count: r.evidence.count,
        rules: r.evidence.byRule,
        at: summary.startedAt,
      })),
      ...summary.results
        .filter((r) => summary.recovered.includes(r.promise))
        .map((r) => ({
          type: 'promise.kept' as const,
          promise: r.promise,
          title: r.title,
          count: 0,
          rules: {},
          at: summary.startedAt,
        })),
    ];
    for (const listener of this.#deps.listeners ?? [])
      for (const e of events)
        await listener(e).catch((err: unknown) =>
          logger.warn(
            { err: { type: (err as Error).name }, promise: e.promise },
            'promise event listener failed',
          ),
        );
    if (fresh.length === 0 || !this.#deps.mail) return;
    const lines = fresh.map((r) => {
      const rules = Object.entries(r.evidence.byRule)
        .map(([rule, n]) => `${rule} ×${n}`)
        .join(', ');
      const tables = [...new Set(r.evidence.violations.map((v) => v.table))].join(', ');
      return `${r.promise} ${r.title}\n  ${counted(r.evidence.count, 'record')} ${r.evidence.count === 1 ? 'breaks' : 'break'} it: ${rules}\n  in ${tables}`;
    });
    const checks = fresh.filter((r) => r.promise.startsWith(UNPROMISED_PREFIX)).length;
    const promises = fresh.length - checks;
    const found = [
      promises > 0
        ? `${promises === 1 ? 'a promise' : `${promises} promises`} of the privacy policy broken`
        : '',
      // A break filed under a promise number the policy does not declare (src/modules/promises/unpromised.ts).
      checks > 0
        ? `${checks === 1 ? 'a check' : `${checks} checks`} it runs that the policy names no promise for failing`
        : '',
    ]
      .filter(Boolean)
      .join(', and ');
    const text = [
      `The promise monitor found ${found} (${summary.mode} check of ${summary.startedAt}):`,
      lines.join('\n\n'),
      `Which records, and why, are on the console: ${this.#deps.consoleUrl}`,
    ].join('\n\n');
    for (const to of this.#deps.officers())
      await this.#deps.mail({
        to,
        subject: `Vow: ${fresh.map((r) => r.promise).join(', ')} broken`,
        text,
        kind: 'promises.broken',
      });
  }
}
