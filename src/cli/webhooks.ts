// `vow webhooks …`: the admin's shell over the webhook endpoints and the outbox's dead letters
// (the same service as POST /v1/webhooks and the console's Webhooks page).
import type { Command } from 'commander';
import type { Webhooks } from '../modules/downstream/index.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

async function withWebhooks<T>(fn: (w: Webhooks) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { createContext }, { Webhooks }, { JobRunner }] = await Promise.all([
    import('../platform/config.js'),
    import('../app/context.js'),
    import('../modules/downstream/index.js'),
    import('../platform/jobs/index.js'),
  ]);
  const ctx = await createContext(loadConfig());
  try {
    return await fn(new Webhooks(ctx, new JobRunner(ctx)));
  } finally {
    await ctx.store.close();
  }
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function registerWebhookCommands(program: Command, io: Io): void {
  const webhooks = program.command('webhooks').description("Signed webhooks to the retailer's systems");
  webhooks
    .command('add')
    .argument('<url>', 'https URL of the receiving system')
    .requiredOption(
      '-e, --events <list>',
      'event types, comma-separated (e.g. deletion.requested,consent.withdrawn)',
    )
    .option(
      '-r, --recipient <id>',
      "the policy recipient it belongs to (payloads carry only that recipient's categories)",
    )
    .description('Add an endpoint; prints its signing secret once')
    .action(async (url: string, opts: { events: string; recipient?: string }) =>
      withWebhooks(async (w) => {
        const out = await w.create({ url, events: list(opts.events), recipient: opts.recipient }, null);
        io.out(`Endpoint ${out.id}; signing secret (shown once): ${out.secret}`);
      }),
    );
  webhooks
    .command('list')
    .description('List the endpoints')
    .action(async () =>
      withWebhooks(async (w) => {
        for (const e of await w.list())
          io.out(
            `${e.id}\t${e.url}\t${e.recipient ?? '-'}\t${e.events.join(',')}\t${e.disabled ? 'disabled' : e.rotating ? 'rotating' : 'active'}`,
          );
      }),
    );
  webhooks
    .command('rotate')
    .argument('<id>')
    .description('New signing secret (printed once); the old one keeps signing for 24 hours')
    .action(async (id: string) =>
      withWebhooks(async (w) => {
        const out = await w.rotate(id, null);
        io.out(
          `New signing secret (shown once): ${out.secret}\nThe previous secret signs too until ${out.previousValidUntil}`,
        );
      }),
    );
  webhooks
    .command('disable')
    .argument('<id>')
    .description('Stop sending to an endpoint')
    .action(async (id: string) =>
      withWebhooks(async (w) => {
        await w.disable(id, null);
        io.out(`Disabled ${id}`);
      }),
    );
  webhooks
    .command('failed')
    .description('The dead-letter list: deliveries that failed every attempt')
    .action(async () =>
      withWebhooks(async (w) => {
        for (const d of await w.deliveries({ status: 'failed' }))
          io.out(`${d.id}\t${d.eventType}\t${d.url}\t${d.attempts} attempts\t${d.lastError ?? ''}`);
      }),
    );
  webhooks
    .command('retry')
    .argument('<delivery-id>')
    .description('Put a failed delivery back in the outbox (sent by the running `vow serve`)')
    .action(async (id: string) =>
      withWebhooks(async (w) => {
        await w.retry(id, null);
        io.out(`Queued ${id} again`);
      }),
    );
}
