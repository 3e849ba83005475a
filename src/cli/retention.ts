// `vow retention …`: what the policy's retention lets go, listed or erased now (the daily job does the same).
import type { Command } from 'commander';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function registerRetentionCommands(program: Command, io: Io): void {
  const retention = program.command('retention').description('The policy’s retention periods, enforced');
  retention
    .command('enforce')
    .description(
      'Erase what has outlived the policy’s retention (as the daily job does); prints counts, never a value',
    )
    .option('--dry-run', 'count what would be erased, change nothing')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      const [{ loadConfig }, { createContext }, { createServices }] = await Promise.all([
        import('../platform/config.js'),
        import('../app/context.js'),
        import('../app/services.js'),
      ]);
      const ctx = await createContext(loadConfig());
      try {
        const r = await createServices(ctx).retention.enforcer.enforce({ dryRun: opts.dryRun === true });
        io.out(
          opts.json
            ? JSON.stringify(r, null, 2)
            : [
                `${r.dryRun ? 'Would erase' : 'Erased'} (retention as of ${r.at}):`,
                `  people past a retention period: ${r.people} (${r.identifiers} identifier(s); ${r.personChanges} value(s) in every dataset)`,
                `  rows of Vow's tables deleted: ${r.rowsDeleted}; values masked or nulled: ${r.valuesCleared}`,
                `  site measurements past retention (purged by their own daily job): ${r.measurements}`,
              ].join('\n'),
        );
      } finally {
        await ctx.store.close();
      }
    });
}
