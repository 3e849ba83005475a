// A test environment on a SQLite file in a folder of its own (the usual one is in memory), and a
// probe of what the file and its write-ahead log hold byte for byte: for the tests of erased rows on
// disk (docs/operations.md, "Erased rows on disk").
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { migrate } from '../../src/app/migrations.js';
import { createServices } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import { openStore } from '../../src/platform/store/open-store.js';
import { type TestEnv, testConfig } from '../helpers/env.js';

const dirs: string[] = [];

/** Removes the folders fileEnv made (call in `after`). */
export function removeFileEnvs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function fileEnv(): Promise<{ e: TestEnv; file: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-on-disk-'));
  dirs.push(dir);
  const file = path.join(dir, 'vow.sqlite');
  const store = await openStore({ sqliteFile: file });
  await migrate(store);
  const clock = new ManualClock();
  const ctx = await createContext(testConfig({ VOW_DATA_DIR: dir }), {
    clock,
    random: seededRandom(7),
    logger: pino({ level: 'silent' }),
    store,
  });
  const services = createServices(ctx);
  const app = await buildApp(ctx, { logger: false, testPrincipal: 'all-roles', rateLimits: false }, services);
  await app.ready();
  const e: TestEnv = { dialect: 'sqlite', ctx, clock, services, app, store };
  let closed = false;
  return {
    e,
    file,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await store.close();
    },
  };
}

/** Which of `secrets` the database file or its write-ahead log still holds, byte for byte. */
export function onDisk(file: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const f of [file, `${file}-wal`]) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f, 'latin1');
    for (const s of secrets) if (bytes.includes(s)) found.push(`${path.basename(f)}: ${s.slice(0, 12)}…`);
  }
  return found;
}
