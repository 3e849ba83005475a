// A group of browser files shares one Chromium (scripts/test-groups.js, test/helpers/share-chromium.ts):
// each file's launchChromium() is a loan that lists and closes only what the file opened, so one
// file's cookies never reach the next and closing "its" browser leaves the group's browser running.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { launchChromium, SKIP_BROWSER, shareChromium } from '../helpers/browser.js';

describe('one Chromium lent to the files of a group', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const closeShared = shareChromium();
  after(closeShared);

  it('lends the same browser, each loan with its own contexts, closed by its own close()', async () => {
    const first = await launchChromium();
    const second = await launchChromium();
    assert.equal(first.version(), second.version());
    const a = await first.newContext();
    const page = await second.newPage();
    await a.addCookies([{ name: 'kept', value: 'first', url: 'http://127.0.0.1/' }]);
    assert.deepEqual(first.contexts(), [a]);
    assert.deepEqual(second.contexts(), [page.context()]);
    assert.deepEqual(await page.context().cookies(), [], "the first loan's cookie is not the second's");

    await first.close();
    assert.deepEqual(first.contexts(), []);
    assert.ok(second.isConnected(), "closing one loan leaves the group's browser running");
    assert.equal(await page.evaluate(() => 1 + 1), 2, "the other loan's page still answers");

    const third = await launchChromium();
    const c = await third.newContext();
    assert.deepEqual(await c.cookies(), [], 'a later loan starts without cookies too');
    await second.close();
    await third.close();
    assert.ok(third.isConnected());
  });

  it('launches a new browser once the shared one is gone', async () => {
    const loan = await launchChromium();
    await closeShared();
    const next = await launchChromium();
    assert.ok(next.isConnected());
    assert.equal(loan.isConnected(), false);
    await next.close();
  });
});
