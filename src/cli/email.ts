// `vow email render`: a campaign email for one person as a full RFC 5322 message on stdout
// (List-Unsubscribe one-click headers, footer link, postal address), refused for people decide() denies.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createContext } from '../app/context.js';
import { createServices } from '../app/services.js';
import { renderCampaignEmail } from '../modules/consent/index.js';
import { loadConfig } from '../platform/config.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function registerConsentCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const email = program.command('email').description('Marketing email tools');
  email
    .command('render')
    .description(
      'Render a campaign email for one person (RFC 5322 on stdout) with one-click unsubscribe; exit 1 if decide() denies it',
    )
    .requiredOption('--subject-id <id>', "Vow's id of the person")
    .requiredOption('--subject <text>', 'the subject line')
    .option('--text <text>', 'the text body')
    .option('--text-file <file>', 'read the text body from a file')
    .option('--html-file <file>', 'read the HTML body from a file (default: made from the text)')
    .option('--channel <channel>', 'the consent channel of the send', 'email_marketing')
    .action(
      async (opts: {
        subjectId: string;
        subject: string;
        text?: string;
        textFile?: string;
        htmlFile?: string;
        channel: string;
      }) => {
        const text = opts.text ?? (opts.textFile ? readFileSync(opts.textFile, 'utf8') : undefined);
        if (!text) {
          io.err('Give the body with --text or --text-file');
          setExit(1);
          return;
        }
        const ctx = await createContext(loadConfig());
        try {
          const services = createServices(ctx);
          const rendered = await renderCampaignEmail(ctx, services.decisions, {
            subjectId: opts.subjectId,
            channel: opts.channel,
            subject: opts.subject,
            text,
            html: opts.htmlFile ? readFileSync(opts.htmlFile, 'utf8') : undefined,
            actor: { type: 'system', id: 'cli' },
          });
          io.out(rendered.raw);
        } finally {
          await ctx.store.close();
        }
      },
    );
}
