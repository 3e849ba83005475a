// Starts Vow on a loopback port and Debian's Chromium through playwright-core, for end-to-end tests.
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { createTestEnv, type TestEnv } from './env.js';

export const SKIP_BROWSER = process.env.VOW_TEST_SKIP_BROWSER === '1';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A Vow listening on 127.0.0.1 (SQLite in memory) plus a browser; close both with `close()`. */
export async function startServedVow(): Promise<{
  env: TestEnv;
  baseUrl: string;
  browser: Browser;
  close: () => Promise<void>;
}> {
  const env = await createTestEnv('sqlite');
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = env.app.server.address() as AddressInfo;
  const browser = await launchChromium();
  return {
    env,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close();
      await env.close();
    },
  };
}
