// Four eyes on staff verifications, in Chromium as staff use them: a customer-service agent
// verifies a letter's deletion by three details and the declaration (a refused try keeps what was
// typed), the request then waits; a privacy officer, at 1280 px and on a 390 px phone, finds it
// through the queue's count, sees who verified and what matched, and approves it through its
// red confirmation; the deletion then runs. The agent is told who must act and gets no Approve.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { serviceCaller } from '../helpers/auth.js';
import { axeViolations, horizontalOverflow } from '../helpers/axe-check.js';
import { consoleInChromium, SKIP_BROWSER } from '../helpers/browser.js';

const RED = 'rgb(164, 22, 26)';

describe('four eyes on staff verifications in the console', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });
  const buyers = [orderBody('FOUR1'), orderBody('FOUR2')].map((b) => b.buyer);
  const requests: string[] = [];

  before(async () => {
    const service = await serviceCaller(at.env);
    for (const [i, buyer] of buyers.entries()) {
      const res = await at.env.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: { ...orderBody(`FOUR${i + 1}`), buyer },
      });
      assert.equal(res.statusCode, 201, res.body);
      requests.push(
        (
          await at.env.services.rights.submit(
            { type: 'deletion', jurisdiction: 'us-ca', name: buyer.name },
            { channel: 'postal', staffId: 'setup', receivedOn: '2026-01-15' },
          )
        ).requestId,
      );
    }
  });

  const held = async (email: string) => (await at.env.services.subjects.findByEmail(email)) !== undefined;

  it('keeps what the agent typed when too few details match, then waits for a privacy officer', async () => {
    const agent = await at.logIn('cass', ['customer_service']);
    for (const [i, rid] of requests.entries()) {
      const b = buyers[i]!;
      await agent.goto(`${at.base}/staff/requests/${rid}`);
      const form = agent.locator('form[data-action=verify_data_points]');
      // One detail only: refused, and the form comes back as it was typed.
      await form.getByLabel('Phone').fill(b.phone);
      await form.getByLabel('The person signed a declaration').check();
      await form.getByRole('button').click();
      await agent.getByTestId('confirm-button').click();
      await agent.locator('.flash.bad').waitFor();
      assert.match(
        (await agent.locator('.flash.bad').textContent()) ?? '',
        /1 of the details you typed matches/,
      );
      assert.equal(await form.getByLabel('Phone').inputValue(), b.phone, 'the phone is still there');
      assert.equal(await form.getByLabel('The person signed a declaration').isChecked(), true);
      // The rest added to what was kept.
      await form.getByLabel('Email').fill(b.email);
      await form.getByLabel('Street address').fill(b.billing_address.line1);
      await form.getByLabel('City').fill(b.billing_address.city);
      await form.getByLabel('State or region (optional)').fill(b.billing_address.region);
      await form.getByLabel('ZIP or postal code').fill(b.billing_address.postal_code);
      await form.getByLabel('Country (two letters, such as US)').fill('US');
      await form.getByRole('button').click();
      assert.match(
        (await agent.getByTestId('confirmation').textContent()) ?? '',
        /waits for a privacy officer other than you to approve it; only then is anything deleted/,
      );
      assert.equal(await agent.getByTestId('confirm-button').textContent(), 'Verify and ask for approval');
      await Promise.all([
        agent.waitForURL(new RegExp(`/staff/requests/${rid}\\?done=verify_pending$`)),
        agent.getByTestId('confirm-button').click(),
      ]);
      assert.equal(await agent.getByTestId('staff-request-status').textContent(), 'Verification to approve');
      assert.match((await agent.getByTestId('pending-who').textContent()) ?? '', /You verified it/);
      assert.equal(await agent.locator('form[data-action=approve_verification]').count(), 0);
    }
    // The queue tells the agent who must act, and that nothing more is theirs to do.
    await agent.goto(`${at.base}/staff/requests`);
    assert.match(
      (await agent.getByTestId('approvals-who').textContent()) ?? '',
      /^Only a privacy officer can approve or reject them, never the person who verified: .*you need not do anything more\.$/,
    );
    await at.env.services.jobs.drain();
    for (const b of buyers) assert.ok(await held(b.email), 'nothing deleted by the agent alone');
  });

  for (const [i, width] of [1280, 390].entries())
    it(`lets an independent privacy officer find and approve it at ${width} px`, async () => {
      const rid = requests[i]!;
      const officer = await at.logIn(`olivia${width}`, ['privacy_officer'], width);
      await officer.goto(`${at.base}/staff/requests`);
      const waiting = officer.getByTestId('approvals-waiting');
      assert.equal(await officer.getByTestId('approvals-who').count(), 0, 'the officer is the one to act');
      assert.match(
        (await waiting.textContent()) ?? '',
        new RegExp(`${2 - i} verifications? waits? for a privacy officer's approval`),
      );
      await Promise.all([officer.waitForURL(/approval=yes$/), waiting.getByRole('link').click()]);
      assert.deepEqual(
        await officer
          .locator('tr[data-request]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-request'))),
        requests.slice(i),
        'only the requests waiting for approval',
      );
      if (width === 390) assert.equal(await horizontalOverflow(officer), 0, 'the queue on a phone');
      await officer.goto(`${at.base}/staff/requests/${rid}`);
      const pending = officer.getByTestId('pending-verification');
      assert.match(
        (await pending.textContent()) ?? '',
        /cass verified the person on .* by staff, three matching details/,
      );
      assert.equal(
        await officer.getByTestId('pending-matched').textContent(),
        'email address, phone number, postal address',
      );
      assert.deepEqual(await axeViolations(officer), [], `the request page at ${width}px`);
      if (width === 390) assert.equal(await horizontalOverflow(officer), 0, 'the request page on a phone');
      const approve = officer.locator('form[data-action=approve_verification] button');
      assert.equal(await approve.textContent(), 'Approve and delete…');
      assert.equal(await approve.evaluate((b) => getComputedStyle(b).backgroundColor), RED);
      // Reject, the lesser choice beside it, is outlined red, not a second solid red button.
      const reject = officer.locator('form[data-action=reject_verification] button');
      assert.notEqual(await reject.evaluate((b) => getComputedStyle(b).backgroundColor), RED);
      assert.equal(await reject.evaluate((b) => getComputedStyle(b).borderTopColor), RED);
      // The facts say who verified and that the approval is awaited, not merely "not yet".
      assert.match(
        (await officer.locator('dt:text-is("Verified") + dd').textContent()) ?? '',
        /^not yet: cass verified the person on \d{4}-\d{2}-\d{2}, waiting for a privacy officer's approval$/,
      );
      await approve.click();
      const confirmation = officer.getByTestId('confirmation');
      await confirmation.waitFor();
      assert.match((await confirmation.textContent()) ?? '', /everything held about the person is deleted/);
      assert.deepEqual(await axeViolations(officer), [], `the confirmation at ${width}px`);
      if (width === 390) assert.equal(await horizontalOverflow(officer), 0, 'the confirmation on a phone');
      assert.ok(await held(buyers[i]!.email), 'nothing deleted before the confirmation');
      await Promise.all([
        officer.waitForURL(new RegExp(`/staff/requests/${rid}\\?done=approve_verification$`)),
        officer.getByTestId('confirm-button').click(),
      ]);
      assert.match((await officer.locator('.flash.ok').textContent()) ?? '', /Verification approved/);
      await at.env.services.jobs.drain();
      assert.equal(await held(buyers[i]!.email), false, 'deleted once approved');
      await officer.reload();
      assert.equal(await officer.getByTestId('staff-request-status').textContent(), 'Answered');
      assert.match(
        (await officer.getByTestId('request-timeline').textContent()) ?? '',
        new RegExp(
          `Identity verified by staff, waiting for approval — cass[\\s\\S]*Verification approved — olivia${width}`,
        ),
      );
    });
});
