// The `vow` command line: serve, migrate, and the policy tools. Each command is a thin shell over a service.

import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { counted } from '../platform/counts.js';
import { isVowError } from '../platform/errors.js';
import { registerDatasetCommands } from './datasets.js';
import { registerDemoCommand } from './demo/register.js';
import { registerConsentCommands } from './email.js';
import { registerImportCommand } from './import.js';
import { registerRecordsOfProcessingCommand } from './records-of-processing.js';
import { registerRetentionCommands } from './retention.js';
import { announceSecurity, registerSecurityCommands, type SecurityChoices } from './security.js';
import { registerWebhookCommands } from './webhooks.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

let pipesGuarded = false;

/**
 * Output to a pipe whose reader has gone (`vow … | head -1`) is dropped: the command finishes its
 * work and exits with its own code, where the EPIPE crashed it with a stack trace, an import in the
 * middle of its batches.
 */
function dropOutputToClosedPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
}

/**
 * What the help of a few commands lists and only a heavy module knows (the staff roles and API key
 * scopes, the import formats): loaded by main() when the command line names that command, so every
 * other start (a mistyped option, `vow policy check`, `vow --help`) loads only the command line.
 */
export interface HelpChoices {
  readonly security?: SecurityChoices;
  readonly importFormats?: readonly string[];
}

/**
 * Loads the HelpChoices a help the command line may print needs (`vow staff add --help`, `vow help
 * import`, …). Only a help shows them (a mistake's one line does not), so `vow import FILE` itself
 * does not load the imports module twice (its worker thread loads it too).
 */
export async function helpChoices(argv: readonly string[]): Promise<HelpChoices> {
  const words = argv.slice(2);
  const help = words[0] === 'help' || words.includes('--help') || words.includes('-h');
  const [security, imports] = await Promise.all([
    help && words.includes('staff') ? import('../modules/identity/index.js') : undefined,
    help && words.includes('import') ? import('../modules/imports/index.js') : undefined,
  ]);
  return { security, importFormats: imports?.IMPORT_FORMAT_IDS };
}

