// The staff console in Chromium as staff use it: axe-core finds no violation on any console page
// for any role (error pages and confirmation steps included), no page scrolls sideways at 390 px,
// the queue finds closed and postal requests, every irreversible action goes through its
// confirmation step (clicked here), answers with a redirect (a reload does not act twice), and a
// staff action works by keyboard alone. Staff see HTML error pages with a way back, and a fresh
// admin is told what to do.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { address, catalogBody, orderBody } from '../collection/fixtures.js';
import { serviceCaller } from '../helpers/auth.js';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, SKIP_BROWSER } from '../helpers/browser.js';
import { fixture } from '../imports/fixtures.js';

/** vow.css's --accent (the primary buttons) and --bad (red: deleting, refusing, taking away). */
const BLUE = 'rgb(11, 92, 173)';
const RED = 'rgb(164, 22, 26)';
const WHITE = 'rgb(255, 255, 255)';

/** The people the tests act on: an order's buyer (email and phone match for verification). */
const BUYERS = ['agent', 'corr', 'verify', 'restrict', 'u13', 'deny'].map((k, i) => ({
  key: k,
  email: `ux.${k}@example.com`,
  phone: `(608) 265-30${String(10 + i)}`,
}));

describe('the staff console for people who use it', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });
  const { logIn } = at;
  const requests: Record<string, string> = {};
  let complaintId = '';
  let importRun = '';

  /** Three details and the declaration; what needs a second person is approved by another one. */
  const verify = async (rid: string, i: number) => {
    const v = await at.env.services.rights.verifyByDataPoints(
      rid,
      { email: BUYERS[i]!.email, phone: BUYERS[i]!.phone, address: address(`UX${i} Billing Street`) },
      true,
      'ux-setup',
    );
    if (v.pendingApproval) await at.env.services.rights.approveVerification(rid, 'ux-approver');
  };

  before(async () => {
    const service = await serviceCaller(at.env);
    for (const [i, b] of BUYERS.entries()) {
      const body = orderBody(`UX${i}`);
      const res = await at.env.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: { ...body, buyer: { ...body.buyer, email: b.email, phone: b.phone } },
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const cat = await at.env.app.inject({
      method: 'POST',
      url: '/v1/catalog-requests',
      headers: service.writeHeaders,
      payload: catalogBody('UX'),
    });
    assert.equal(cat.statusCode, 201, cat.body);
    const { rights, complaints } = at.env.services;
    const web = { channel: 'web' as const };
    requests.agent = (
      await rights.submit(
        {
          type: 'access',
          jurisdiction: 'us-ca',
          email: BUYERS[0]!.email,
          agent: { name: 'Acme Privacy Agents', permission: 'Signed authorisation dated 2026-01-10' },
        },
        web,
      )
    ).requestId;
    await verify(requests.agent, 0);
    requests.corr = (
      await rights.submit(
        {
          type: 'correction',
          jurisdiction: 'eea',
          email: BUYERS[1]!.email,
          correction: { category: 'identity.name', value: 'Ann Corrected' },
        },
        web,
      )
    ).requestId;
    await verify(requests.corr, 1);
    requests.verify = (
      await rights.submit({ type: 'access', jurisdiction: 'eea', email: BUYERS[2]!.email }, web)
    ).requestId;
    requests.restrict = (
      await rights.submit(
        { type: 'restriction', jurisdiction: 'eea', email: BUYERS[3]!.email, purposes: ['marketing'] },
        web,
      )
    ).requestId;
    await verify(requests.restrict, 3);
    requests.deny = (
      await rights.submit({ type: 'deletion', jurisdiction: 'eea', email: BUYERS[5]!.email }, web)
    ).requestId;
    // A postal request without an email, answered long ago (closed): still reachable.
    requests.postal = (
      await rights.submit(
        { type: 'access', jurisdiction: 'uk', name: 'Percy Postal' },
        { channel: 'postal', staffId: 'ux-setup', receivedOn: '2026-01-02' },
      )
    ).requestId;
    await rights.deny(requests.postal, 'Identity could not be verified after two letters', 'ux-setup');
    await at.env.services.jobs.drain();
    complaintId = (
      await complaints.submit(
        { jurisdiction: 'eea', email: BUYERS[5]!.email, message: 'You kept mailing me.' },
        { channel: 'web' },
      )
    ).view.id;
    // An import with refused rows, for the imports pages.
    importRun = (
      await at.env.services.imports.run({
        file: fixture('shopify-customers.csv'),
        format: 'shopify-customers',
      })
    ).runId!;
    await at.env.services.promises.monitor.check();
  });

  it('finds closed requests, a postal request without email, and searches by name, email and id', async () => {
    const page = await logIn('quinn', ['customer_service']);
    await page.goto(`${at.base}/staff/requests`);
    assert.equal(await page.locator(`tr[data-request="${requests.postal}"]`).count(), 0, 'closed: not open');
    await page.getByLabel('Show').selectOption('closed');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator(`tr[data-request="${requests.postal}"]`);
    assert.match((await row.textContent()) ?? '', /Percy Postal[\s\S]*Refused/);
    const search = async (q: string, show = 'all') => {
      await page.goto(`${at.base}/staff/requests`);
      await page.getByLabel('Show').selectOption(show);
      await page.getByLabel('Search email, name or request id').fill(q);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByTestId('queue-count').waitFor();
      assert.equal(new URL(page.url()).search, '', 'nothing typed reaches the address');
    };
    for (const q of ['percy', requests.postal!.slice(0, 8)]) {
      await search(q);
      assert.equal(await page.locator('[data-testid=request-queue] tbody tr').count(), 1, q);
    }
    await search('ux.deny@example.com', 'open');
    assert.match((await page.getByTestId('request-queue').textContent()) ?? '', /ux\.deny@example\.com/);
    await page.goto(`${at.base}/staff/requests?law=ccpa`);
    const laws = await page.locator('[data-testid=request-queue] tbody tr').allTextContents();
    assert.ok(laws.length >= 1 && laws.every((t) => /CCPA/.test(t)));
    await page.goto(`${at.base}/staff/requests/${requests.postal}`);
    // How it came, in words: "by post", where the page read "by postal".
    assert.match(
      (await page.locator('dl.facts').textContent()) ?? '',
      /no email \(by post\)[\s\S]*Received2026-01-02 by post\b/,
    );
    const timeline = (await page.getByTestId('request-timeline').textContent()) ?? '';
    assert.match(timeline, /Request received[\s\S]*Request refused/);
    assert.doesNotMatch(timeline, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no UUIDs in the timeline');
    assert.match(timeline, /Request opened by staff — quinn/, 'staff by name');
  });

  it('clicks the confirmation of every irreversible request action; each redirects after the post', async () => {
    const page = await logIn('olga', ['privacy_officer']);
    // Red only where the click takes something away (a refusal, a deletion, a lifted restriction);
    // approving, extending and confirming are the primary blue, on the action and its confirmation.
    const expectColour = async (button: Locator, colour: string, what: string) =>
      assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), colour, what);
    await page.goto(`${at.base}/staff/requests/${requests.verify}`);
    await expectColour(page.locator('form[data-action=extend] button'), BLUE, 'Extend…');
    await expectColour(page.locator('form[data-action=deny] button'), RED, 'Refuse…');
    // Verifying a deletion request starts nothing (a privacy officer's approval of it does): blue.
    await page.goto(`${at.base}/staff/requests/${requests.deny}`);
    await expectColour(
      page.locator('form[data-action=verify_data_points] button'),
      BLUE,
      'Verify… (deletion)',
    );
    const act = async (
      rid: string,
      action: string,
      fill: [string, string] | undefined,
      done: RegExp,
      colour: string,
    ) => {
      await page.goto(`${at.base}/staff/requests/${rid}`);
      const form = page.locator(`form[data-action=${action}]`);
      if (fill) await form.locator(`[name=${fill[0]}]`).fill(fill[1]);
      await expectColour(form.getByRole('button'), colour, `the ${action} button`);
      await form.getByRole('button').click();
      await page.getByTestId('confirmation').waitFor();
      await expectColour(page.getByTestId('confirm-button'), colour, `the ${action} confirmation`);
      const text = (await page.getByTestId('confirmation').textContent()) ?? '';
      assert.match(text, /What will happen[\s\S]*What cannot be undone/, action);
      assert.deepEqual(await axeViolations(page), [], `confirmation of ${action}`);
      await Promise.all([
        page.waitForURL(new RegExp(`/staff/requests/${rid}\\?done=${action}$`)),
        page.getByTestId('confirm-button').click(),
      ]);
      assert.match((await page.locator('.flash.ok').textContent()) ?? '', done, action);
      // A reload shows the page again; it does not post again.
      const reload = await page.reload();
      assert.equal(reload?.request().method(), 'GET');
    };
    await act(requests.agent!, 'confirm_agent', undefined, /agent's permission is confirmed/, BLUE);
    // What the person asks to correct, in the policy's words (its id beside them).
    await page.goto(`${at.base}/staff/requests/${requests.corr}`);
    assert.match(
      (await page.locator('dl.facts').textContent()) ?? '',
      /Correction\s*First and last name \(identity\.name\) → Ann Corrected/,
    );
    await act(requests.corr!, 'approve_correction', undefined, /Correction approved/, BLUE);
    await page.goto(`${at.base}/staff/requests/${requests.verify}`);
    await page.locator('#v-email').fill(BUYERS[2]!.email);
    await page.locator('#v-phone').fill(BUYERS[2]!.phone);
    await expectColour(page.locator('form[data-action=verify_data_points] button'), BLUE, 'Verify…');
    await page.locator('form[data-action=verify_data_points] button').click();
    await page.getByTestId('confirmation').waitFor();
    await expectColour(page.getByTestId('confirm-button'), BLUE, 'Verify and start fulfilment');
    await Promise.all([
      page.waitForURL(/\?done=verify_data_points$/),
      page.getByTestId('confirm-button').click(),
    ]);
    await act(
      requests.deny!,
      'deny',
      ['basis', 'Art. 17(3)(b): a legal obligation to keep it'],
      /refused/,
      RED,
    );
    assert.equal(await page.getByTestId('staff-request-status').textContent(), 'Refused');
    await at.env.services.jobs.drain();
    await act(
      requests.restrict!,
      'lift',
      ['reason', 'The accuracy check is over'],
      /restriction is lifted/,
      RED,
    );
    // The complaint's close, confirmed.
    await page.goto(`${at.base}/staff/complaints/${complaintId}`);
    await expectColour(page.locator('form[data-action=close] button'), BLUE, 'Close…');
    await page.locator('form[data-action=close] button').click();
    await page.getByTestId('confirmation').waitFor();
    await expectColour(page.getByTestId('confirm-button'), BLUE, 'Close the complaint');
    await Promise.all([page.waitForURL(/\?done=close$/), page.getByTestId('confirm-button').click()]);
    assert.equal(await page.getByTestId('complaint-status').textContent(), 'Closed');
  });

  it('reports a person as under 13 and approves it, each through its confirmation', async () => {
    const agent = await logIn('uma', ['customer_service']);
    await agent.goto(`${at.base}/staff/people`);
    await agent.getByLabel('Email').fill(BUYERS[4]!.email);
    await agent.getByRole('button', { name: 'Find' }).click();
    assert.match((await agent.getByTestId('person-name').textContent()) ?? '', /Ann Buyer UX4/);
    await agent.locator('#under13-reason').fill('The person said so on the phone');
    // Reporting deletes nothing (approving does): blue; approving is red, rejecting red outlined.
    const colours = (b: Locator) =>
      b.evaluate((e) => `${getComputedStyle(e).backgroundColor} ${getComputedStyle(e).color}`);
    assert.equal(await colours(agent.locator('[data-testid=under13-form] button')), `${BLUE} ${WHITE}`);
    await agent.locator('[data-testid=under13-form] button').click();
    await agent.getByTestId('confirmation').waitFor();
    assert.equal(await colours(agent.getByTestId('confirm-button')), `${BLUE} ${WHITE}`);
    await agent.getByTestId('confirm-button').click();
    await agent.getByTestId('under13-proposed').waitFor();
    const officer = await logIn('oscar', ['privacy_officer']);
    await officer.goto(`${at.base}/staff/under13`);
    assert.match((await officer.getByTestId('under13-proposals').textContent()) ?? '', /uma/);
    assert.equal(await colours(officer.getByRole('button', { name: 'Reject…' })), `${WHITE} ${RED}`);
    assert.equal(
      await colours(officer.getByRole('button', { name: /Approve and delete/ })),
      `${RED} ${WHITE}`,
    );
    await officer.getByRole('button', { name: /Approve and delete/ }).click();
    await officer.getByTestId('confirmation').waitFor();
    assert.equal(await colours(officer.getByTestId('confirm-button')), `${RED} ${WHITE}`);
    await Promise.all([
      officer.waitForURL(/\/staff\/under13\?done=approve$/),
      officer.getByTestId('confirm-button').click(),
    ]);
    assert.match((await officer.locator('.flash.ok').textContent()) ?? '', /Approved/);
  });

  it('decides an appeal through its confirmation, and says why with the error code when it is already decided', async () => {
    const filed = await at.env.services.rights.submit(
      { type: 'access', jurisdiction: 'us-va', email: 'appeal@example.com' },
      { channel: 'web' },
    );
    await at.env.services.rights.deny(filed.requestId, 'Identity could not be verified', 'ux-setup');
    const appeal = await at.env.services.rights.fileAppeal(filed.statusToken, 'I sent my ID twice');
    const page = await logIn('ada-appeals', ['privacy_officer']);
    const other = await (
      await at.newContext({ storageState: await page.context().storageState() })
    ).newPage();
    for (const p of [page, other]) {
      await p.goto(`${at.base}/staff/appeals`);
      const row = p.getByTestId('appeals').locator('tr', { has: p.locator(`#reasons-${appeal.id}`) });
      assert.doesNotMatch((await row.textContent()) ?? '', /ux-setup/, 'who refused, by name, never an id');
      await p.locator(`#reasons-${appeal.id}`).fill('The identity documents do not match the account');
      await p.getByRole('button', { name: 'Uphold the refusal…' }).click();
      await p.getByTestId('confirmation').waitFor();
    }
    assert.equal(
      await page.getByTestId('confirm-button').evaluate((b) => getComputedStyle(b).backgroundColor),
      RED,
      'upholding a refusal is red',
    );
    assert.equal((await at.env.services.rights.appeals()).find((a) => a.id === appeal.id)?.status, 'open');
    await Promise.all([
      page.waitForURL(/\/staff\/appeals\?done=upheld$/),
      page.getByTestId('confirm-button').click(),
    ]);
    assert.match((await page.locator('.flash.ok').textContent()) ?? '', /Upheld/);
    assert.equal((await page.reload())?.request().method(), 'GET', 'a reload decides nothing');
    // A colleague confirms the same appeal a moment later: refused, the code said.
    const [late] = await Promise.all([
      other.waitForResponse((r) => r.url().endsWith('/staff/appeals/decide')),
      other.getByTestId('confirm-button').click(),
    ]);
    assert.equal(late.status(), 409);
    const flash = other.locator('.flash.bad');
    assert.equal(await flash.getAttribute('data-code'), 'VOW_APPEAL_STATE');
    assert.match((await flash.textContent()) ?? '', /^Not done: .+ \(error code VOW_APPEAL_STATE\)$/);
    assert.deepEqual(await axeViolations(other), [], 'a refusal with its code');
  });

  it('refuses a request by keyboard alone', async () => {
    const page = await logIn('kim', ['privacy_officer']);
    const rid = (
      await at.env.services.rights.submit(
        { type: 'access', jurisdiction: 'eea', email: 'keyboard@example.com' },
        { channel: 'web' },
      )
    ).requestId;
    await page.goto(`${at.base}/staff/requests/${rid}`);
    const tabTo = async (ok: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 80; i++) {
        if (await ok()) return;
        await page.keyboard.press('Tab');
      }
      assert.fail(`Tab never reached ${what}`);
    };
    await tabTo(() => page.evaluate(() => document.activeElement?.id === 'd-basis'), 'the legal basis');
    await page.keyboard.type('Manifestly unfounded: the fifth identical request this month');
    await page.keyboard.press('Enter');
    await page.getByTestId('confirmation').waitFor();
    await tabTo(
      () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'confirm-button'),
      'the confirm button',
    );
    await Promise.all([page.waitForURL(/\?done=deny$/), page.keyboard.press('Enter')]);
    assert.equal(await page.getByTestId('staff-request-status').textContent(), 'Refused');
  });

  it('gives browsers HTML error pages with a way back, and a fresh admin a hint instead of JSON', async () => {
    const admin = await logIn('ada', ['admin']);
    assert.match((await admin.getByTestId('first-admin-hint').textContent()) ?? '', /Staff accounts/);
    const denied = await admin.goto(`${at.base}/staff/requests`);
    assert.equal(denied?.status(), 403);
    assert.match(denied?.headers()['content-type'] ?? '', /text\/html/);
    assert.equal(await admin.getByTestId('console-error').getAttribute('data-code'), 'VOW_FORBIDDEN');
    assert.match((await admin.getByTestId('admin-hint').textContent()) ?? '', /Staff accounts/);
    assert.deepEqual(await axeViolations(admin), [], '403 page');
    const missing = await admin.goto(`${at.base}/staff/no-such-page`);
    assert.equal(missing?.status(), 404);
    await admin.getByRole('link', { name: 'Back to the console dashboard' }).waitFor();
    assert.equal(
      await admin.getByRole('navigation', { name: 'Main' }).getByRole('link').count(),
      7,
      'notice, dashboard, staff accounts, API keys, webhooks, imports, policy',
    );
    assert.deepEqual(await axeViolations(admin), [], '404 page');
    // API clients keep the JSON body.
    const api = await admin.request.get(`${at.base}/staff/requests`, {
      headers: { accept: 'application/json' },
    });
    assert.equal(api.status(), 403);
    assert.equal((await api.json()).error.code, 'VOW_FORBIDDEN');
  });

  it('has no axe violation and no sideways scrolling at 390 px on any console page, for each role', async () => {
    const roles = ['privacy_officer', 'customer_service', 'marketing', 'auditor', 'admin'];
    for (const [i, role] of roles.entries()) {
      for (const width of [1280, 390]) {
        const page = await logIn(`axe${i}w${width}`, [role], width);
        const menu = await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        const urls = [...menu.filter((u) => u.startsWith('/staff'))];
        if (menu.includes('/staff/requests'))
          urls.push(
            `/staff/requests/${requests.postal}`,
            `/staff/complaints/${complaintId}`,
            '/staff/log-request',
          );
        if (menu.includes('/staff/requests')) urls.push('/staff/requests?show=all');
        if (menu.includes('/staff/imports')) urls.push(`/staff/imports/${importRun}`);
        urls.push('/staff/password', '/staff/nowhere');
        for (const url of urls) {
          await page.goto(`${at.base}${url}`);
          assert.deepEqual(await axeViolations(page), [], `${role} ${url} at ${width}px`);
          if (width === 390)
            assert.equal(await sideways(page), 0, `${role} ${url} scrolls sideways at 390 px`);
          if (width === 390) {
            // One card per row on a phone, nothing to scroll sideways inside a list either (the link
            // to each request was in the third of six columns, mostly out of view); only the charts'
            // tables of figures, behind "The numbers as a table", may scroll in their box.
            const wide = await page
              .locator('.scroll:not(figure .scroll)')
              .evaluateAll((es) =>
                es.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.innerHTML.slice(0, 80)),
              );
            assert.deepEqual(wide, [], `${role} ${url}: a list wider than the phone`);
          }
          if (width === 1280 && url === '/staff/audit') {
            // The trail fits a desktop screen: an entry's details (a file's 64-character hash, ids)
            // wrap in their cell, where they pushed the Details column out of view.
            await at.env.ctx.audit.record({
              actor: { type: 'system' },
              action: 'import.completed',
              details: { file: 'customers_export.csv', sha256: 'ab'.repeat(32) },
            });
            await page.reload();
            const over = await page
              .getByTestId('audit-table')
              .evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
            assert.equal(over, 0, `${role}: the audit trail wider than its box at 1280 px`);
          }
        }
        if (menu.includes('/staff/people')) {
          await page.goto(`${at.base}/staff/people`);
          await page.getByLabel('Email').fill(BUYERS[5]!.email);
          await page.getByRole('button', { name: 'Find' }).click();
          await page.getByRole('heading', { name: 'Person', exact: true }).waitFor();
          assert.deepEqual(await axeViolations(page), [], `${role} person page at ${width}px`);
          if (width === 390) {
            assert.equal(await sideways(page), 0, `${role} person page at 390 px`);
            const wide = await page
              .locator('.scroll:not(figure .scroll)')
              .evaluateAll((es) =>
                es
                  .filter((e) => e.scrollWidth > e.clientWidth)
                  .map((e) => `${e.scrollWidth}/${e.clientWidth} ${e.innerHTML.slice(0, 120)}`),
              );
            assert.deepEqual(wide, [], `${role} person page: a list wider than the phone`);
          }
        }
      }
    }
  });
});
