// Every shopper form refused for what it holds comes back as the same form, without a browser: an
// over-long value and another kind of mistake, on each form (request, complaint, log in, sign up,
// reset, My data's request, the demo shop's contest, text-message and catalog forms), each come
// back under 400 with what was typed (never a password), the mistake in words at its field
// (aria-invalid, described by it), listed at the top, in English and in Spanish; nothing is stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serviceCaller, shopperCaller } from '../helpers/auth.js';
import { createTestEnv, type TestEnv, testDialects } from '../helpers/env.js';
import { placeOrder } from '../helpers/shopper.js';

const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const FORM = { ...PAGE, 'content-type': 'application/x-www-form-urlencoded' };
/** The anti-forgery token of the form posting to `action` (the demo shop's page has three). */
const tokenIn = (body: string, action: string) =>
  new RegExp(`action="${action}"[^>]*>\\s*<input type="hidden" name="_csrf" value="([^"]+)"`).exec(
    body,
  )?.[1] ?? '';
const long = (n: number) => 'x'.repeat(n);

interface Case {
  readonly what: string;
  /** The page holding the form (its anti-forgery token) and where it posts. */
  readonly page: string;
  readonly action: string;
  readonly fields: Record<string, string>;
  /** The element id of the field the mistake is shown at, and the words expected there. */
  readonly id: string;
  readonly en: RegExp;
  readonly es: RegExp;
  /** A value typed that must come back, and one that must not (a password). */
  readonly kept: string;
  readonly secret?: string;
}

const TOO_LONG = {
  en: /Too long: use at most \d+ characters/,
  es: /Demasiado largo: use \d+ caracteres como máximo/,
};
const CHOICE = { en: /Choose one of the options offered/, es: /Elija una de las opciones ofrecidas/ };
const ADDRESS_ONLY = {
  en: /These are for a postal address: choose the postal address above/,
  es: /Estos campos son para una dirección postal/,
};
const NO_STREET = { en: /Give the street address too/, es: /Indique también la calle y el número/ };

