// `npm run screenshots`: starts a demo Vow (a generated shop on a throw-away SQLite folder), opens
// every shopper page and every console page in Chromium, desktop (1280x900) and mobile (390x844),
// and writes full-page PNGs into docs/screenshots/ (shopper-*.png, console-*.png) plus an index,
// docs/screenshots/README.md (a shot marked `window` is the first screen only). Chromium: /usr/bin/chromium, or VOW_TEST_CHROMIUM.
// `npm run screenshots -- console-records-of-processing` writes only the shots whose name starts with
// it (a new page's images without rewriting the others); the index is left as it is: add their lines.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createContext } from '../src/app/context.js';
import { createServices } from '../src/app/services.js';
import { demoRandom } from '../src/cli/demo/command.js';
import { generateDemo } from '../src/cli/demo/generator.js';
import { buildApp } from '../src/http/app.js';
import { consoleNav } from '../src/http/console/shell.js';
import { STAFF_ROLES } from '../src/modules/identity/index.js';
import { loadConfig } from '../src/platform/config.js';
import { consoleExtras, type Shot } from './screenshots-console.js';

// SCREENSHOTS_DIR writes them elsewhere (to compare with the committed ones before replacing them).
const OUT = process.env.SCREENSHOTS_DIR
  ? path.resolve(process.env.SCREENSHOTS_DIR)
  : new URL('../docs/screenshots/', import.meta.url).pathname;
