// The `vow` command in a test: a throw-away SQLite data folder and a fixed master key in the
// environment for the describe block it is called in (restored after), and `run(...args)` calling
// the CLI in-process with its output captured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface CliEnvironment {
  /** The data folder (VOW_DATA_DIR). */
  readonly dir: string;
  /** The variables set while the block runs. */
  readonly env: Readonly<Record<string, string>>;
  run(...args: string[]): Promise<CliRun>;
}

/** Call inside a describe(): sets the environment before its tests and restores it after. */
export function cliEnvironment(prefix: string, extra: Record<string, string> = {}): CliEnvironment {
  const dir = mkdtempSync(path.join(tmpdir(), `vow-${prefix}-`));
  const env = {
    VOW_DATA_DIR: dir,
    VOW_LOG_LEVEL: 'silent',
    VOW_ENV: 'test',
    VOW_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...extra,
  };
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    env,
    async run(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['node', 'vow', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}
