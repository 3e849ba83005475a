// Starts Vow on a loopback port and Debian's Chromium through playwright-core, for end-to-end tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { createTestEnv, type TestEnv } from './env.js';

export const SKIP_BROWSER = process.env.VOW_TEST_SKIP_BROWSER === '1';

const CHROMIUM = process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Quiet, offline Chromium: no first-run pages, no QUIC, no background traffic, no sync. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Chromium with every cookie refused, as a shopper who blocks cookies has it (P18): a profile whose
 * preferences block cookies for every site (Settings > Privacy > "Block all cookies"). `close()`
 * ends the browser and removes its profile.
 */
export async function launchChromiumWithoutCookies(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(path.join(tmpdir(), 'vow-nocookies-'));
  mkdirSync(path.join(profile, 'Default'));
  writeFileSync(
    path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
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
