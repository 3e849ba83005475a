// The real `vow` command in a test: `node bin/vow.js ARGS` as a child process (from the tests'
// compiled tree, that tree's own compiled main: vow-entry.ts), as an operator or a script runs it,
// with only the VOW_* variables given (none inherited), its exit code and both outputs captured. A
// store per dialect for it: a throw-away SQLite folder, or a PostgreSQL database made for the test
// and dropped after.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DialectName } from '../../src/platform/store/migration-kit.js';
import { createTestStore, PG_URL } from './env.js';

const BIN = fileURLToPath(new URL('../../bin/vow.js', import.meta.url));
/**
 * Run from scripts/test.js's compiled tree, the command starts from that tree's compiled main
 * (vow-entry.js); from the sources (VOW_TEST_TSX=1), through bin/vow.js.
 */
const ENTRY = fileURLToPath(new URL('./vow-entry.js', import.meta.url));
const COMMAND = import.meta.url.endsWith('.js') && existsSync(ENTRY) ? ENTRY : BIN;
export const COMMAND_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export interface VowCommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface VowCommandOptions {
  /** Close the read end of stdout before the command writes (as `vow … | head -1` does once it has its line). */
  readonly stdoutClosed?: boolean;
  /** Close the read end of stderr too (as `vow … 2>&1 | head -1`). */
  readonly stderrClosed?: boolean;
  readonly cwd?: string;
  /** Killed (and its code null) if still running after this long: a hang fails the test, not the run. */
  readonly timeoutMs?: number;
  /** Options of node itself, before the command's file (e.g. `--import` a loader hook). */
  readonly nodeArgs?: readonly string[];
}

/** Runs `node bin/vow.js ...args` with stdin closed (</dev/null); resolves when it exits. */
export function runVow(
  args: readonly string[],
  env: Record<string, string>,
  options: VowCommandOptions = {},
): Promise<VowCommandRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOW_')));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), COMMAND, ...args], {
    env: { ...clean, VOW_LOG_LEVEL: 'silent', VOW_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  let stdout = '';
  let stderr = '';
  if (options.stdoutClosed) child.stdout.destroy();
  else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  if (options.stderrClosed) child.stderr.destroy();
  else child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A Node stack trace's frames in an output ("    at fn (file:line:col)"). */
export const STACK_FRAME = /^\s+at .+[:(]/m;

/** A refusal as the CLI must give it: exit 1, one line on stderr matching `message`, no stack trace. */
export function assertOneLine(r: { code: number | null; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, STACK_FRAME);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, message);
}

export interface CommandStore {
  readonly dialect: DialectName;
  /** VOW_DATA_DIR (and VOW_DATABASE_URL on PostgreSQL) and the master key, for runVow. */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  /** The tables the store holds now (none before the command's first run migrates it). */
  tables(): Promise<string[]>;
  /** Runs one SQL statement (no parameters) on the store; returns its rows. */
  query(statement: string): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** A fresh, empty store for the command (it migrates it itself on first use). */
export async function commandStore(dialect: DialectName): Promise<CommandStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vow-cmd-'));
  let url: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (dialect === 'postgres') {
    const t = await createTestStore('postgres');
    await t.store.close();
    url = t.url!;
    const name = new URL(url).pathname.slice(1);
    dropDb = async () => {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    };
  }
  return {
    dialect,
    dataDir,
    env: {
      VOW_DATA_DIR: dataDir,
      VOW_MASTER_KEY: COMMAND_MASTER_KEY,
      ...(url ? { VOW_DATABASE_URL: url } : {}),
    },
    tables: async () => {
      if (url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const r = await client.query<{ name: string }>(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
          );
          return r.rows.map((row) => row.name).sort();
        } finally {
          await client.end();
        }
      }
      const file = path.join(dataDir, 'vow.sqlite');
      if (!existsSync(file)) return [];
      const db = new SQLite(file, { readonly: true });
      try {
        return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
          .map((row) => row.name)
          .sort();
      } finally {
        db.close();
      }
    },
    query: async (statement) => {
      if (url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(statement)).rows;
        } finally {
          await client.end();
        }
      }
      const db = new SQLite(path.join(dataDir, 'vow.sqlite'));
      try {
        const prepared = db.prepare(statement);
        if (prepared.reader) return prepared.all() as Record<string, unknown>[];
        prepared.run();
        return [];
      } finally {
        db.close();
      }
    },
    drop: async () => {
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
