// Staff single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback port,
// driven by Chromium: a staff member signs in through the provider's own log-in and consent pages
// and lands on the console with the menu their roles claim grants; a user whose claim grants no Vow
// role is refused with a page saying so; VOW_OIDC_ONLY=on refuses the password log-in; every SSO
// log-in, accepted or refused, is in the audit trail.
// Chromium on one dialect (BROWSER_DIALECT, SQLite): the provider's pages and the browser's round
// trip do not depend on the database. What the server stores behind a sign-in does, and runs on
// every dialect: here, without a browser, the log-in page, a forged callback refused and audited,
// and VOW_OIDC_ONLY; in test/security/sso-*.test.ts (a provider answered by the test, no browser),
// the account made or updated from the roles claim, refusals and their audit entries.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_DIALECT, launchChromium, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const vowPort = await freePort();
const opPort = await freePort();
const VOW = `http://127.0.0.1:${vowPort}`;
const ISSUER = `http://127.0.0.1:${opPort}`;
const CLIENT_ID = 'vow-console';
const CLIENT_SECRET = 'a-client-secret-of-the-test-provider-only';

/** The provider's users (any password works on its development log-in form) and their role claims. */
const ROLES: Record<string, unknown> = {
  'ada.auditor': ['auditor', 'not-a-vow-role'],
  'carl.service': ['customer_service'],
  'nora.norole': ['shop-manager'],
};

function startProvider(): Promise<Server> {
  const provider = new Provider(ISSUER, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${VOW}/staff/sso/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub', 'vow_roles', 'preferred_username'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, preferred_username: id, vow_roles: ROLES[id] ?? [] }),
    }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['a-cookie-key-of-the-test-provider-only'] },
  });
  return new Promise((resolve) => {
    const server = provider.listen(opPort, '127.0.0.1', () => resolve(server));
  });
}

const SSO = {
  VOW_PUBLIC_URL: VOW,
  VOW_OIDC_ISSUER: ISSUER,
  VOW_OIDC_CLIENT_ID: CLIENT_ID,
  VOW_OIDC_CLIENT_SECRET: CLIENT_SECRET,
};

/** Through the provider's development log-in and consent pages, back to Vow. */
async function signInAt(page: Page, login: string): Promise<void> {
  await page.goto(`${VOW}/staff/login`);
  await page.getByTestId('sso-login').click();
  await page.waitForURL((u) => u.href.startsWith(ISSUER));
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'anything');
  await page.click('button[type="submit"]');
  // The consent page (first time for this user and client).
  await page.waitForLoadState();
  if (page.url().startsWith(ISSUER)) await page.click('button[type="submit"]');
  await page.waitForURL((u) => u.href.startsWith(VOW));
}

