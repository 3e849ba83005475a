// `vow email render`: a campaign email for one person as a full RFC 5322 message on stdout
// (List-Unsubscribe one-click headers, footer link, postal address), refused for people decide() denies.
import { type Command, Option } from 'commander';
import { VowError } from '../platform/errors.js';
import { readCliFile } from './files.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function registerConsentCommands(program: Command, io: Io): void {
  const email = program.command('email').description('Marketing email tools');
  email
    .command('render')
    .description(
      'Render a campaign email for one person (RFC 5322 on stdout) with one-click unsubscribe; exit 1 if decide() denies it',
    )
    .requiredOption('--subject-id <id>', "Vow's id of the person")
    .requiredOption('--subject <text>', 'the subject line')
    .addOption(new Option('--text <text>', 'the text body').conflicts('textFile'))
    .option('--text-file <file>', 'read the text body from a file (instead of --text)')
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
        // Both files are read before the store is opened: a wrong path changes nothing.
        const text = opts.textFile ? readCliFile(opts.textFile, `--text-file ${opts.textFile}`) : opts.text;
        const html = opts.htmlFile ? readCliFile(opts.htmlFile, `--html-file ${opts.htmlFile}`) : undefined;
        if (text === undefined)
          throw new VowError(
            'VOW_USAGE',
            'Give the body with --text or --text-file. See `vow email render --help`.',
          );
        if (!text.trim())
          throw new VowError(
            'VOW_USAGE',
            `The body is empty (${opts.textFile ? `--text-file ${opts.textFile}` : '--text'}): give the text of the email`,
          );
        const [{ loadConfig }, { createContext }, { createServices }, { renderCampaignEmail }] =
          await Promise.all([
            import('../platform/config.js'),
            import('../app/context.js'),
            import('../app/services.js'),
            import('../modules/consent/index.js'),
          ]);
        const ctx = await createContext(loadConfig());
        try {
          const services = createServices(ctx);
          const rendered = await renderCampaignEmail(ctx, services.decisions, {
            subjectId: opts.subjectId,
            channel: opts.channel,
            subject: opts.subject,
            text,
            html,
            actor: { type: 'system', id: 'cli' },
          });
          io.out(rendered.raw);
        } finally {
          await ctx.store.close();
        }
      },
    );
}
