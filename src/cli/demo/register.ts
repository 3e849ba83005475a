// `vow demo` on the command line: its options here, its work in command.ts, imported when the
// command runs (that file brings the whole app; main.ts loads only the command line at start).
import type { Command } from 'commander';
import type { DemoCliIo } from './command.js';

export function registerDemoCommand(program: Command, io: DemoCliIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description(
      'Without --people: start Vow with a generated jewelry shop in a throw-away data dir. ' +
        'With --people N: fill the configured store (VOW_DATA_DIR / VOW_DATABASE_URL) with N generated people and exit',
    )
    .option('-n, --people <n>', 'how many people to generate into the configured store')
    .option('-s, --seed <n>', 'seed of the generator: the same seed gives the same data', '1')
    .option('-b, --batch <n>', 'people written per transaction', '500')
    .action(async (opts: { people?: string; seed: string; batch: string }) => {
      const { runDemo } = await import('./command.js');
      await runDemo(opts, io, setExit);
    });
}
