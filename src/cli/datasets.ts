// `vow datasets …`: check annotation files, seed the example shop, list configured datasets.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { counted } from '../platform/counts.js';
import { whyUnreadable } from './files.js';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function registerDatasetCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const datasets = program
    .command('datasets')
    .description('Check dataset annotations and seed the example shop');

  datasets
    .command('check')
    .argument('<files...>', 'annotation YAML file(s), or a VOW_DATASETS file (with --config)')
    .option('-p, --policy <file>', 'policy file instead of VOW_POLICY or the default')
    .option('-c, --config', 'the files are VOW_DATASETS files listing datasets')
    .option('-u, --url <url>', 'also check that every annotated table and column exists in this database')
    .description(
      'Validate annotations against the policy; prints each problem as file:line:col path: message, exits 1 if any',
    )
    .action(async (files: string[], opts: { policy?: string; config?: boolean; url?: string }) => {
      // The datasets module's light entry; its connectors and walker (kysely, the drivers) only with --url.
      const [
        { loadConfig },
        { formatPath, formatProblem, loadPolicy },
        { loadDatasetsFile, parseAnnotation, redactUrl },
      ] = await Promise.all([
        import('../platform/config.js'),
        import('../modules/policy/index.js'),
        import('../modules/datasets/light.js'),
      ]);
      const policy = loadPolicy(opts.policy ?? loadConfig().policyPath);
      let bad = 0;
      for (const file of files) {
        const name = path.relative(process.cwd(), path.resolve(file)) || file;
        if (opts.config) {
          const list = loadDatasetsFile(path.resolve(file), policy);
          io.out(
            `${name}: valid. ${list.map((d) => `${d.name} (${redactUrl(d.url)})`).join(', ') || 'no datasets'}`,
          );
          continue;
        }
        let source: string;
        try {
          source = readFileSync(file, 'utf8');
        } catch (err) {
          io.err(`VOW_DATASET_NOT_FOUND: Cannot read the annotation file ${file}: ${whyUnreadable(err)}`);
          bad++;
          continue;
        }
        const result = parseAnnotation(source, policy, name);
        if (!result.ok) {
          for (const p of result.problems) io.err(formatProblem(name, p));
          io.err(
            `VOW_DATASET_INVALID: ${counted(result.problems.length, 'problem')} in ${name}: correct each line above`,
          );
          bad++;
          continue;
        }
        const a = result.annotation;
        if (opts.url) {
          const { connectDataset, verifyAgainstDatabase } = await import('../modules/datasets/index.js');
          const conn = connectDataset(opts.url);
          let dbProblems: { path: PropertyKey[]; message: string }[];
          try {
            dbProblems = await verifyAgainstDatabase(conn.db, a);
          } finally {
            await conn.close();
          }
          if (dbProblems.length > 0) {
            for (const p of dbProblems)
              io.err(
                formatProblem(name, {
                  path: formatPath(p.path),
                  ...result.locate(p.path),
                  message: p.message,
                }),
              );
            io.err(
              `VOW_DATASET_INVALID: ${counted(dbProblems.length, 'problem')} in ${name} against ${redactUrl(opts.url)}: correct each line above`,
            );
            bad++;
            continue;
          }
        }
        const columns = a.tables.reduce((n, t) => n + t.columns.length, 0);
        const retained = a.tables.reduce(
          (n, t) => n + t.columns.filter((c) => c.onDelete === 'retain').length,
          0,
        );
        io.out(
          `${name}: valid. Dataset "${a.name}": ${a.tables.length} tables, ${columns} personal columns (${retained} retained under an exemption).${opts.url ? ` Every table and column exists in ${redactUrl(opts.url)}.` : ''}`,
        );
      }
      if (bad > 0) setExit(1);
    });

  datasets
    .command('seed-example')
    .requiredOption(
      '-u, --url <url>',
      'sqlite:PATH, postgres://… or mysql://… (the database must exist; a SQLite file is created)',
    )
    .option('--reset', 'drop the example tables first')
    .description(
      'Create and fill the example shop database (customers, addresses, orders, reviews, wishlists)',
    )
    .action(async (opts: { url: string; reset?: boolean }) => {
      const { seedExampleShop } = await import('../modules/datasets/index.js');
      const where = await seedExampleShop(opts.url, { reset: opts.reset === true });
      io.out(`The example shop is ready at ${where}. Its annotation: datasets/example-shop.yaml`);
    });
}
