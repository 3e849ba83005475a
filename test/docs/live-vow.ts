// A real Vow on a loopback port for the documentation's curl examples: a temporary data dir with a
// SQLite file, real access control and rate limits, the clock standing at 2026-01-15T12:00:00Z (the
// day the examples are written for), and what the examples assume exists (docs/api.md, "Running
// the examples"): an API key, the privacy officer olivia with her own password and a token, and the
// reports of week 2026-W02 released.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices, type Services } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { testLookup } from '../helpers/env.js';

/** The privacy officer the examples log in as, and the password she chose. */
export const OLIVIA = { username: 'olivia', password: 'a long passphrase of my own' } as const;
export const CASEY = { username: 'casey', password: 'another long passphrase of mine' } as const;

export interface LiveVow {
  readonly url: string;
  readonly dataDir: string;
  readonly ctx: VowContext;
  readonly services: Services;
  readonly app: FastifyInstance;
  /** The variables the examples use: VOW, KEY, STAFF_TOKEN (the privacy officer), AGENT_TOKEN (customer service). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startLiveVow(): Promise<LiveVow> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vow-docs-'));
  const port = await freePort();
  const config = loadConfig({
    VOW_DATA_DIR: dataDir,
    VOW_PORT: String(port),
    VOW_LOG_LEVEL: 'silent',
    VOW_MASTER_KEY: Buffer.alloc(32, 11).toString('base64'),
  });
  const ctx = await createContext(config, {
    clock: new ManualClock('2026-01-15T12:00:00.000Z'),
    logger: pino({ level: 'silent' }),
  });
  const services = createServices(ctx, { webhookResolver: { lookup: testLookup } });
  const app = await buildApp(ctx, { logger: false }, services);
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;

  const close = async () => {
    await app.close();
    await ctx.store.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { key } = await services.identity.apiKeys.create('shop backend', null, ['all']);
    // The last finished week's reports are released, as `vow serve`'s weekly job does when a week closes.
    await services.reports.releaseWeek('2026-W02');
    const staff = await services.identity.staff.add(OLIVIA.username, ['privacy_officer'], null);
    await services.identity.staff.changePassword(staff.id, staff.password, OLIVIA.password);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/staff/tokens',
      payload: { username: OLIVIA.username, password: OLIVIA.password },
    });
    if (res.statusCode !== 201) throw new Error(`staff token: ${res.statusCode} ${res.body}`);
    const staffToken = res.json().token as string;
    // A customer-service agent too: what one proposes, the privacy officer approves (four eyes).
    const agent = await services.identity.staff.add(CASEY.username, ['customer_service'], null);
    await services.identity.staff.changePassword(agent.id, agent.password, CASEY.password);
    const agentRes = await app.inject({
      method: 'POST',
      url: '/v1/staff/tokens',
      payload: { username: CASEY.username, password: CASEY.password },
    });
    if (agentRes.statusCode !== 201) throw new Error(`agent token: ${agentRes.statusCode} ${agentRes.body}`);
    const agentToken = agentRes.json().token as string;
    return {
      url,
      dataDir,
      ctx,
      services,
      app,
      env: { VOW: url, KEY: key, STAFF_TOKEN: staffToken, AGENT_TOKEN: agentToken },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