export function buildProgram(
  io: CliIo,
  setExit: (code: number) => void,
  preloaded: HelpChoices = {},
): Command {
  const program = new Command('vow')
    .description("Vow runs a retailer's privacy policy as software.")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .addHelpText(
      'after',
      '\nConfiguration comes from the environment: VOW_PORT, VOW_HOST, VOW_DATA_DIR, VOW_DATABASE_URL, VOW_POLICY and more (every variable: docs/operations.md).',
    );

  program
    .command('serve')
    .description(
      'Start the HTTP server (API, notice, pages) on VOW_HOST:VOW_PORT, migrating the database first',
    )
    .action(async () => {
      const [
        { loadConfig },
        { checkListenAddress, listenError },
        { createContext },
        { createServices },
        { buildApp },
      ] = await Promise.all([
        import('../platform/config.js'),
        import('./listen.js'),
        import('../app/context.js'),
        import('../app/services.js'),
        import('../http/app.js'),
      ]);
      const [{ startFeedbackListener }] = await Promise.all([import('../platform/mail/index.js')]);
      const config = loadConfig();
      // The address is tried first: a port in use or a host that is not this machine's stops the
      // start before the store is opened, the jobs started or the first admin created.
      await checkListenAddress(config.host, config.port);
      const ctx = await createContext(config);
      const services = createServices(ctx);
      // The dataset annotations (Vow's own and VOW_DATASETS'), read and checked now: a broken one
      // stops the start naming its file and line, instead of failing the first access request (and
      // that request no longer pays for reading them).
      services.datasets.list();
      // Uploads to POST /v1/imports spooled by a process killed meanwhile (each a whole customer file).
      await services.imports.removeLeftoverUploads();
      const app = await buildApp(ctx, {}, services);
      // Durable jobs (request fulfilment, mail delivery) run in this process until it stops.
      services.jobs.start();
      await services.rights.scheduleMaintenance();
      await services.mail.scheduleUpkeep();
      await services.siteAnalytics.schedulePurge();
      // What the policy's retention lets go is erased daily (src/modules/retention).
      await services.retention.schedule();
      // Closed complaints leave 24 months after closing (src/modules/complaints/prune.ts).
      await services.complaints.schedulePrune();
      // Dead-lettered recipient events past their request's deadline are dropped daily.
      await services.downstream.scheduleExpiry();
      // Console forms and addresses kept past their 15 minutes are deleted every quarter of an hour.
      await services.scheduleStaffKeepsUpkeep();
      // US state breach deadlines: the privacy officers are reminded hourly of those near or past.
      await services.stateReminders.schedule();
      // The promise checks run hourly (kept as history; their status feeds /metrics and the console).
      await services.promises.scheduleChecks();
      // Each finished ISO week's reports are released by a job when the week closes.
      await services.reports.scheduleReleases();
      // Subscribed systems hear of a policy version once (the first start with it).
      await services.downstream.announcements.announcePolicyVersion();
      await announceSecurity(services, io);
      // Bounces and complaints over SMTP (VOW_FEEDBACK_SMTP_PORT), handled as they arrive.
      const feedback =
        config.feedbackSmtpPort === undefined
          ? undefined
          : await startFeedbackListener({
              host: config.host,
              port: config.feedbackSmtpPort,
              onMessage: (raw) => services.mailFeedback.handle(raw),
              onError: () => app.log.warn('a mail feedback report could not be handled'),
            });
      const shutdown = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        await services.jobs.stop();
        await feedback?.close();
        await app.close();
        await ctx.store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      let address: string;
      try {
        address = await app.listen({ port: config.port, host: config.host });
      } catch (err) {
        // Taken between the check and now: stop what started, so the process exits.
        await services.jobs.stop();
        await feedback?.close();
        await app.close();
        await ctx.store.close();
        throw listenError(config.host, config.port, err);
      }
      io.out(
        `Vow is listening on ${address} (database: ${ctx.store.dialect} ${ctx.store.location}; policy ${ctx.policy.version})`,
      );
      io.out(`Privacy notice: ${address}/privacy   API description: ${address}/openapi.json`);
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const [{ loadConfig }, { openStore }, { migrate }] = await Promise.all([
        import('../platform/config.js'),
        import('../platform/store/index.js'),
        import('../app/migrations.js'),
      ]);
      const config = loadConfig();
      const store = await openStore({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        namedStatements: config.databasePrepare,
      });
      try {
        const applied = await migrate(store);
        io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await store.close();
      }
    });

  program
    .command('promises')
    .description('The promise monitor')
    .command('check')
    .description(
      'Check every promise against the live data (a full sweep); prints a table with each violation, exits 1 if any is broken',
    )
    .option('--json', 'print the results as JSON')
    .option('--incremental', 'check only what changed since the last check (as the hourly job does)')
    .action(async (opts: { json?: boolean; incremental?: boolean }) => {
      const [{ loadConfig }, { createContext }, { createServices }, { formatResults }] = await Promise.all([
        import('../platform/config.js'),
        import('../app/context.js'),
        import('../app/services.js'),
        import('../modules/promises/index.js'),
      ]);
      const ctx = await createContext(loadConfig());
      try {
        // In this process (nothing else is served here); the hourly job and the console alert, this prints.
        const summary = await createServices(ctx).promises.monitor.run(
          opts.incremental ? 'incremental' : 'full',
        );
        const results = summary.results;
        io.out(
          opts.json
            ? JSON.stringify({ mode: summary.mode, checkedAt: summary.startedAt, results }, null, 2)
            : `${formatResults(results)}\n(${summary.mode} check of ${summary.scopes} people and visitors in ${(summary.durationMs / 1000).toFixed(1)} s)`,
        );
        if (results.some((r) => r.status === 'broken')) setExit(1);
      } finally {
        await ctx.store.close();
      }
    });

  const policy = program.command('policy').description('Check and render policy files');
  policy
    .command('check')
    .argument('<file>', 'policy YAML file to validate')
    .description('Validate a policy file; prints each problem with its path and line, exits 1 if any')
    .action(async (file: string) => {
      // The promise monitor's light entry: its warnings without the checks' code or the store.
      const [{ readCliFile }, { formatProblem, parsePolicy }, { unpromisedWarnings }] = await Promise.all([
        import('./files.js'),
        import('../modules/policy/index.js'),
        import('../modules/promises/light.js'),
      ]);
      const source = readCliFile(file, `the policy file ${file}`, 'VOW_POLICY_NOT_FOUND');
      const result = parsePolicy(source);
      const name = path.relative(process.cwd(), path.resolve(file)) || file;
      if (!result.ok) {
        for (const p of result.problems) io.err(formatProblem(name, p));
        io.err(
          `VOW_POLICY_INVALID: ${counted(result.problems.length, 'problem')} in ${name}: correct each line above`,
        );
        setExit(1);
        return;
      }
      const d = result.policy.doc;
      io.out(
        `${name}: valid. Version ${result.policy.version}, effective ${d.effective_date}: ` +
          `${Object.keys(d.promises).length} promises, ${d.rules.length} rules, ${Object.keys(d.categories).length} categories, ` +
          `${Object.keys(d.purposes).length} purposes, ${Object.keys(d.collection_points).length} collection points, ` +
          `${Object.keys(d.recipients).length} recipients.`,
      );
      // Valid, but some break would have no promise of this policy to be filed under: a warning.
      for (const w of unpromisedWarnings(result.policy)) io.err(`${name}: warning: ${w}`);
    });
  policy
    .command('notice')
    .description('Print the privacy notice rendered from the policy in force (or --policy FILE)')
    .addOption(
      new Option('-f, --format <format>', 'md, html or json').choices(['md', 'html', 'json']).default('md'),
    )
    .option('-p, --policy <file>', 'policy file instead of VOW_POLICY or the default')
    .action(async (opts: { format: string; policy?: string }) => {
      const [{ loadConfig }, { loadPolicy, renderNoticeMarkdown }] = await Promise.all([
        import('../platform/config.js'),
        import('../modules/policy/index.js'),
      ]);
      const p = loadPolicy(opts.policy ?? loadConfig().policyPath);
      if (opts.format === 'md') io.out(renderNoticeMarkdown(p));
      else if (opts.format === 'html') {
        const { renderPrivacyPage } = await import('../http/pages/privacy.js');
        io.out(renderPrivacyPage(p));
      } else io.out(JSON.stringify({ version: p.version, policy: p.doc }, null, 2));
    });

  registerDatasetCommands(program, io, setExit);
  registerConsentCommands(program, io);
  registerSecurityCommands(program, io, setExit, preloaded.security);
  registerRetentionCommands(program, io);
  registerRecordsOfProcessingCommand(program, io);
  registerDemoCommand(program, io, setExit);
  registerImportCommand(program, io, setExit, preloaded.importFormats);
  registerWebhookCommands(program, io);

  reportUsageErrors(program, io);
  return program;
}