const CASES: readonly Case[] = [
  {
    what: 'request: a name over 200 characters',
    page: '/privacy/request',
    action: '/privacy/request',
    fields: { type: 'access', jurisdiction: 'us-ca', email: 'refused.request@example.com', name: long(201) },
    id: 'name',
    ...TOO_LONG,
    kept: 'refused.request@example.com',
  },
  {
    what: 'request: an address in its parts for an email correction',
    page: '/privacy/request',
    action: '/privacy/request',
    fields: {
      type: 'correction',
      jurisdiction: 'us-ca',
      email: 'refused.parts@example.com',
      correction_category: 'contact.email',
      address_line1: '12 New St',
      address_city: 'Springfield',
    },
    id: 'address_line1',
    ...ADDRESS_ONLY,
    kept: 'Springfield',
  },
  {
    what: 'request: an address in its parts without its street',
    page: '/privacy/request',
    action: '/privacy/request',
    fields: {
      type: 'correction',
      jurisdiction: 'us-ca',
      email: 'refused.street@example.com',
      correction_category: 'contact.postal_address',
      address_postal_code: '62701',
    },
    id: 'address_line1',
    ...NO_STREET,
    kept: '62701',
  },
  {
    what: 'request: a type that is not offered',
    page: '/privacy/request',
    action: '/privacy/request',
    fields: {
      type: 'everything',
      jurisdiction: 'us-ca',
      email: 'refused.type@example.com',
      details: 'Kept words',
    },
    id: 'type',
    ...CHOICE,
    kept: 'Kept words',
  },
  {
    what: 'request: no place chosen (the list starts on "Choose where you live")',
    page: '/privacy/request',
    action: '/privacy/request',
    fields: {
      type: 'access',
      jurisdiction: '',
      email: 'refused.unplaced@example.com',
      details: 'Kept words',
    },
    id: 'jurisdiction',
    ...CHOICE,
    kept: 'Kept words',
  },
  {
    what: 'complaint: an address over 254 characters',
    page: '/privacy/complaint',
    action: '/privacy/complaint',
    fields: { jurisdiction: 'us-ca', email: `${long(250)}@example.com`, message: 'Complaint kept' },
    id: 'c-email',
    ...TOO_LONG,
    kept: 'Complaint kept',
  },
  {
    what: 'complaint: a place that is not offered',
    page: '/privacy/complaint',
    action: '/privacy/complaint',
    fields: { jurisdiction: 'mars', email: 'refused.place@example.com', message: 'Complaint kept' },
    id: 'c-jurisdiction',
    ...CHOICE,
    kept: 'refused.place@example.com',
  },
  {
    what: 'log in: a password over 256 characters',
    page: '/login',
    action: '/login',
    fields: { email: 'refused.login@example.com', password: `secret-${long(260)}` },
    id: 'password',
    ...TOO_LONG,
    kept: 'refused.login@example.com',
    secret: 'secret-',
  },
  {
    what: 'log in: an address without its ending',
    page: '/login',
    action: '/login',
    fields: { email: 'refused.login@example', password: 'secret-typed-password' },
    id: 'email',
    en: /whole email address, like name@example\.com/,
    es: /correo electrónico completo/,
    kept: 'refused.login@example',
    secret: 'secret-typed-password',
  },
  {
    // Sent blank, an email is empty, not "Too short: use at least 3 characters".
    what: 'sign up: sent without its email',
    page: '/account/register',
    action: '/account/register',
    fields: { email: '', password: 'secret-long-enough-password' },
    id: 'email',
    en: /^This is empty: please fill it in\.$/,
    es: /^Está vacío: complételo\.$/,
    kept: 'id="email"',
    secret: 'secret-long-enough-password',
  },
  {
    what: 'sign up: an address over 254 characters',
    page: '/account/register',
    action: '/account/register',
    fields: { email: `${long(250)}@example.com`, password: 'secret-long-enough-password' },
    id: 'email',
    ...TOO_LONG,
    kept: long(250),
    secret: 'secret-long-enough-password',
  },
  {
    what: 'reset request: an address over 254 characters',
    page: '/account/reset-request',
    action: '/account/reset-request',
    fields: { email: `${long(250)}@example.com` },
    id: 'email',
    ...TOO_LONG,
    kept: long(250),
  },
  {
    what: 'contest: a name over 200 characters',
    page: '/demo/store',
    action: '/demo/store/contest',
    fields: { email: 'refused.contest@example.com', name: long(201) },
    id: 'contest-name',
    ...TOO_LONG,
    kept: 'refused.contest@example.com',
  },
  {
    what: 'contest: an address the collection schema refuses',
    page: '/demo/store',
    action: '/demo/store/contest',
    fields: { email: 'not an address', name: 'Contest Kept' },
    id: 'contest-email',
    en: /whole email address/,
    es: /correo electrónico completo/,
    kept: 'Contest Kept',
  },
  {
    what: 'text messages: a number over 40 characters',
    page: '/demo/store',
    action: '/demo/store/sms',
    fields: { phone: `+1 ${long(40)}`, consent: 'yes' },
    id: 'sms-phone',
    ...TOO_LONG,
    kept: long(40),
  },
  {
    what: 'text messages: a number no phone has',
    page: '/demo/store',
    action: '/demo/store/sms',
    fields: { phone: '555 0100 999', consent: 'yes' },
    id: 'sms-phone',
    en: /phone number/,
    es: /número de teléfono/,
    kept: 'value="555 0100 999"',
  },
  {
    what: 'catalog: a street over 200 characters',
    page: '/demo/store',
    action: '/demo/store/catalog',
    fields: catalog({ line1: long(201) }),
    id: 'cat-line1',
    ...TOO_LONG,
    kept: 'Catalog Kept',
  },
  {
    what: 'catalog: a budget that is not offered',
    page: '/demo/store',
    action: '/demo/store/catalog',
    fields: catalog({ budget: 'a_million' }),
    id: 'cat-budget',
    ...CHOICE,
    kept: 'Catalog Kept',
  },
];

function catalog(over: Record<string, string>): Record<string, string> {
  return {
    first_name: 'Catalog Kept',
    last_name: 'Requester',
    email: 'refused.catalog@example.com',
    line1: '1 Main Street',
    city: 'Franklin',
    postal_code: '53132',
    relationship_status: 'married',
    budget: 'under_500',
    age_range: '35_44',
    residence_type: 'suburban',
    ...over,
  };
}

