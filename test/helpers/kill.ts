// Crash tests: run a worker script until it prints REACHED (it is mid-way through the work under
// test), then kill it with SIGKILL, as a power cut would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

/**
 * `beforeKill` runs once the worker said REACHED, while it is still alive (to watch it hold its
 * work); the answer is the moment of the kill (Date.now()).
 */
export async function killWhenReached(
  worker: string,
  env: Record<string, string>,
  beforeKill?: () => Promise<void>,
): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
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