/** `vow staff add` for the command `add` under `staff`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Every mistake on the command line (an unknown command or option, a missing or extra argument, an
 * option without its value or given twice) is one line naming VOW_USAGE and the help to read,
 * instead of commander's message followed by the whole help. An option that takes a value may be
 * given once: a second one silently replaced the first (`--roles admin --roles auditor` made an
 * auditor only). An option collecting a list (`--scope a --scope b`) is the exception.
 */
function reportUsageErrors(cmd: Command, io: CliIo): void {
  const where = commandPath(cmd);
  cmd.configureOutput({
    writeOut: io.out,
    writeErr: io.err,
    outputError: (message) => {
      const what = message
        .trim()
        .replace(/^error: /, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\.$/, '');
      io.err(`VOW_USAGE: ${where}: ${what}. See \`${where} --help\`.`);
    },
  });
  const seen = new Set<string>();
  for (const option of cmd.options) {
    if (!option.required && !option.optional) continue;
    // A repeatable option collects its values into a list (its default, e.g. `--scope`).
    if (Array.isArray(option.defaultValue)) continue;
    cmd.on(`option:${option.name()}`, () => {
      if (seen.has(option.name()))
        cmd.error(`option '${option.flags}' is given more than once: give it once`, {
          code: 'vow.repeatedOption',
        });
      seen.add(option.name());
    });
  }
  for (const sub of cmd.commands) reportUsageErrors(sub, io);
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  if (io === stdio) dropOutputToClosedPipes();
  let code = 0;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    await helpChoices(argv),
  );
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // A command with subcommands run without one: its help (on stderr) lists them.
      if (err.code === 'commander.help' && err.exitCode !== 0)
        io.err('VOW_USAGE: a command is missing: give one of those listed above.');
      return err.exitCode;
    }
    if (isVowError(err)) {
      io.err(`${err.code}: ${err.message}`);
      return 1;
    }
    // Anything else is a failure Vow did not foresee: one line with what the system said, never a
    // stack trace.
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as NodeJS.ErrnoException).code;
    io.err(
      `VOW_INTERNAL: ${e.name}${code ? ` ${code}` : ''}: ${e.message.split('\n')[0]} (an unexpected failure: please report it with this line)`,
    );
    return 1;
  }
  return code;
}