/** The accessible description of the element with this id (the ids its aria-describedby names). */
function describedBy(body: string, id: string): string {
  const tag = new RegExp(`<(?:input|select|textarea)[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  assert.match(tag, /aria-invalid="true"/, `${id} is marked invalid: ${tag.slice(0, 300)}`);
  const ids = /aria-describedby="([^"]+)"/.exec(tag)?.[1]?.split(' ') ?? [];
  return ids
    .map((d) => new RegExp(`id="${d}">([^<]*)<`).exec(body)?.[1] ?? '')
    .join(' ')
    .replace(/&#39;/g, "'");
}

for (const dialect of testDialects()) {
  describe(`shopper forms refused for what they hold come back filled in [${dialect}]`, () => {
    let env: TestEnv & { close: () => Promise<void> };
    before(async () => {
      env = await createTestEnv(dialect, { auth: 'enforced', rateLimits: false });
    });
    after(async () => {
      await env?.close();
    });

    const post = async (c: Case, language: string) => {
      const headers = { 'accept-language': language };
      const page = await env.app.inject({ method: 'GET', url: c.page, headers: { ...PAGE, ...headers } });
      const csrf = tokenIn(page.body, c.action);
      return env.app.inject({
        method: 'POST',
        url: c.action,
        headers: { ...FORM, ...headers, 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({ ...c.fields, _csrf: csrf }).toString(),
      });
    };

    for (const c of CASES)
      it(c.what, async () => {
        for (const [language, words] of [
          ['en-US', c.en],
          ['es', c.es],
        ] as const) {
          const res = await post(c, language);
          assert.equal(res.statusCode, 400, `${language}: ${res.body.slice(0, 200)}`);
          assert.match(String(res.headers['content-type']), /text\/html/);
          assert.doesNotMatch(res.body, /Invalid request body|Your form was not sent\. Go back/);
          assert.match(describedBy(res.body, c.id), words, `${language}: the mistake at its field`);
          assert.match(
            res.body,
            new RegExp(`data-testid="form-error"[^>]*>[\\s\\S]*href="#${c.id}"`),
            'listed at the top',
          );
          assert.match(res.body, /autofocus data-testid="form-error"/);
          assert.ok(res.body.includes(c.kept), `${language}: what was typed comes back`);
          if (c.secret) assert.ok(!res.body.includes(c.secret), 'a password is never sent back');
          assert.match(res.body, /name="_csrf" value="f1\./, 'with a fresh anti-forgery token');
        }
      });

    it('stores nothing of a refused form', async () => {
      const n = async (table: 'rights_requests' | 'complaints' | 'contest_entries') =>
        (await env.store.db.selectFrom(table).select(env.store.db.fn.countAll().as('n')).executeTakeFirst())
          ?.n;
      assert.equal(Number(await n('rights_requests')), 0);
      assert.equal(Number(await n('complaints')), 0);
      assert.equal(Number(await n('contest_entries')), 0);
    });

    it("My data's request form: a value over 1,000 characters, or a place not offered, comes back filled in at its field", async () => {
      const email = 'refused.mydata@example.com';
      await placeOrder(env, (await serviceCaller(env)).headers, {
        shopOrderId: 'SO-REFUSED-1',
        name: 'Refused Mydata',
        email,
      });
      const shopper = await shopperCaller(env, email);
      for (const [fields, id, en, es] of [
        [
          { type: 'correction', category: 'contact.email', value: long(1001), details: 'Kept details' },
          'value',
          TOO_LONG.en,
          TOO_LONG.es,
        ],
        [
          { type: 'deletion', jurisdiction: 'mars', details: 'Kept details' },
          'jurisdiction',
          CHOICE.en,
          CHOICE.es,
        ],
        [
          {
            type: 'correction',
            category: 'contact.email',
            address_line1: '12 New St',
            details: 'Kept details',
          },
          'address_line1',
          ADDRESS_ONLY.en,
          ADDRESS_ONLY.es,
        ],
        [
          {
            type: 'correction',
            category: 'contact.postal_address',
            address_city: 'Springfield',
            details: 'Kept details',
          },
          'address_line1',
          NO_STREET.en,
          NO_STREET.es,
        ],
      ] as const)
        for (const [language, words] of [
          ['en-US', en],
          ['es', es],
        ] as const) {
          const res = await env.app.inject({
            method: 'POST',
            url: '/account/requests',
            headers: { ...shopper.writeHeaders, ...FORM, 'accept-language': language },
            payload: new URLSearchParams(fields).toString(),
          });
          assert.equal(res.statusCode, 400, res.body.slice(0, 300));
          assert.match(res.body, /<h1>(My data|Mis datos)<\/h1>/);
          assert.match(describedBy(res.body, id), words, `${language} ${id}`);
          assert.ok(res.body.includes('Kept details'));
        }
    });

    it("a request's status page: a code no email holds is a wrong code, and an appeal's reason over 4,000 characters comes back typed at its field", async () => {
      const email = 'refused.appeal@example.com';
      const filed = await env.services.rights.submit(
        { type: 'access', jurisdiction: 'us-va', email },
        { channel: 'web', locale: 'en-US' },
      );
      const status = `/privacy/request/status/${filed.statusToken}`;
      const page = await env.app.inject({ method: 'GET', url: status, headers: PAGE });
      const code = await env.app.inject({
        method: 'POST',
        url: status,
        headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({ _csrf: tokenIn(page.body, status), code: '1'.repeat(30) }).toString(),
      });
      assert.equal(code.statusCode, 303, code.body.slice(0, 200));
      assert.equal(code.headers.location, `${status}?m=invalid`);
      await env.services.rights.deny(filed.requestId, 'identity not verified', 'test-principal');
      for (const [language, words] of [
        ['en-US', TOO_LONG.en],
        ['es', TOO_LONG.es],
      ] as const) {
        const withAppeal = await env.app.inject({ method: 'GET', url: status, headers: PAGE });
        const action = `${status}/appeal`;
        const res = await env.app.inject({
          method: 'POST',
          url: action,
          headers: { ...FORM, 'accept-language': language, 'sec-fetch-site': 'same-origin' },
          payload: new URLSearchParams({
            _csrf: tokenIn(withAppeal.body, action),
            reason: `Kept reason ${long(4000)}`,
          }).toString(),
        });
        assert.equal(res.statusCode, 400, res.body.slice(0, 300));
        assert.match(describedBy(res.body, 'appeal-reason'), words, language);
        assert.ok(res.body.includes('Kept reason'));
      }
      assert.equal(
        (await env.services.rights.appealOffer(filed.statusToken)).appeal,
        null,
        'no appeal filed',
      );
    });

    for (const link of [
      { form: 'the new-password form of a reset link', kind: 'reset_password', at: '/account/reset' },
      { form: "the confirmation link's password form", kind: 'verify_email', at: '/account/verify' },
    ] as const)
      it(`${link.form}: a password over 256 characters comes back at its field, the link kept, the password never`, async () => {
        const { accountId } = await shopperCaller(env, `refused.${link.kind}@example.com`);
        const token = await env.services.identity.accounts.issueToken(accountId, link.kind);
        const page = await env.app.inject({ method: 'GET', url: `${link.at}/${token}`, headers: PAGE });
        assert.equal(page.statusCode, 200, page.body.slice(0, 300));
        const res = await env.app.inject({
          method: 'POST',
          url: link.at,
          headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
          payload: new URLSearchParams({
            _csrf: tokenIn(page.body, link.at),
            token,
            password: `secret-${long(300)}`,
          }).toString(),
        });
        assert.equal(res.statusCode, 400, res.body.slice(0, 300));
        assert.match(describedBy(res.body, 'password'), TOO_LONG.en);
        assert.ok(res.body.includes(`name="token" value="${token}"`), 'the link is kept');
        assert.ok(!res.body.includes('secret-'), 'a password is never sent back');
      });

    it('an API client posting JSON keeps the JSON error body', async () => {
      const res = await env.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/json' },
        payload: { email: 'json@example.com', password: long(300) },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'VOW_VALIDATION');
    });
  });
}
