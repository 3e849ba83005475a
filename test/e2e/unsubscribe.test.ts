import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SKIP_BROWSER, startServedVow } from '../helpers/browser.js';

describe('one-click unsubscribe page in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let served: Awaited<ReturnType<typeof startServedVow>>;
  before(async () => {
    served = await startServedVow();
  });
  after(async () => {
    await served?.close();
  });

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
