// `vow demo`: with --people N, fills the configured store with N generated people and reports the
// rate; without it, starts Vow on a throw-away data dir with a generated jewelry shop of a few
// thousand people and prints where to go.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createContext } from '../../app/context.js';
import { createServices } from '../../app/services.js';
import { buildApp } from '../../http/app.js';
import { cryptoRandom, type Random, seededRandom } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { VowError } from '../../platform/errors.js';
import { checkListenAddress } from '../listen.js';
import { DemoSeedUsed, type DemoStats, generateDemo } from './generator.js';

export interface DemoCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const DEFAULT_SHOP_PEOPLE = 3000;

/**
 * The demo's randomness: record ids from the seed, so a seed gives the same people again; every
 * random byte (the master key of a new data folder, the blind-index and data keys, nonces, API keys
 * and passwords, the reports' noise) from the operating system, so no two data folders share a
 * key and no noise can be replayed from the seed.
 */
export function demoRandom(seed: number): Random {
  // Ordered ids, as production makes them: a million people's indexes grow at their ends.
  const ids = seededRandom(seed, { ordered: true });
  return { uuid: () => ids.uuid(), bytes: (n) => cryptoRandom.bytes(n) };
}

/** A whole number from 1 to 100,000,000 written in digits (`0x10`, `1e3` and `1.0` are refused). */
function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 100_000_000)
    throw new VowError(
      'VOW_USAGE',
      `--${name} must be a whole number from 1 to 100,000,000 in digits (got "${value}"). See \`vow demo --help\`.`,
    );
  return n;
}

export function formatStats(s: DemoStats): string {
  return [
    `${s.people.toLocaleString('en-US')} people in ${s.seconds.toFixed(1)} s (${Math.round(s.peoplePerSecond).toLocaleString('en-US')} people/s)`,
    `  customers ${s.customers}, orders ${s.orders}, gift recipients ${s.giftRecipients}, registrations ${s.registrations}`,
    `  contest entries ${s.contestEntries}, catalog requests ${s.catalogRequests}, SMS subscribers ${s.smsSubscribers} (${s.smsStopped} sent STOP)`,
    `  unsubscribed ${s.unsubscribed}, site visitors ${s.visitors} (${s.events} events, ${s.experimentExposures} in the layout experiment)`,
    `  data subject requests: ${s.answeredRequests} answered on time, ${s.openRequests} open within their deadline (waiting for staff)`,
  ].join('\n');
}

/** `vow demo`'s work (registered in register.ts, which loads this file only when the command runs). */
export async function runDemo(
  opts: { people?: string; seed: string; batch: string },
  io: DemoCliIo,
  setExit: (code: number) => void,
): Promise<void> {
  let people: number | undefined;
  let seed: number;
  let batchSize: number;
  people = opts.people === undefined ? undefined : positiveInt('people', opts.people, 0);
  seed = positiveInt('seed', opts.seed, 1);
  batchSize = positiveInt('batch', opts.batch, 500);
  if (people !== undefined) {
    const ctx = await createContext(loadConfig(), { random: demoRandom(seed) });
    try {
      const services = createServices(ctx);
      let shown = 0;
      const stats = await generateDemo(ctx, services, {
        people,
        seed,
        batchSize,
        onProgress: (s) => {
          if (s.people - shown >= Math.max(10_000, people / 20) || s.people === people) {
            shown = s.people;
            io.err(
              `  ${s.people.toLocaleString('en-US')} / ${people.toLocaleString('en-US')} (${Math.round(s.peoplePerSecond)} people/s)`,
            );
          }
        },
      });
      io.out(`Generated into ${ctx.store.dialect} ${ctx.store.location}:\n${formatStats(stats)}`);
    } catch (err) {
      if (!(err instanceof DemoSeedUsed)) throw err;
      io.err(`VOW_USAGE: ${err.message}`);
      setExit(1);
    } finally {
      await ctx.store.close();
    }
    return;
  }

  // A whole demo shop on a throw-away SQLite file, served until Ctrl-C.
  const base = loadConfig();
  await checkListenAddress(base.host, base.port);
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-demo-'));
  const config = loadConfig({
    ...process.env,
    VOW_DATA_DIR: dir,
    VOW_DATABASE_URL: '',
    VOW_MASTER_KEY: '',
    VOW_MASTER_KEY_FILE: '',
    VOW_PORT: String(base.port),
  });
  const ctx = await createContext(config, { random: demoRandom(seed) });
  const services = createServices(ctx);
  io.out(`Generating a jewelry shop of ${DEFAULT_SHOP_PEOPLE.toLocaleString('en-US')} people in ${dir} …`);
  const stats = await generateDemo(ctx, services, { people: DEFAULT_SHOP_PEOPLE, seed, batchSize });
  io.out(formatStats(stats));
  const officer = await services.identity.staff.add('demo-officer', ['privacy_officer'], null);
  const key = await services.identity.apiKeys.create('demo shop backend', null, ['all']);
  const app = await buildApp(ctx, {}, services);
  services.jobs.start();
  const address = await app.listen({ port: config.port, host: config.host });
  const stop = async () => {
    await services.jobs.stop();
    await app.close();
    await ctx.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  io.out(
    [
      '',
      `Vow demo is running on ${address} (throw-away data in ${dir}; nothing is kept when you delete it).`,
      `  The shop, with the cookie banner and the contest, SMS and catalog forms: ${address}/demo/store`,
      `  The privacy notice:             ${address}/privacy`,
      `  Make a privacy request:         ${address}/privacy/request`,
      `  The staff console:              ${address}/staff/login`,
      `      user demo-officer (privacy officer), one-time password ${officer.password}`,
      `  The request queue:              ${address}/staff/requests`,
      `  The API description:            ${address}/openapi.json`,
      `  The shop backend's API key:     ${key.key}`,
      `      curl -H 'authorization: Bearer ${key.key}' ${address}/v1/service/audiences/email_marketing`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}