async function ssoAudit(env: TestEnv) {
  const rows = await env.store.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'details'])
    .where('action', 'in', ['staff.sso.login', 'staff.sso.refused'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

describeEachDialect(
  'staff single sign-on, without a browser',
  (env) => {
    it('shows the single sign-on button next to the password form', async () => {
      const res = await env().app.inject({ url: '/staff/login' });
      assert.match(res.body, /Sign in with single sign-on/);
      assert.match(res.body, /action="\/staff\/login"/);
    });

    it('refuses a callback that was not started here, and audits the refusal with its reason', async () => {
      const res = await env().app.inject({ url: '/staff/sso/callback?code=forged&state=forged' });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /data-reason="no_flow"/);
      const audit = await ssoAudit(env());
      assert.deepEqual(
        audit.map((a) => [a.action, a.details.reason]),
        [['staff.sso.refused', 'no_flow']],
        JSON.stringify(audit),
      );
    });
  },
  { config: testConfig(SSO), auth: 'enforced', rateLimits: false },
);

describe(`staff single sign-on in Chromium [${BROWSER_DIALECT}]`, {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let provider: Server;
  let browser: Browser;
  before(async () => {
    env = await createTestEnv(BROWSER_DIALECT, {
      config: testConfig(SSO),
      auth: 'enforced',
      rateLimits: false,
    });
    provider = await startProvider();
    await env.app.listen({ port: vowPort, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (provider) await new Promise<void>((resolve) => provider.close(() => resolve()));
    await env?.close();
  });

  it('signs a staff member in through the provider; the menu follows the roles claim', async () => {
    const page = await browser.newPage();
    try {
      await signInAt(page, 'ada.auditor');
      await page.waitForURL(`${VOW}/staff`);
      const menu = await page.locator('nav a').allTextContents();
      assert.ok(menu.includes('Audit trail'), menu.join(', '));
      assert.ok(!menu.includes('Staff accounts'), menu.join(', '));
      assert.ok(!menu.includes('People'), menu.join(', '));
      const staff = await env.services.identity.staff.list();
      const ada = staff.find((s) => s.username === 'ada.auditor');
      assert.deepEqual(ada?.roles, ['auditor']);
      // The session is the password log-in's: the audit trail page opens to it.
      const audit = await page.goto(`${VOW}/staff/audit`);
      assert.equal(audit?.status(), 200);
    } finally {
      await page.close();
    }
  });

  it('sets the roles from the claim again at every sign-in', async () => {
    ROLES['ada.auditor'] = ['admin'];
    const page = await browser.newPage();
    try {
      await signInAt(page, 'ada.auditor');
      await page.waitForURL(`${VOW}/staff`);
      const menu = await page.locator('nav a').allTextContents();
      assert.ok(menu.includes('Staff accounts'), menu.join(', '));
      assert.ok(!menu.includes('Audit trail'), menu.join(', '));
      const staff = await env.services.identity.staff.list();
      assert.deepEqual(
        staff.filter((s) => s.username === 'ada.auditor').map((s) => s.roles),
        [['admin']],
      );
    } finally {
      ROLES['ada.auditor'] = ['auditor', 'not-a-vow-role'];
      await page.close();
    }
  });

  it('refuses a user whose roles claim grants no Vow role, with a page saying so', async () => {
    const page = await browser.newPage();
    try {
      await signInAt(page, 'nora.norole');
      const refused = page.getByTestId('sso-refused');
      assert.equal(await refused.getAttribute('data-reason'), 'no_roles');
      assert.match((await refused.textContent()) ?? '', /no Vow staff role/);
      const staff = await env.services.identity.staff.list();
      assert.ok(!staff.some((s) => s.username === 'nora.norole'), 'no account is created');
      const console = await page.goto(`${VOW}/staff`);
      assert.ok(page.url().startsWith(`${VOW}/staff/login`), `${console?.status()} ${page.url()}`);
    } finally {
      await page.close();
    }
  });

  it('audits every single sign-on log-in, accepted or refused, with the reason', async () => {
    const audit = await ssoAudit(env);
    const reasons = audit.filter((a) => a.action === 'staff.sso.refused').map((a) => a.details.reason);
    assert.deepEqual(reasons, ['no_roles'], JSON.stringify(audit));
    const ok = audit.filter((a) => a.action === 'staff.sso.login');
    assert.deepEqual(
      ok.map((a) => a.details.roles),
      [['auditor'], ['admin']],
    );
    assert.equal(ok[0]!.details.issuer, ISSUER);
  });
});

describeEachDialect(
  'staff single sign-on only (VOW_OIDC_ONLY=on)',
  (env) => {
    it('hides the password form and refuses password log-ins with a stable code', async () => {
      const page = await env().app.inject({ url: '/staff/login' });
      assert.match(page.body, /Sign in with single sign-on/);
      assert.doesNotMatch(page.body, /action="\/staff\/login"/);
      await env().services.identity.staff.add('pat.password', ['admin'], null);
      for (const url of ['/staff/login', '/v1/staff/tokens']) {
        const res = await env().app.inject({
          method: 'POST',
          url,
          payload: { username: 'pat.password', password: 'whatever it was' },
        });
        assert.equal(res.statusCode, 403, url);
        assert.equal(res.json().error.code, 'VOW_PASSWORD_LOGIN_DISABLED', url);
      }
    });
  },
  { config: testConfig({ ...SSO, VOW_OIDC_ONLY: 'on' }), auth: 'enforced', rateLimits: false },
);