const ONLY = process.argv[2] ?? '';
// Each size's pass creates an API key (the new key is shown once, so each pass makes its own): a
// different one in each, so the later pass's list does not hold the same key twice.
const SIZES = [
  {
    name: 'desktop',
    viewport: { width: 1280, height: 900 },
    newKey: { forWhat: 'storefront checkout', scope: 'collect' },
  },
  {
    name: 'mobile',
    viewport: { width: 390, height: 844 },
    newKey: { forWhat: 'warehouse shipping', scope: 'disclose' },
  },
] as const;
const SHOPPER_EMAIL = 'sam.screenshot@example.com';
const SHOPPER_PASSWORD = 'a long screenshot password';
const STAFF_PASSWORD = 'a long screenshot staff password';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-screenshots-'));
  const config = loadConfig({
    ...process.env,
    VOW_DATA_DIR: dir,
    VOW_DATABASE_URL: '',
    VOW_MASTER_KEY: '',
    VOW_MASTER_KEY_FILE: '',
    VOW_LOG_LEVEL: 'warn',
  });
  const ctx = await createContext(config, { random: demoRandom(1) });
  const services = createServices(ctx);
  await generateDemo(ctx, services, { people: 400, seed: 1 });
  const app = await buildApp(ctx, { logger: false, rateLimits: false }, services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const written: { file: string; title: string }[] = [];
  try {
    // A shopper with an order, an account and an access request (for My data and the export page).
    const key = await services.identity.apiKeys.create('screenshots', null, ['all']);
    const auth = { authorization: `Bearer ${key.key}` };
    const address = {
      line1: '4 Long Meadow Road',
      city: 'Franklin',
      region: 'WI',
      postal_code: '53132',
      country: 'US',
    };
    await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth,
      payload: {
        shop_order_id: 'SO-SCREENSHOT-1',
        placed_at: '2026-01-10T10:00:00Z',
        currency: 'USD',
        total_cents: 49900,
        items: [{ sku: 'STUDS-1', quantity: 1, unit_price_cents: 49900 }],
        buyer: {
          name: 'Sam Screenshot',
          email: SHOPPER_EMAIL,
          billing_address: address,
          shipping_address: address,
        },
      },
    });
    const { accounts } = services.identity;
    await accounts.register(SHOPPER_EMAIL, SHOPPER_PASSWORD);
    const accountId = (await accounts.resetRecipient(SHOPPER_EMAIL))!.accountId;
    await app.inject({
      method: 'POST',
      url: '/account/verify',
      payload: { token: await accounts.issueToken(accountId, 'verify_email'), password: SHOPPER_PASSWORD },
    });
    const mails: string[] = [];
    services.mail.useTransport({
      name: 'capture',
      send: async (m) => {
        mails.push(m.text ?? '');
        return { messageId: `<${m.outboxId}@screenshots>` };
      },
    });
    // Request, complaint and unsubscribe pages reached by their links.
    // Public routes, as a shopper's browser sends them (no API key).
    const request = await app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: { type: 'access', jurisdiction: 'us-ca', email: 'someone.else@example.com' },
    });
    const complaint = await app.inject({
      method: 'POST',
      url: '/v1/complaints',
      payload: { jurisdiction: 'us-ca', email: 'someone.else@example.com', message: 'Nobody answered me.' },
    });
    const entry = await app.inject({
      method: 'POST',
      url: '/v1/contest-entries',
      headers: auth,
      payload: { email: 'contest.screenshot@example.com' },
    });
    const unsubscribe = await app.inject({
      method: 'POST',
      url: '/v1/emails/render',
      headers: auth,
      payload: { subjectId: entry.json().subjectId, subject: 'Spring', text: 'New rings.' },
    });

    const shopper = await browser.newContext({ viewport: SIZES[0].viewport });
    const login = await shopper.newPage();
    await login.goto(`${base}/login`);
    await login.fill('#email', SHOPPER_EMAIL);
    await login.fill('#password', SHOPPER_PASSWORD);
    await Promise.all([login.waitForURL(/my-data/), login.click('form[action="/login"] button')]);
    const cookies = await shopper.cookies();
    // The export: an access request from the account, answered by the job runner.
    await login.request.post(`${base}/v1/me/requests`, {
      data: { type: 'access', jurisdiction: 'us-ca' },
      headers: { 'x-csrf-token': await csrfOf(login) },
    });
    await services.jobs.drain();
    const exportPath = mails
      .map((t) => /\/privacy\/request\/export\/[A-Za-z0-9_-]+/.exec(t)?.[0])
      .find(Boolean);
    await shopper.close();

    const reject = async (page: Page) => {
      const b = page.getByTestId('vow-reject');
      if (await b.count()) {
        await b.click();
        await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
      }
    };
    const shopperShots: Shot[] = [
      { name: 'shopper-banner', title: 'The cookie banner, first layer', path: '/demo/store' },
      {
        name: 'shopper-banner-choices',
        title: 'The cookie banner with "Choose" open',
        path: '/demo/store',
        prepare: async (p) => {
          await p.getByTestId('vow-choose').click();
          await p.locator('.vow-cc-cookies summary').first().click();
        },
      },
      {
        name: 'shopper-demo-store',
        title: 'The demo storefront and its forms',
        path: '/demo/store',
        prepare: reject,
      },
      {
        name: 'shopper-privacy',
        title: 'The privacy notice (its first screen)',
        path: '/privacy',
        prepare: reject,
        // The whole notice is some 12,600 px (about 2 MB a shot); its first screen shows the page,
        // and the notice's sections are shown by the tests, not by a picture.
        window: true,
      },
      {
        name: 'shopper-preferences',
        title: 'Your Privacy Choices (the preference centre)',
        path: '/cookies/preferences',
        prepare: reject,
      },
      { name: 'shopper-request-form', title: 'The privacy request form', path: '/privacy/request' },
      {
        name: 'shopper-request-refused',
        title: 'The request form sent back: what was typed kept, the mistake at its field',
        path: '/privacy/request',
        prepare: async (p) => {
          await p.selectOption('#jurisdiction', 'us-ca');
          await p.fill('#email', 'sam.screenshot@example.com');
          // A name longer than the form takes (its maxlength off, as a paste through a script would).
          await p.locator('#name').evaluate((el) => el.removeAttribute('maxlength'));
          await p.fill('#name', 'Sam Screenshot '.repeat(15));
          await p.fill('#details', 'Please send me a copy of everything you hold about me.');
          await Promise.all([p.waitForLoadState(), p.click('[data-testid=request-form] button')]);
          await p.getByTestId('form-error').waitFor();
        },
      },
      {
        name: 'shopper-request-status',
        title: "A request's status page",
        path: `/privacy/request/status/${request.json().statusToken}`,
      },
      {
        name: 'shopper-request-new-code-es',
        title: 'A request\'s status page in Spanish after "Email me a new code"',
        // The message the page shows once the new code is mailed (m=resent, as its redirect says).
        path: `/privacy/request/status/${request.json().statusToken}?m=resent`,
        locale: 'es',
      },
      { name: 'shopper-complaint-form', title: 'The complaint form', path: '/privacy/complaint' },
      {
        name: 'shopper-complaint-status',
        title: "A complaint's status page",
        path: `/privacy/complaint/status/${complaint.json().statusToken}`,
      },
      { name: 'shopper-login', title: 'Log in', path: '/login' },
      { name: 'shopper-register', title: 'Create an account', path: '/account/register' },
      {
        name: 'shopper-unsubscribe',
        title: 'One-click unsubscribe',
        path: new URL(unsubscribe.json().unsubscribeUrl).pathname,
      },
      ...(exportPath ? [{ name: 'shopper-export', title: 'The access export', path: exportPath }] : []),
      { name: 'shopper-error-404', title: 'A mistyped address (404 page)', path: '/privacy/no-such-page' },
      {
        name: 'shopper-error-link',
        title: 'A truncated emailed link',
        path: '/privacy/request/status/cut-short',
      },
      {
        name: 'shopper-privacy-other-language',
        title: 'The notice asked for in a language it is not in (?lang=zz)',
        path: '/privacy?lang=zz',
        prepare: reject,
        window: true,
      },
      {
        name: 'dark-shopper-privacy',
        title: 'The privacy notice, dark mode (its first screen)',
        path: '/privacy',
        prepare: reject,
        dark: true,
        // Its first screen shows the colours, as the light shot's shows the page.
        window: true,
      },
      {
        name: 'dark-shopper-request-refused',
        title: 'The request form sent back, dark mode',
        path: '/privacy/request',
        dark: true,
        prepare: async (p) => {
          await p.selectOption('#jurisdiction', 'us-ca');
          await p.fill('#email', 'sam.screenshot@example.com');
          await p.locator('#name').evaluate((el) => el.removeAttribute('maxlength'));
          await p.fill('#name', 'Sam Screenshot '.repeat(15));
          await Promise.all([p.waitForLoadState(), p.click('[data-testid=request-form] button')]);
          await p.getByTestId('form-error').waitFor();
        },
      },
      {
        name: 'dark-shopper-preferences',
        title: 'Your Privacy Choices, dark mode',
        path: '/cookies/preferences',
        prepare: reject,
        dark: true,
      },
    ];
    const signedInShots: Shot[] = [
      { name: 'shopper-my-data', title: 'My data', path: '/account/my-data', prepare: reject },
      {
        name: 'shopper-delete-confirm',
        title: 'Deleting my data: the confirmation step',
        path: '/account/my-data',
        prepare: async (p) => {
          await p.check('input[name=type][value=deletion]');
          await Promise.all([p.waitForLoadState(), p.getByTestId('review-request').click()]);
          await p.getByTestId('confirm-request').waitFor();
        },
      },
    ];

    const take = async (shots: Shot[], signedIn: boolean) => {
      for (const size of SIZES) {
        const context = await browser.newContext({ viewport: size.viewport });
        if (signedIn) await context.addCookies(cookies);
        for (const s of shots.filter((x) => x.name.startsWith(ONLY))) {
          const page = await context.newPage();
          if (s.locale) await page.setExtraHTTPHeaders({ 'accept-language': s.locale });
          if (s.dark) await page.emulateMedia({ colorScheme: 'dark' });
          await page.goto(`${base}${s.path}`);
          // The consent script has run: the demo storefront's floating "Cookie settings" is there; Vow's
          // own pages show none (their header has "Your Privacy Choices"), so their config has come in.
          if (s.path.startsWith('/demo/store')) await page.getByTestId('vow-preferences').waitFor();
          else if (s.path === '/privacy' || s.path === '/cookies/preferences')
            await page.waitForLoadState('networkidle');
          if (s.prepare) await s.prepare(page);
          const file = `${s.name}-${size.name}.png`;
          await page.screenshot({
            path: path.join(OUT, file),
            fullPage: !s.name.startsWith('shopper-banner') && !s.window,
          });
          written.push({ file, title: `${s.title} (${size.name})` });
          await page.close();
        }
        await context.close();
      }
    };
    await take(shopperShots, false);
    await take(signedInShots, true);

    // An import of a shop's earlier customers, with two rows it could not import (the imports pages).
    const customers = path.join(dir, 'customers_export.csv');
    writeFileSync(
      customers,
      [
        'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Phone,Accepts SMS Marketing',
        '9001,Imogen,Imported,imogen.imported@example.com,yes,,no',
        '9002,Ivo,Imported,ivo.imported@example.com,no,(608) 265-4001,yes',
        '9003,Ines,Nomail,,yes,,no',
        '9004,Iris,Imported,iris.imported@example,no,,no',
      ].join('\n'),
    );
    const imported = await services.imports.run({ file: customers, format: 'shopify-customers' });

    // The console: a staff member holding every role, past the one-time password.
    const { id, password } = await services.identity.staff.add('screenshots', [...STAFF_ROLES], null);
    await services.identity.staff.changePassword(id, password, STAFF_PASSWORD);
    // A letter asking for deletion, verified by a customer-service agent by three details: it waits
    // for a privacy officer's approval (four eyes; the screenshots' staff member is one).
    const letterBuyer = {
      name: 'Pat Letter',
      email: 'pat.letter@example.com',
      phone: '+16085550142',
      billing_address: { ...address, line1: '9 Orchard Lane' },
      shipping_address: { ...address, line1: '9 Orchard Lane' },
    };
    await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth,
      payload: {
        shop_order_id: 'SO-SCREENSHOT-2',
        placed_at: '2026-02-02T10:00:00Z',
        currency: 'USD',
        total_cents: 12900,
        items: [{ sku: 'BAND-1', quantity: 1, unit_price_cents: 12900 }],
        buyer: letterBuyer,
      },
    });
    const agent = await services.identity.staff.add('cass', ['customer_service'], null);
    const letter = await services.rights.submit(
      { type: 'deletion', jurisdiction: 'us-ca', name: letterBuyer.name },
      { channel: 'postal', staffId: agent.id, receivedOn: new Date().toISOString().slice(0, 10) },
    );
    await services.rights.verifyByDataPoints(
      letter.requestId,
      { email: letterBuyer.email, phone: letterBuyer.phone, address: letterBuyer.billing_address },
      true,
      agent.id,
    );
    // A breach decided a high risk, for the Art. 34 page (its message in English and Spanish).
    const incident = await services.incidents.record(
      {
        summary: 'A courier lost a box of printed packing slips on its way to the depot.',
        dataCategories: ['identity.name', 'contact.postal_address'],
        subjectKinds: ['customer'],
        approxSubjects: 120,
        consequences: 'Someone could send letters pretending to be the shop.',
        measures: 'The courier was changed and the depot searched.',
        authority: 'eea',
      },
      { staffId: id, privacyOfficer: true },
    );
    await services.incidents.decideRisk(incident.id, 'high', 'Names with home addresses.', id);
    // A changed policy file to check on the policy page: the shipped minimal one.
    const minimalPolicy = readFileSync(new URL('../policies/minimal.yaml', import.meta.url), 'utf8');
    const consoleShots: Shot[] = consoleNav([...STAFF_ROLES]).map((l) => {
      const name = `console${l.href.replace(/^\/staff/, '').replace(/\//g, '-') || '-dashboard'}`;
      const screens = LONG_CONSOLE_PAGES[name];
      return {
        name,
        title: `Console: ${l.label}${screens ? ` (its first ${screens} screens)` : ''}`,
        path: l.href,
        ...(screens ? { screens } : {}),
      };
    });
    for (const size of SIZES) {
      const context = await browser.newContext({ viewport: size.viewport });
      const page = await context.newPage();
      await page.goto(`${base}/staff/login`);
      await page.getByLabel('User name').fill('screenshots');
      await page.getByLabel('Password').fill(STAFF_PASSWORD);
      await Promise.all([
        page.waitForURL((u) => !u.pathname.endsWith('/login')),
        page.getByRole('button', { name: 'Log in' }).click(),
      ]);
      const extra: Shot[] = [];
      await page.goto(`${base}/staff/requests`);
      const requestLink = await page
        .locator('main a[href^="/staff/requests/"]')
        .first()
        .getAttribute('href')
        .catch(() => null);
      if (requestLink)
        extra.push({ name: 'console-request', title: 'Console: a request', path: requestLink });
      await page.goto(`${base}/staff/complaints`);
      const complaintLink = await page
        .locator('main a[href^="/staff/complaints/"]')
        .first()
        .getAttribute('href')
        .catch(() => null);
      if (complaintLink)
        extra.push({ name: 'console-complaint', title: 'Console: a complaint', path: complaintLink });
      extra.push(
        ...consoleExtras({
          size,
          importRunId: imported.runId,
          letterRequestId: letter.requestId,
          incidentId: incident.id,
          minimalPolicy,
        }),
      );
      for (const s of [...consoleShots, ...extra].filter((x) => x.name.startsWith(ONLY))) {
        await page.emulateMedia({ colorScheme: s.dark ? 'dark' : null });
        await page.goto(`${base}${s.path}`);
        if (s.prepare) await s.prepare(page);
        const file = `${s.name}-${size.name}.png`;
        await page.screenshot({ path: path.join(OUT, file), ...(await framing(page, s, size.viewport)) });
        written.push({ file, title: `${s.title} (${size.name})` });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const index = [
    '# Screenshots',
    '',
    'Every shopper page and every console page, desktop (1280×900) and mobile (390×844), from a demo Vow.',
    'Regenerate them all with `npm run screenshots` (needs Chromium; see [pages.md](../pages.md)).',
    '',
    ...written.map((w) => `- [${w.title}](${w.file})`),
    '',
  ].join('\n');
  if (!ONLY) writeFileSync(path.join(OUT, 'README.md'), index);
  process.stdout.write(`${written.length} screenshots in ${path.relative(process.cwd(), OUT) || '.'}/\n`);
}

/**
 * Console pages too long for a whole-page shot, and how many screens of each to keep: the recipient
 * tasks (the header, filters and the first tasks of the demo's 200) and the record of processing (the
 * controller, the activities' summary and the first activities, as console.md shows it).
 */
const LONG_CONSOLE_PAGES: Readonly<Record<string, number>> = {
  'console-downstream': 2,
  'console-records-of-processing': 3,
};

/** The whole page, the window only, or the page's first `screens` window heights. */
async function framing(
  page: Page,
  s: Shot,
  viewport: { readonly width: number; readonly height: number },
): Promise<{ fullPage: boolean; clip?: { x: number; y: number; width: number; height: number } }> {
  if (s.window) return { fullPage: false };
  if (!s.screens) return { fullPage: true };
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  const height = Math.min(full, s.screens * viewport.height);
  return { fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height } };
}

/** The anti-forgery token the signed-in page carries (the logout form's hidden field). */
async function csrfOf(page: Page): Promise<string> {
  return (await page.locator('input[name=_csrf]').first().getAttribute('value')) ?? '';
}

mkdirSync(OUT, { recursive: true });
await main();
