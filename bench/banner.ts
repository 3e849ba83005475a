// The banner in a real browser (`VOW_BENCH_ONLY=banner`): Vow's consent script against
// vanilla-cookieconsent (a dev dependency) on the same shop page, served by the same server.
// A small shop server on loopback serves three versions of one page (no banner, Vow's tag,
// vanilla-cookieconsent's recommended tags) and forwards /consent.js, /consent.css and /v1/… to a
// Vow started like the HTTP benchmarks' (bench/server.ts), so every request is same-origin. The
// vanilla-cookieconsent files are sent as Vow sends its own: brotli (quality 11) when accepted.
// Each round loads the three pages in turn (interleaved), each in a fresh browser context (empty
// cache, no cookie: a first visit), throttled through the DevTools protocol to 150 ms of latency
// and 1.6 Mbit/s down, 750 kbit/s up. Figures are medians over the rounds:
//   - bytes over the wire for the first banner: every response but the page itself (body and
//     headers as received, encoded);
//   - first paint (the paint timing entry), the page with the tag against the page without;
//   - banner visible: the first animation frame in which the banner has a box and is not hidden.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { percentile, type Row } from './common.js';
import { serverEntry } from './server-entry.js';

const CHROMIUM = process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
const PROFILE = { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

type Variant = 'none' | 'vow' | 'vanilla';
interface Sample {
  bytes: number;
  /** The bytes of each response counted in `bytes`, by its path (no query: the version changes). */
  byPath: Map<string, number>;
  firstPaint: number;
  bannerVisible: number;
}

/** The shop page: some text and a picture-less layout, the same for every variant. */
function page(head: string): string {
  const paragraphs = Array.from(
    { length: 12 },
    (_, i) =>
      `<p>Ring ${i + 1}: hand-set stones in recycled gold, sized to order and shipped insured. Free returns within 30 days.</p>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rings</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:40rem}</style>
${head}</head><body><main><h1>Engagement rings</h1>${paragraphs}</main></body></html>`;
}

/** vanilla-cookieconsent's configuration for the same three categories as Vow's policy. */
const VANILLA_CONFIG = `CookieConsent.run({
  hideFromBots: false, // the benchmark's browser is headless: show the banner as to a person
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, advertising: {} },
  language: { default: 'en', translations: { en: {
    consentModal: { title: 'Cookies at Diamond Nexus', description: 'We use cookies to measure visits, test page layouts and deliver our ads, only if you agree.', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', showPreferencesBtn: 'Choose' },
    preferencesModal: { title: 'Cookie preferences', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save my choices', sections: [
      { title: 'Strictly necessary', linkedCategory: 'necessary' },
      { title: 'Analytics', description: 'Visits and visit duration.', linkedCategory: 'analytics' },
      { title: 'Advertising', description: 'Our ads.', linkedCategory: 'advertising' } ] } } } }
});`;

function brotli(body: Buffer): Buffer {
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
}

async function startVow(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [await serverEntry(), 'vow'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, child };
}

/** The shop: the three pages, vanilla-cookieconsent's files, and Vow's routes forwarded to Vow. */
async function startShop(vow: URL): Promise<{ url: string; close: () => Promise<void> }> {
  const require = createRequire(import.meta.url);
  const dist = (f: string) => readFileSync(require.resolve(`vanilla-cookieconsent/dist/${f}`));
  const assets: Record<string, { type: string; body: Buffer; br: Buffer }> = {};
  const add = (p: string, type: string, body: Buffer) => {
    assets[p] = { type, body, br: brotli(body) };
  };
  add('/cc/cookieconsent.umd.js', 'text/javascript', dist('cookieconsent.umd.js'));
  add('/cc/cookieconsent.css', 'text/css', dist('cookieconsent.css'));
  add('/cc/config.js', 'text/javascript', Buffer.from(VANILLA_CONFIG));
  const info = (await (await fetch(new URL('/v1/consent/script-info', vow))).json()) as {
    defaults: string;
    preload: string;
    src: string;
    integrity: string;
  };
  const src = new URL(info.src);
  const pages: Record<string, string> = {
    '/none': page(''),
    '/vow': page(
      `${info.defaults}\n${info.preload.replaceAll(new URL(info.src).origin, '')}\n<script src="${src.pathname}${src.search}" integrity="${info.integrity}" crossorigin="anonymous" defer></script>`,
    ),
    // As vanilla-cookieconsent's documentation has it: the stylesheet in <head>, the script and
    // the configuration deferred.
    '/vanilla': page(
      '<link rel="stylesheet" href="/cc/cookieconsent.css">\n<script defer src="/cc/cookieconsent.umd.js"></script>\n<script defer src="/cc/config.js"></script>',
    ),
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (pages[path]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(pages[path]);
      return;
    }
    const asset = assets[path];
    if (asset) {
      const br = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
        ...(br ? { 'content-encoding': 'br' } : {}),
      });
      res.end(br ? asset.br : asset.body);
      return;
    }
    // Vow's own routes, forwarded as a reverse proxy would.
    const upstream = http.request(
      { host: vow.hostname, port: vow.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const BANNER: Record<Variant, string> = {
  none: '',
  vow: '[data-testid="vow-banner"]',
  vanilla: '#cc-main .cm',
};

async function visit(browser: Browser, shop: string, variant: Variant): Promise<Sample> {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...PROFILE });
  const documentIds = new Set<string>();
  const sizes = new Map<string, number>();
  const paths = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; type?: string; request: { url: string } }) => {
    paths.set(e.requestId, new URL(e.request.url).pathname);
    if (e.type === 'Document') documentIds.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    sizes.set(e.requestId, e.encodedDataLength);
  });
  // The first frame in which the banner is on screen, from the start of navigation.
  // A string, not a function: tsx would wrap a function with helpers the page does not have.
  await tab.addInitScript(`(() => {
    const selector = ${JSON.stringify(BANNER[variant])};
    if (!selector) return;
    const look = (t) => {
      const el = document.querySelector(selector);
      if (el && el.offsetHeight > 0 && getComputedStyle(el).visibility !== 'hidden') window.__bannerAt = t;
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  })();`);
  tab.on('console', (m) => process.stderr.write(`[${variant}] ${m.type()} ${m.text()}\n`));
  tab.on('pageerror', (e) => process.stderr.write(`[${variant}] error ${e.message}\n`));
  tab.on('requestfailed', (r) => process.stderr.write(`[${variant}] failed ${r.url()}\n`));
  await tab.goto(`${shop}/${variant}`, { waitUntil: 'load' });
  process.stderr.write(`[${variant}] loaded\n`);
  if (BANNER[variant]) await tab.waitForFunction('window.__bannerAt', undefined, { timeout: 15_000 });
  // Let the last responses finish (the banner's config, late styles).
  await tab.waitForTimeout(300);
  const timing = (await tab.evaluate(
    `({ firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime ?? NaN, bannerVisible: window.__bannerAt ?? NaN })`,
  )) as { firstPaint: number; bannerVisible: number };
  let bytes = 0;
  const byPath = new Map<string, number>();
  for (const [id, n] of sizes) {
    if (documentIds.has(id)) continue;
    bytes += n;
    const where = paths.get(id) ?? '?';
    byPath.set(where, (byPath.get(where) ?? 0) + n);
  }
  await context.close();
  return { bytes, byPath, ...timing };
}

