// Crash tests: run a worker script until it prints REACHED (it is mid-way through the work under
// test), then kill it with SIGKILL, as a power cut would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * How to start a worker given as a `.ts` file: in the compiled tree of scripts/test.js its `.js`
 * is beside it and runs as plain JavaScript (no tsx loader: about 2 s of CPU less per worker);
 * from the sources (VOW_TEST_TSX=1), through tsx.
 */
export function workerArgs(worker: string): string[] {
  const compiled = worker.replace(/\.ts$/, '.js');
  return import.meta.url.endsWith('.js') && compiled !== worker && existsSync(compiled)
    ? ['--enable-source-maps', compiled]
    : ['--import', 'tsx', worker];
}

/**
 * `beforeKill` runs once the worker said REACHED, while it is still alive (to watch it hold its
 * work); the answer is the moment of the kill (Date.now()).
 */
export async function killWhenReached(
  worker: string,
  env: Record<string, string>,
  beforeKill?: () => Promise<void>,
): Promise<number> {
  const child = spawn(process.execPath, workerArgs(worker), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('REACHED')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', (_c, signal) => resolve(signal)));
  try {
    await beforeKill?.();
  } finally {
    child.kill('SIGKILL');
  }
  const killedAt = Date.now();
  assert.equal(await exited, 'SIGKILL');
  return killedAt;
}
