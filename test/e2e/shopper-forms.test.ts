// The shopper's pages as a shopper meets them in Chromium, phone and laptop: the page's heading
// keeps clear of the header; a status page lays out its facts as the other pages do; a form sent
// with a mistake comes back with what was typed, the mistake named in words next to its field, and
// focus on the error.
// One dialect (BROWSER_DIALECT, SQLite): what these pages do in Chromium does not depend on the
// database; what the server does with each form sent (every refusal, nothing stored, the code sent
// again) runs on every dialect without a browser in test/unit/form-refusals.test.ts and
// test/rights/code-resend.test.ts.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { serviceCaller, shopperCaller } from '../helpers/auth.js';
import { BROWSER_DIALECT, launchChromium, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { placeOrder } from '../helpers/shopper.js';

const dialect = BROWSER_DIALECT;
describe(`the shopper's forms and pages in Chromium [${dialect}]`, {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let browser: Browser;
  let base: string;

  before(async () => {
    env = await createTestEnv(dialect, { auth: 'enforced', rateLimits: false });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  /** A context of this size whose banner is answered (it covers nothing the test clicks). */
  async function shopper(width: number, height: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height }, hasTouch: width < 500 });
    const page = await context.newPage();
    await page.goto(`${base}/privacy`);
    await page.getByTestId('vow-reject').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    return { context, page };
  }

  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    it(`at ${width} px, every page's heading keeps clear of the header`, async () => {
      const { context, page } = await shopper(width, height);
      for (const path of ['/privacy', '/privacy/request', '/privacy/complaint', '/login', '/no-such-page']) {
        await page.goto(`${base}${path}`);
        const gap = await page.evaluate(
          () =>
            document.querySelector('main h1')!.getBoundingClientRect().top -
            document.querySelector('header.site')!.getBoundingClientRect().bottom,
        );
        assert.ok(gap >= 24, `${path}: the heading is ${gap} px below the header`);
      }
      await context.close();
    });
  }

  it("a request's status page sets out its facts as the other pages do: each term in bold, its value under it on a phone", async () => {
    const { context, page } = await shopper(390, 844);
    await page.goto(`${base}/privacy/request`);
    await page.selectOption('#jurisdiction', 'us-ca');
    await page.fill('#email', 'status.facts@example.com');
    await Promise.all([
      page.waitForURL(/\/privacy\/request\/status\//),
      page.click('[data-testid=request-form] button'),
    ]);
    const facts = await page.getByTestId('request-facts').evaluate((dl) => {
      const dt = dl.querySelector('dt')!;
      const dd = dl.querySelector('dd')!;
      return {
        weight: Number(getComputedStyle(dt).fontWeight),
        indent: dd.getBoundingClientRect().left - dt.getBoundingClientRect().left,
      };
    });
    assert.ok(facts.weight >= 600, `the term's weight is ${facts.weight}`);
    assert.equal(facts.indent, 0, 'the value is not indented under its term');
    await context.close();
  });

  /** The focused element's test id and the accessible description of a field (what a screen reader says after its label). */
  const focusedTestId = async (page: Page) => {
    // `autofocus` takes effect at a rendering update once the page's stylesheets are in: after the
    // load event and a frame (read at once, a loaded machine saw <body> focused now and then).
    await page.waitForLoadState('load');
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    return page.evaluate(
      () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName,
    );
  };
  const describedBy = (page: Page, selector: string) =>
    page.locator(selector).evaluate((e) =>
      (e.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );

  it('the request form sent with an address the browser lets through, or a correction without its value, comes back filled in, the mistake named at its field and focused', async () => {
    const { context, page } = await shopper(390, 844);
    await page.goto(`${base}/privacy/request`);
    await page.selectOption('#type', 'deletion');
    await page.selectOption('#jurisdiction', 'us-ca');
    await page.fill('#email', 'robin@example');
    await page.fill('#name', 'Robin Mistake');
    await page.fill('#details', 'Both of my accounts, please.');
    await page.click('[data-testid=request-form] button');
    await page.getByTestId('form-error').waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Make a privacy request');
    assert.equal(await focusedTestId(page), 'form-error', 'focus is on the message');
    assert.match(await describedBy(page, '#email'), /whole email address, like name@example\.com/);
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.inputValue('#email'), 'robin@example');
    assert.equal(await page.inputValue('#name'), 'Robin Mistake');
    assert.equal(await page.inputValue('#details'), 'Both of my accounts, please.');
    assert.equal(await page.inputValue('#type'), 'deletion');
    assert.equal(await page.inputValue('#jurisdiction'), 'us-ca');
    // The correction fields show only for a correction (CSS alone, no script).
    const corrections = page.getByTestId('corrections');
    assert.equal(await corrections.isVisible(), false, 'hidden for a deletion');
    // A correction with nothing to correct is named before the confirmation step, not after it.
    await page.selectOption('#type', 'correction');
    assert.equal(await corrections.isVisible(), true, 'shown for a correction');
    await page.fill('#email', 'robin@example.com');
    await page.fill('#correction_value', '5 Long Meadow Road');
    await page.click('[data-testid=request-form] button');
    await page.getByTestId('form-error').waitFor();
    assert.match(await describedBy(page, '#correction_category'), /choose what is wrong/);
    assert.equal(await page.inputValue('#correction_value'), '5 Long Meadow Road');
    assert.equal(await page.inputValue('#email'), 'robin@example.com');
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), null);
    assert.equal(
      await env.store.db
        .selectFrom('rights_requests')
        .select('id')
        .where('type', '=', 'correction')
        .execute()
        .then((r) => r.length),
      0,
      'nothing was sent',
    );
    await context.close();
  });

  it('the complaint form sent with a mistyped address, or only spaces, comes back filled in, the mistake named at its field and focused', async () => {
    const { context, page } = await shopper(1280, 800);
    await page.goto(`${base}/privacy/complaint`);
    await page.selectOption('#c-jurisdiction', 'us-ca');
    await page.fill('#c-email', 'robin@example');
    await page.fill('#c-message', 'You kept mailing me after I unsubscribed.');
    await page.click('[data-testid=complaint-form] button');
    await page.getByTestId('form-error').waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Make a privacy complaint');
    assert.equal(await focusedTestId(page), 'form-error');
    assert.match(await describedBy(page, '#c-email'), /whole email address/);
    assert.equal(await page.inputValue('#c-email'), 'robin@example');
    assert.equal(await page.inputValue('#c-message'), 'You kept mailing me after I unsubscribed.');
    assert.equal(await page.inputValue('#c-jurisdiction'), 'us-ca');
    await page.fill('#c-email', 'robin@example.com');
    await page.fill('#c-message', '   ');
    await page.click('[data-testid=complaint-form] button');
    await page.getByTestId('form-error').waitFor();
    assert.match(await describedBy(page, '#c-message'), /your complaint is empty/);
    assert.equal(await page.inputValue('#c-email'), 'robin@example.com');
    const complaints = await env.store.db.selectFrom('complaints').select('id').execute();
    assert.equal(complaints.length, 0, 'nothing was sent');
    await context.close();
  });

  it('logging in or signing up: the browser names an address without its ending at the field, and a refused log-in keeps the address typed, its message focused', async () => {
    const { context, page } = await shopper(390, 844);
    for (const path of ['/login', '/account/register', '/account/reset-request']) {
      await page.goto(`${base}${path}`);
      await page.fill('#email', 'robin@example');
      await page.fill('#password', 'a long enough password').catch(() => {});
      await page.click('main form button');
      // The browser's bubble: "Please match the requested format", then the field's title.
      const said = await page.locator('#email').evaluate((e) => ({
        mismatch: (e as HTMLInputElement).validity.patternMismatch,
        hint: e.getAttribute('title'),
      }));
      assert.deepEqual(
        said,
        { mismatch: true, hint: 'Your whole email address, like name@example.com' },
        `${path}: the browser says what is missing`,
      );
      assert.equal(new URL(page.url()).pathname, path, `${path}: nothing was sent`);
    }
    await page.goto(`${base}/login`);
    await page.fill('#email', 'robin.login@example.com');
    await page.fill('#password', 'not the right password');
    await page.click('main form button');
    await page.getByTestId('form-error').waitFor();
    assert.equal(await focusedTestId(page), 'form-error');
    assert.equal(await page.inputValue('#email'), 'robin.login@example.com');
    assert.equal(await page.inputValue('#password'), '', 'a password is never sent back');
    await context.close();
  });

  it('My data: a correction sent without what to correct comes back with what was chosen and typed, the mistake at its field and focused, before any confirmation', async () => {
    const service = await serviceCaller(env);
    const email = 'robin.mydata@example.com';
    await placeOrder(env, service.headers, { shopOrderId: 'SO-FORMS-1', name: 'Robin Forms', email });
    const { token } = await shopperCaller(env, email);
    const { context, page } = await shopper(390, 844);
    await context.addCookies([{ name: SESSION_COOKIE.shopper, value: encodeURIComponent(token), url: base }]);
    await page.goto(`${base}/account/my-data`);
    const corrections = page.getByTestId('corrections');
    assert.equal(await corrections.isVisible(), false, 'hidden before a correction is chosen');
    await page.check('input[name=type][value=deletion]');
    assert.equal(await corrections.isVisible(), false, 'hidden for a deletion');
    await page.check('input[name=type][value=correction]');
    assert.equal(await corrections.isVisible(), true, 'shown for a correction');
    await page.fill('#details', 'My street is misspelled.');
    await page.selectOption('#jurisdiction', 'us-ca');
    await page.click('[data-testid=review-request]');
    await page.getByTestId('form-error').waitFor();
    assert.equal(await page.locator('h1').textContent(), 'My data');
    assert.equal(await focusedTestId(page), 'form-error');
    assert.match(await describedBy(page, '#category'), /choose what to correct and type the right value/);
    assert.equal(await page.locator('input[name=type][value=correction]').isChecked(), true);
    assert.equal(await page.inputValue('#details'), 'My street is misspelled.');
    assert.equal(await page.inputValue('#jurisdiction'), 'us-ca');
    await context.close();
  });

  /**
   * Each shopper form, sent with an over-long value (its maxlength taken off, as an older browser
   * or a paste through a script would) and with a choice the form does not offer (an option
   * added to its list): the same form comes back, the value typed, the mistake at its field and
   * the list at the top focused.
   */
  const REFUSALS: readonly {
    readonly what: string;
    readonly path: string;
    readonly form: string;
    readonly fill: Readonly<Record<string, string>>;
    readonly long: readonly [string, number];
    readonly choice?: string;
    readonly signedIn?: boolean;
  }[] = [
    {
      what: 'request',
      path: '/privacy/request',
      form: '[data-testid=request-form]',
      fill: { '#email': 'long.request@example.com', '#details': 'Kept details' },
      long: ['#name', 201],
      choice: '#type',
    },
    {
      what: 'complaint',
      path: '/privacy/complaint',
      form: '[data-testid=complaint-form]',
      fill: { '#c-message': 'Kept complaint' },
      long: ['#c-email', 255],
      choice: '#c-jurisdiction',
    },
    {
      what: 'log in',
      path: '/login',
      form: 'main form',
      fill: { '#email': 'long.login@example.com' },
      long: ['#password', 257],
    },
    {
      what: 'sign up',
      path: '/account/register',
      form: 'main form',
      fill: { '#email': 'long.register@example.com' },
      long: ['#password', 257],
    },
    {
      what: 'contest',
      path: '/demo/store',
      form: '[data-testid=contest-form]',
      fill: { '#contest-email': 'long.contest@example.com' },
      long: ['#contest-name', 201],
    },
    {
      what: 'text messages',
      path: '/demo/store',
      form: '[data-testid=sms-form]',
      fill: {},
      long: ['#sms-phone', 41],
    },
    {
      what: 'catalog',
      path: '/demo/store',
      form: '[data-testid=catalog-form]',
      fill: {
        '#cat-first': 'Kept First',
        '#cat-last': 'Long',
        '#cat-email': 'long.catalog@example.com',
        '#cat-city': 'Franklin',
        '#cat-postal': '53132',
      },
      long: ['#cat-line1', 201],
      choice: '#cat-budget',
    },
    {
      what: 'My data',
      path: '/account/my-data',
      form: '[data-testid=account-request-form]',
      fill: { '#details': 'Kept details' },
      long: ['#value', 1001],
      choice: '#jurisdiction',
      signedIn: true,
    },
  ];

  for (const [i, f] of REFUSALS.entries())
    it(`the ${f.what} form sent with a value too long${f.choice ? ', or a choice it does not offer,' : ''} comes back filled in, the mistake at its field and focused`, async () => {
      const { context, page } = await shopper(i % 2 ? 1280 : 390, 844);
      if (f.signedIn) {
        const email = 'long.mydata@example.com';
        await placeOrder(env, (await serviceCaller(env)).headers, {
          shopOrderId: 'SO-LONG-1',
          name: 'Long Mydata',
          email,
        });
        const { token } = await shopperCaller(env, email);
        await context.addCookies([
          { name: SESSION_COOKIE.shopper, value: encodeURIComponent(token), url: base },
        ]);
      }
      // An address stays an address (the browser checks its form), only too long.
      const tooLong = f.long[0].endsWith('email')
        ? `${'x'.repeat(f.long[1] - 12)}@example.com`
        : 'x'.repeat(f.long[1]);
      const kinds: [string, string, string | undefined][] = [[f.long[0], tooLong, undefined]];
      if (f.choice) kinds.push([f.choice, 'not_offered', undefined]);
      for (const [field, value] of kinds) {
        await page.goto(`${base}${f.path}`);
        const form = page.locator(f.form);
        if (f.path === '/demo/store') {
          for (const select of await form.locator('select').all()) await select.selectOption({ index: 1 });
          await form
            .locator('input[type=checkbox][required]')
            .check()
            .catch(() => {});
          if (f.what === 'text messages') await page.fill('#sms-phone', '+1 608 265 7001');
          if (f.what === 'catalog') await page.fill('#cat-line1', '1 Main Street');
        }
        // The place lists start on "Choose where you live": a shopper picks one.
        if (f.what === 'request') await page.selectOption('#jurisdiction', 'us-ca');
        if (f.what === 'complaint' && field !== f.choice) await page.selectOption('#c-jurisdiction', 'us-ca');
        if (f.what === 'log in' || f.what === 'sign up')
          await page.fill('#password', 'a long enough password');
        if (f.signedIn) await page.check('input[name=type][value=correction]');
        if (f.signedIn) await page.selectOption('#category', 'identity.name');
        if (f.signedIn) await page.fill('#value', 'Kept Value');
        for (const [selector, v] of Object.entries(f.fill)) await page.fill(selector, v);
        if (field === f.choice) {
          await page.locator(field).evaluate((s, v) => {
            const o = document.createElement('option');
            o.value = v;
            o.textContent = v;
            (s as HTMLSelectElement).append(o);
            (s as HTMLSelectElement).value = v;
          }, value);
        } else {
          await page.locator(field).evaluate((e) => e.removeAttribute('maxlength'));
          await page.fill(field, value);
        }
        await form.locator('button[type=submit]').click();
        await page.getByTestId('form-error').first().waitFor();
        assert.equal(
          await focusedTestId(page),
          'form-error',
          `${f.what} ${field}: focus on the list at the top`,
        );
        assert.equal(await page.locator(field).getAttribute('aria-invalid'), 'true', `${f.what} ${field}`);
        assert.match(
          await describedBy(page, field),
          field === f.choice ? /Choose one of the options offered/ : /Too long: use at most \d+ characters/,
          `${f.what} ${field}`,
        );
        assert.equal(
          await page.locator(`[data-testid=form-error] a[href="${field}"]`).count(),
          1,
          `${f.what}: the list links to ${field}`,
        );
        for (const [selector, v] of Object.entries(f.fill))
          assert.equal(await page.inputValue(selector), v, `${f.what}: ${selector} kept`);
        if (field !== f.choice && field !== '#password')
          assert.equal((await page.inputValue(field)).length, f.long[1], 'the long value kept');
        if (f.what === 'log in' || f.what === 'sign up')
          assert.equal(await page.inputValue('#password'), '', 'a password is never sent back');
      }
      await context.close();
    });

  it('what a shopper may ask to correct: never the password hash, the consent history, the cookie id, nor the aggregate counts that identify no one', async () => {
    const email = 'robin.choices@example.com';
    await placeOrder(env, (await serviceCaller(env)).headers, {
      shopOrderId: 'SO-FORMS-2',
      name: 'Robin Choices',
      email,
    });
    const { token } = await shopperCaller(env, email);
    const { context, page } = await shopper(1280, 800);
    await page.goto(`${base}/privacy/request`);
    const publicChoices = await page.locator('#correction_category option').allTextContents();
    assert.ok(publicChoices.includes('Email address'), publicChoices.join(' | '));
    await context.addCookies([{ name: SESSION_COOKIE.shopper, value: encodeURIComponent(token), url: base }]);
    await page.goto(`${base}/account/my-data`);
    const myChoices = await page.locator('#category option').allTextContents();
    assert.ok(myChoices.includes('Email address'), myChoices.join(' | '));
    for (const choices of [publicChoices, myChoices])
      for (const never of [/Password hash/, /aggregate counts/i, /Consent, enrolment/, /consent cookie/])
        assert.ok(!choices.some((c) => never.test(c)), `${never} offered: ${choices.join(' | ')}`);
    await context.close();
  });

  it("a request's code: its label says what to type, and a wrong code's message takes focus", async () => {
    const { context, page } = await shopper(390, 844);
    await page.goto(`${base}/privacy/request`);
    await page.selectOption('#jurisdiction', 'eea');
    await page.fill('#email', 'code.mistake@example.com');
    await Promise.all([
      page.waitForURL(/\/privacy\/request\/status\//),
      page.click('[data-testid=request-form] button'),
    ]);
    assert.equal(await page.getByLabel('The 6-digit code from our email').count(), 1);
    await page.fill('#code', '000000');
    await Promise.all([page.waitForURL(/m=invalid/), page.click('[data-testid=code-form] button')]);
    await page.getByTestId('form-error').waitFor();
    assert.equal(await focusedTestId(page), 'form-error');
    assert.match((await page.getByTestId('form-error').textContent()) ?? '', /code is not valid/);
    await context.close();
  });

  it('"Email me a new code" in Spanish by keyboard: the message takes focus, the code field is the next stop', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      extraHTTPHeaders: { 'Accept-Language': 'es-US' },
    });
    const page = await context.newPage();
    await page.goto(`${base}/privacy/request`);
    await page.selectOption('#jurisdiction', 'eea');
    await page.fill('#email', 'code.lost@example.com');
    await Promise.all([
      page.waitForURL(/\/privacy\/request\/status\//),
      page.click('[data-testid=request-form] button'),
    ]);
    env.clock.advance(61_000);
    await page.getByRole('button', { name: 'Enviarme un nuevo código' }).focus();
    await Promise.all([page.waitForURL(/m=resent$/), page.keyboard.press('Enter')]);
    assert.equal(await focusedTestId(page), 'status-message');
    assert.match(
      (await page.getByTestId('status-message').textContent()) ?? '',
      /^Enviamos un nuevo código a la dirección que indicó/,
    );
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
    await context.close();
  });

  it('My data says where the information came from in words, in English and in Spanish: no "Subject kind", "Category:" or code left', async () => {
    const email = 'robin.trace@example.com';
    await placeOrder(env, (await serviceCaller(env)).headers, {
      shopOrderId: 'SO-FORMS-3',
      name: 'Robin Trace',
      email,
    });
    const { token } = await shopperCaller(env, email);
    for (const [language, expected] of [
      [
        'en-US',
        /As\s*A person who placed an order.*What the form held\s*First and last name \(Taking payment for an order.*?\)\)\s*Email address \(/s,
      ],
      [
        'es-US',
        /Como\s*Una persona que hizo un pedido \(quien compra\)\s*Formulario\s*Pago del pedido.*Lo que contenía el formulario\s*Nombre y apellido \(Cobrar un pedido/s,
      ],
    ] as const) {
      const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Language': language } });
      await context.addCookies([
        { name: SESSION_COOKIE.shopper, value: encodeURIComponent(token), url: base },
      ]);
      const page = await context.newPage();
      await page.goto(`${base}/account/my-data`);
      const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
      assert.match(text, expected, language);
      // The form's fields one a line, not a line of semicolons.
      assert.ok((await page.locator('main dd ul.plain-list li').count()) >= 4, `${language}: a list`);
      const leftovers = [/Subject kind/, /Collection point/, /Category:/];
      if (language === 'es-US') leftovers.push(/\benrolled\b/);
      for (const left of leftovers) assert.doesNotMatch(text, left, `${language}: ${left}`);
      await context.close();
    }
  });
});