export async function benchBanner(options: {
  rows: Row[];
  notes: string[];
  log: (s: string) => void;
  rounds: number;
}): Promise<void> {
  const vow = await startVow();
  const shop = await startShop(new URL(vow.url));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const samples: Record<Variant, Sample[]> = { none: [], vow: [], vanilla: [] };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const variant of ['none', 'vow', 'vanilla'] as const)
        samples[variant].push(await visit(browser, shop.url, variant));
      options.log(`  banner round ${round + 1}/${options.rounds}`);
    }
  } finally {
    await browser.close();
    await shop.close();
    vow.child.kill();
  }
  const median = (v: Variant, k: 'bytes' | 'firstPaint' | 'bannerVisible') =>
    percentile(
      samples[v].map((s) => s[k]).sort((a, b) => a - b),
      50,
    );
  const vowBytes = median('vow', 'bytes');
  const ccBytes = median('vanilla', 'bytes');
  const profile = `${PROFILE.latency} ms, 1.6 Mbit/s`;
  options.rows.push({
    name: `banner bytes over the wire, first visit (brotli), median of ${options.rounds}`,
    value: vowBytes,
    unit: 'B',
    floorName: 'vanilla-cookieconsent 3.1, same page and server',
    floor: ccBytes,
    ratio: vowBytes / ccBytes,
    target: '<= 0.35',
    met: vowBytes / ccBytes <= 0.35,
  });
  const fpVow = median('vow', 'firstPaint');
  const fpNone = median('none', 'firstPaint');
  options.rows.push({
    name: `first paint with Vow's tag (${profile})`,
    value: fpVow,
    unit: 'ms',
    floorName: 'same page without a banner',
    floor: fpNone,
    ratio: fpVow / fpNone,
    target: '<= 1.10 (value / floor)',
    met: fpVow / fpNone <= 1.1,
  });
  const bvVow = median('vow', 'bannerVisible');
  const bvCc = median('vanilla', 'bannerVisible');
  options.rows.push({
    name: `banner visible (${profile})`,
    value: bvVow,
    unit: 'ms from navigation start',
    floorName: 'vanilla-cookieconsent 3.1',
    floor: bvCc,
    ratio: bvVow / bvCc,
    target: '<= 1.00 (value / floor)',
    met: bvVow <= bvCc,
  });
  // Which response a change of size came from (headers included, as counted above).
  const parts = (v: Variant) =>
    [...(samples[v][0]?.byPath ?? [])].map(([where, n]) => `${where} ${n}`).join(', ');
  options.notes.push(
    `banner: bytes by response, first round: Vow ${parts('vow')}; vanilla-cookieconsent ${parts('vanilla')}`,
  );
  options.notes.push(
    `banner: first paint without a banner ${fpNone.toFixed(0)} ms, with vanilla-cookieconsent ${median('vanilla', 'firstPaint').toFixed(0)} ms; bytes per round Vow ${samples.vow.map((s) => s.bytes).join('/')}, vanilla-cookieconsent ${samples.vanilla.map((s) => s.bytes).join('/')}`,
  );
}
