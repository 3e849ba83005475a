// Starts Vow on a loopback port and Debian's Chromium through playwright-core, for end-to-end tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestEnv, type TestEnv } from './env.js';

export const SKIP_BROWSER = process.env.VOW_TEST_SKIP_BROWSER === '1';

/**
 * The one database a browser suite runs on. A page's rendering, its scripts and what Chromium does
 * with it do not depend on the dialect; what the server stores behind a page does, and the
 * non-browser tests of those routes and services run on every dialect (describeEachDialect). So a
 * Chromium suite runs once, on SQLite in memory, not once per dialect (each run costs a browser and
 * minutes of CI); a file whose pages exercise dialect-specific server behaviour keeps that part on
 * every dialect, without the browser, and says so in its header (docs/operations.md, Running the tests).
 */
export const BROWSER_DIALECT = 'sqlite' as const;

export const CHROMIUM = process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium';
/**
 * Features Chromium is started without, as ONE --disable-features switch: Chromium keeps only the
 * last one given, so this list carries playwright-core's own (chromiumSwitches.ts of 1.65: the
 * first part, test/e2e/chromium-command-line checks it still holds all of them) and the tests'.
 * The tests' own: the omnibox popup's WebUI, which Chromium 156 loads in a renderer of its own for
 * every new window, so for each context a test opens (its toolbar is never shown headless). It was
 * two thirds of a context's CPU: 0.85-0.9 CPU-s a context with it, 0.21-0.23 without, about what a
 * page in an open context costs (BENCHMARKS.md, "CI time: a context's second renderer").
 */
export const CHROMIUM_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
];

/** Quiet, offline Chromium: no first-run pages, no QUIC, no background traffic, no sync. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${CHROMIUM_DISABLED_FEATURES.join(',')}`,
];

/** The page's uncaught errors and console errors, collected from now on into the array returned. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/**
 * A staff member with these roles (their password changed to `password`), logged in through the
 * console's form in a fresh browser context of this size, kept in `at.contexts` for the caller to close.
 */
export async function staffLoggedIn(
  at: { env: TestEnv; browser: Browser; base: string; contexts: BrowserContext[] },
  member: { username: string; roles: string[]; password: string },
  viewport: { width: number; height: number },
): Promise<Page> {
  const { staff } = at.env.services.identity;
  const { id, password } = await staff.add(member.username, member.roles, null);
  await staff.changePassword(id, password, member.password);
  const context = await at.browser.newContext({ viewport });
  at.contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${at.base}/staff/login`);
  await page.getByLabel('User name').fill(member.username);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Staff console' }).waitFor();
  return page;
}

/** The password the console's browser tests give their staff members. */
export const STAFF_PASSWORD = 'a long console passphrase';

/** What consoleInChromium hands a suite once its `before` ran. */
export interface ConsoleInChromium {
  /** Vow with access control enforced and no rate limits (SQLite in memory), served on loopback. */
  readonly env: TestEnv & { close: () => Promise<void> };
  readonly browser: Browser;
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  /**
   * A new staff member with these roles (password STAFF_PASSWORD), logged in through the console's
   * form in a fresh browser context, `width` px wide (the suite's viewport unless given).
   */
  logIn(username: string, roles: string[], width?: number): Promise<Page>;
  /** A further browser context (another staff member's tab, a shared session), closed with the rest. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
}

/**
 * The staff console in Chromium for one suite: call it at the top of a describe, before the suite's
 * own hooks. Its `before` starts Vow and Chromium (so the suite's `before` can seed data through
 * `at.env`), its `after` closes every context, the browser and Vow.
 */
export function consoleInChromium(viewport: { width: number; height: number }): ConsoleInChromium {
  let started: { env: ConsoleInChromium['env']; browser: Browser; base: string } | undefined;
  const contexts: BrowserContext[] = [];
  const ready = () => {
    if (!started) throw new Error('consoleInChromium: used before its before() hook ran');
    return started;
  };
  before(async () => {
    const env = await createTestEnv(BROWSER_DIALECT, { auth: 'enforced', rateLimits: false });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    started = { env, browser: await launchChromium(), base };
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await started?.browser.close();
    await started?.env.close();
  });
  return {
    get env() {
      return ready().env;
    },
    get browser() {
      return ready().browser;
    },
    get base() {
      return ready().base;
    },
    logIn: (username, roles, width = viewport.width) =>
      staffLoggedIn(
        { ...ready(), contexts },
        { username, roles, password: STAFF_PASSWORD },
        { width, height: viewport.height },
      ),
    newContext: async (options) => {
      const context = await ready().browser.newContext(options);
      contexts.push(context);
      return context;
    },
  };
}

/**
 * Debian's Chromium, quiet and offline. In a group of browser files (test/helpers/share-chromium.ts)
 * a loan of the process's one browser instead: see lend().
 */
export async function launchChromium(): Promise<Browser> {
  if (!sharing) return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  if (!shared || !(await shared).isConnected()) {
    shared = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }
  return lend(await shared);
}

let sharing = false;
let shared: Promise<Browser> | undefined;

/**
 * From now on launchChromium() lends this process's one browser; returns what closes it (for a
 * top-level `after`). Only test/helpers/share-chromium.ts calls it.
 */
export function shareChromium(): () => Promise<void> {
  sharing = true;
  return async () => {
    const browser = shared;
    shared = undefined;
    if (browser) await (await browser).close();
  };
}

/**
 * `browser` as a file of its own would have it: what it opens through the loan (contexts, and pages
 * with their contexts) is all `contexts()` lists and all `close()` closes; the browser stays open
 * for the group's next file.
 */
function lend(browser: Browser): Browser {
  const mine = new Set<BrowserContext>();
  const track = (context: BrowserContext) => {
    mine.add(context);
    context.once('close', () => mine.delete(context));
    return context;
  };
  return new Proxy(browser, {
    get(target, property) {
      if (property === 'newContext') {
        return async (...args: Parameters<Browser['newContext']>) => track(await target.newContext(...args));
      }
      if (property === 'newPage') {
        return async (...args: Parameters<Browser['newPage']>) => {
          const page = await target.newPage(...args);
          track(page.context());
          return page;
        };
      }
      if (property === 'contexts') return () => [...mine];
      if (property === 'close') {
        return async () => {
          for (const context of [...mine]) await context.close();
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
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
  const env = await createTestEnv(BROWSER_DIALECT);
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

/**
 * startServedVow for one suite: call it at the top of a describe; its `before` starts Vow and
 * Chromium, its `after` closes both, and the getters read them once started.
 */
export function servedVowForSuite(): {
  readonly env: TestEnv;
  readonly baseUrl: string;
  readonly browser: Browser;
} {
  let served: Awaited<ReturnType<typeof startServedVow>> | undefined;
  before(async () => {
    served = await startServedVow();
  });
  after(async () => {
    await served?.close();
  });
  const ready = () => {
    if (!served) throw new Error('servedVowForSuite: used before its before() hook ran');
    return served;
  };
  return {
    get env() {
      return ready().env;
    },
    get baseUrl() {
      return ready().baseUrl;
    },
    get browser() {
      return ready().browser;
    },
  };
}
