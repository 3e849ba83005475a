// The staff console over https in Chromium (security.md, "__Host- cookies"): Vow behind a loopback
// TLS proxy (as in production, where a proxy ends TLS), its public address https. The log-in form
// leaves the browser holding `__Host-vow_staff` (Secure, Path=/, host-only) and no plain cookie; a
// browser holding an attacker's live session under the plain name `vow_staff` (what a sibling
// subdomain can plant) is not signed in; the console's forms (their anti-forgery token) and its
// log-out work, and log-out removes the cookie from the browser.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv, testConfig } from '../helpers/env.js';

const PASSWORD = 'a long console passphrase';

/** A self-signed certificate for 127.0.0.1, made for this run in a temporary directory. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-tls-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1']
        .concat(['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'])
        .concat(['-keyout', key, '-out', cert]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An https proxy on loopback forwarding to `upstream()` (an http port), as a TLS-ending proxy does. */
function tlsProxy(upstream: () => number): Server {
  return createServer(selfSigned(), (req, res) => {
    const out = httpRequest(
      { host: '127.0.0.1', port: upstream(), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
}

describe('the staff console over https in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let env: (TestEnv & { close: () => Promise<void> }) | undefined;
  let browser: Browser | undefined;
  let proxy: Server | undefined;
  let base = '';

  before(async () => {
    let vowPort = 0;
    proxy = tlsProxy(() => vowPort);
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    env = await createTestEnv('sqlite', {
      auth: 'enforced',
      rateLimits: false,
      config: testConfig({ VOW_PUBLIC_URL: base }),
    });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    vowPort = (env.app.server.address() as AddressInfo).port;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await env?.close();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  });

  async function addStaff(username: string): Promise<void> {
    const { staff } = env!.services.identity;
    const { id, password } = await staff.add(username, ['auditor'], null);
    await staff.changePassword(id, password, PASSWORD);
  }

  it('logs in with a __Host- cookie only, works the console, and logs out', async () => {
    await addStaff('tls.ann');
    const context = await browser!.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/staff/login`);
      await page.getByLabel('User name').fill('tls.ann');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Staff console' }).waitFor();
      const held = await context.cookies(base);
      const session = held.find((c) => c.name === '__Host-vow_staff');
      assert.ok(
        session,
        `the browser kept __Host-vow_staff (it holds: ${held.map((c) => c.name).join(', ')})`,
      );
      assert.equal(session.secure, true);
      assert.equal(session.path, '/');
      assert.equal(session.httpOnly, true);
      assert.ok(!held.some((c) => c.name === 'vow_staff'), 'no plain vow_staff');
      // A console form (its anti-forgery token comes from the __Host- session): log out.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(`${base}/staff/login`);
      assert.ok(
        !(await context.cookies(base)).some((c) => c.name === '__Host-vow_staff'),
        'the cookie is gone',
      );
      await page.goto(`${base}/staff`);
      assert.equal(new URL(page.url()).pathname, '/staff/login', 'signed out');
    } finally {
      await context.close();
    }
  });

  it('does not sign in a browser holding an attacker session under the plain name', async () => {
    await addStaff('tls.mallory');
    const { token } = await env!.services.identity.staff.login(
      { username: 'tls.mallory', password: PASSWORD },
      'cookie',
      '203.0.113.7',
    );
    const context = await browser!.newContext({ ignoreHTTPSErrors: true });
    try {
      // What a page on a sibling subdomain can leave for Vow's host: a plain-named cookie.
      await context.addCookies([{ name: 'vow_staff', value: encodeURIComponent(token), url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/staff`);
      assert.equal(new URL(page.url()).pathname, '/staff/login', 'the planted session is ignored');
      const me = await page.evaluate(async () => (await fetch('/v1/staff/me')).status);
      assert.equal(me, 401);
    } finally {
      await context.close();
    }
  });
});
