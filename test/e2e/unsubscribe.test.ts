import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { SHOPPER_PASSWORD, serviceCaller, shopperCaller } from '../helpers/auth.js';
import { launchChromium, pageErrors, SKIP_BROWSER, servedVowForSuite } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

describe('one-click unsubscribe page in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const served = servedVowForSuite();

  it('opening the link changes nothing; the button unsubscribes, without any cookie', async () => {
    const { app, services } = served.env;
    const entry = await app.inject({
      method: 'POST',
      url: '/v1/contest-entries',
      payload: { email: 'e2e@example.com' },
    });
    const subjectId = entry.json().subjectId as string;
    const rendered = await app.inject({
      method: 'POST',
      url: '/v1/emails/render',
      payload: { subjectId, subject: 'Spring', text: 'New rings.' },
    });
    const path = new URL(rendered.json().unsubscribeUrl as string).pathname;

    const context = await served.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${served.baseUrl}${path}`);
    assert.equal((await services.consent.states(subjectId)).email_marketing, 'enrolled');
    await page.getByTestId('unsubscribe-button').click();
    await page.getByTestId('unsubscribe-status').waitFor();
    assert.match((await page.locator('h1').textContent()) ?? '', /You are unsubscribed/);
    assert.equal((await services.consent.states(subjectId)).email_marketing, 'withdrawn');
    assert.deepEqual(await context.cookies(), []);
    // reloading the link shows the state, still without a second event
    await page.goto(`${served.baseUrl}${path}`);
    assert.match((await page.locator('h1').textContent()) ?? '', /already unsubscribed/);
    const unsubscribes = (await services.consent.history(subjectId)).filter(
      (e) => e.event === 'unsubscribed',
    );
    assert.equal(unsubscribes.length, 1);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('one-click unsubscribe page in Chromium, signed in as a shopper', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  // Access control enforced, as in production: a page sees a shopper's session only then.
  let served: { env: TestEnv & { close: () => Promise<void> }; baseUrl: string; browser: Browser };
  before(async () => {
    const env = await createTestEnv('sqlite', { auth: 'enforced', rateLimits: false });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = env.app.server.address() as AddressInfo;
    served = { env, baseUrl: `http://127.0.0.1:${port}`, browser: await launchChromium() };
  });
  after(async () => {
    await served?.browser.close();
    await served?.env.close();
  });

  it("the page's own button redirects to a page that sees the session; the unsubscribe happens once (security item 22)", async () => {
    const { app, services } = served.env;
    const email = 'signed.in.unsubscribe@example.com';
    // The shopper has an account and is signed in through the login form, in this browser.
    await shopperCaller(served.env, email);
    const { headers } = await serviceCaller(served.env);
    const entry = await app.inject({
      method: 'POST',
      url: '/v1/contest-entries',
      headers,
      payload: { email },
    });
    const subjectId = entry.json().subjectId as string;
    const rendered = await app.inject({
      method: 'POST',
      url: '/v1/emails/render',
      headers,
      payload: { subjectId, subject: 'Spring', text: 'New rings.' },
    });
    const path = new URL(rendered.json().unsubscribeUrl as string).pathname;
    const context = await served.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${served.baseUrl}/login`);
    await page.fill('#email', email);
    await page.fill('#password', SHOPPER_PASSWORD);
    await Promise.all([page.waitForURL(/\/account\/my-data/), page.click('form[action="/login"] button')]);
    const signedIn = async () => {
      const header = page.locator('header nav');
      return {
        myData: await header.locator('a[href="/account/my-data"]').count(),
        logIn: await header.locator('a[href="/login"]').count(),
      };
    };

    await page.goto(`${served.baseUrl}${path}`);
    assert.deepEqual(await signedIn(), { myData: 1, logIn: 0 }, 'the link opened signed in');
    assert.equal((await services.consent.states(subjectId)).email_marketing, 'enrolled');
    // The button's post never sees the session; its answer is a redirect to the page's GET, which does.
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    await Promise.all([
      page.waitForURL((u) => u.pathname === path && u.searchParams.get('done') === '1'),
      page.getByTestId('unsubscribe-button').click(),
    ]);
    assert.deepEqual(posts, [path], 'one post, to the link itself');
    assert.match((await page.locator('h1').textContent()) ?? '', /You are unsubscribed/);
    assert.ok(await page.getByTestId('unsubscribe-status').isVisible());
    assert.deepEqual(await signedIn(), { myData: 1, logIn: 0 }, 'the confirmation is shown signed in');
    assert.equal((await services.consent.states(subjectId)).email_marketing, 'withdrawn');
    // Reloading the confirmation (a GET) and going back to the link post nothing again.
    await page.reload();
    assert.match((await page.locator('h1').textContent()) ?? '', /unsubscribed/);
    await page.goto(`${served.baseUrl}${path}`);
    assert.match((await page.locator('h1').textContent()) ?? '', /already unsubscribed/);
    assert.equal(await page.getByTestId('unsubscribe-button').count(), 0, 'no second button');
    assert.deepEqual(posts, [path]);
    const unsubscribes = (await services.consent.history(subjectId)).filter(
      (e) => e.event === 'unsubscribed',
    );
    assert.equal(unsubscribes.length, 1, 'unsubscribed once');
    // Still signed in: My data opens.
    await page.goto(`${served.baseUrl}/account/my-data`);
    assert.match(new URL(page.url()).pathname, /\/account\/my-data/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
