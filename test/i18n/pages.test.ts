// Every shopper page in Spanish (es-US): rendered with `Accept-Language: es`, none keeps an English
// word of Vow's own (the policy's own texts may stay English until the policy is translated, so
// they are taken out first, as are addresses, links and proper names). The same check finds
// English on the en-US rendering, so it is not vacuous. Then the language switch: its cookie
// outweighs Accept-Language, it holds the locale only, and it leads back to this site only.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { buildNotice } from '../../src/modules/policy/index.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { cookieFrom, csrfOf, serviceCaller, shopperCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';
import { accessExportPath, marketingUnsubscribePath, placeOrder } from '../helpers/shopper.js';

/** Words that only English has (none is also a Spanish word). */
const ENGLISH = new Set(
  (
    'the your you our we and with for this that not please request requests privacy page back make log ' +
    'sign account email password choices choice notice send sent keep kept delete deleted deletion correct ' +
    'correction what where who why how when received answer answered link settings accept reject save my ' +
    'more other here only if will can have of to is are it or by from should would could been being ' +
    'there their they them about before after again all any each every which while into out up down ' +
    'new hold held used use using data store stored confirm confirmed code valid invalid expired ' +
    'unsubscribe unsubscribed complaint complaints choose open close closed download something went wrong ' +
    'found allowed wait try'
  ).split(/\s+/),
);

/** Every string the policy itself holds (its own words stay as written until translated). */
function policyStrings(env: TestEnv): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(env.ctx.policy.doc);
  // The notice as built from the policy (its tables' generated sentences are the policy's notice).
  walk(buildNotice(env.ctx.policy));
  return [...out].filter((s) => s.length > 2).sort((a, b) => b.length - a.length);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The words of a page a person reads: no markup, addresses, links or the policy's own text. */
function visibleText(html: string, policy: readonly string[]): string {
  let text = html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<code[\s\S]*?<\/code>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? ' ');
  for (const s of policy) text = text.split(s).join(' ');
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/Global Privacy Control|Google Analytics|English/g, ' ');
}

function englishWords(html: string, policy: readonly string[]): string[] {
  const words =
    visibleText(html, policy)
      .toLowerCase()
      .match(/[\p{L}']+/gu) ?? [];
  return [...new Set(words.filter((w) => ENGLISH.has(w)))];
}

describeEachDialect(
  'every shopper page in Spanish',
  (env) => {
    const EMAIL = 'lucia.paginas@example.com';
    let sent: OutgoingMessage[] = [];
    const paths: string[] = [];
    let shopperToken = '';
    let policy: string[] = [];

    before(async () => {
      const e = env();
      policy = policyStrings(e);
      sent = captureMail(e);
      const service = await serviceCaller(e);
      await placeOrder(e, service.headers, {
        shopOrderId: 'SO-LUCIA-1',
        name: 'Lucía Páginas',
        email: EMAIL,
      });
      const shopper = await shopperCaller(e, EMAIL);
      shopperToken = shopper.token;
      const exportPath = await accessExportPath(e, shopper.writeHeaders, sent);
      const unsubscribePath = await marketingUnsubscribePath(
        e,
        service.headers,
        'concurso.paginas@example.com',
        {
          subject: 'Primavera',
          text: 'Anillos nuevos.',
        },
      );
      const request = await e.services.rights.submit(
        { type: 'deletion', jurisdiction: 'us-ca', email: 'otra.persona@example.com' },
        { channel: 'web', locale: 'es-US' },
      );
      const complaint = await e.services.complaints.submit(
        { jurisdiction: 'us-ca', message: 'Una queja de prueba.' },
        { channel: 'web', locale: 'es-US' },
      );
      paths.push(
        '/privacy',
        '/privacy/request',
        '/privacy/complaint',
        '/cookies/preferences',
        '/login',
        '/account/register',
        '/account/reset-request',
        `/privacy/request/status/${request.statusToken}`,
        `/privacy/request/status/${request.statusToken}?m=invalid`,
        `/privacy/complaint/status/${complaint.statusToken}`,
        exportPath,
        unsubscribePath,
        // The demo shop's page (a shop's page is in its visitor's language too), and a form sent.
        '/demo/store',
        '/demo/store?sent=contest',
        // Message and error pages.
        '/account/verify/not-a-real-token',
        '/account/reset/not-a-real-token',
        '/no-such-page',
        '/privacy/request/status/cut-short',
        '/privacy/request/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '/privacy/complaint/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '/privacy/request/export/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '/u/not-a-real-token',
      );
    });

    const get = (url: string, headers: Record<string, string>) =>
      env().app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
    const signedIn = () => ({ cookie: `${SESSION_COOKIE.shopper}=${encodeURIComponent(shopperToken)}` });

    /** Every page, signed out and in, plus the pages a form post answers with. */
    async function renderAll(lang: string): Promise<{ label: string; body: string }[]> {
      const out: { label: string; body: string }[] = [];
      const h = { 'accept-language': lang };
      for (const p of paths) out.push({ label: p, body: (await get(p, h)).body });
      for (const p of ['/privacy', '/cookies/preferences', '/account/my-data', '/privacy/request'])
        out.push({ label: `${p} (signed in)`, body: (await get(p, { ...h, ...signedIn() })).body });
      const csrf = csrfOf(shopperToken);
      const form = (url: string, body: Record<string, string>, extra: Record<string, string> = {}) =>
        env().app.inject({
          method: 'POST',
          url,
          headers: {
            ...h,
            ...extra,
            accept: 'text/html',
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: new URLSearchParams(body).toString(),
        });
      for (const type of ['deletion', 'correction'])
        out.push({
          label: `My data: confirm a ${type}`,
          body: (
            await form(
              '/account/requests',
              { _csrf: csrf, type, jurisdiction: '', category: 'contact.email', value: 'x@example.com' },
              signedIn(),
            )
          ).body,
        });
      const formCsrf =
        /name="_csrf" value="([^"]+)"/.exec((await get('/privacy/request', h)).body)?.[1] ?? '';
      out.push({
        label: 'request review',
        body: (
          await form('/privacy/request', {
            _csrf: formCsrf,
            type: 'deletion',
            jurisdiction: 'us-ca',
            email: 'review@example.com',
          })
        ).body,
      });
      const loginCsrf = /name="_csrf" value="([^"]+)"/.exec((await get('/login', h)).body)?.[1] ?? '';
      out.push({
        label: 'log-in refused',
        body: (await form('/login', { _csrf: loginCsrf, email: EMAIL, password: 'not the password at all' }))
          .body,
      });
      return out;
    }

    it('renders every shopper page in Spanish, with no English word of its own, lang="es"', async () => {
      const problems: string[] = [];
      for (const { label, body } of await renderAll('es')) {
        assert.match(body, /<html lang="es">/, `${label} is marked Spanish`);
        const words = englishWords(body, policy);
        if (words.length > 0) problems.push(`${label}: ${words.join(', ')}`);
      }
      assert.deepEqual(problems, []);
    });

    it('finds English on the en-US rendering (the check is not vacuous), which keeps lang="en"', async () => {
      for (const { label, body } of (await renderAll('en-US')).slice(0, 4)) {
        assert.match(body, /<html lang="en">/, label);
        assert.ok(englishWords(body, policy).length > 3, `${label} reads as English`);
      }
    });

    it('sends the account emails in Spanish', async () => {
      sent.length = 0;
      const reg = await env().app.inject({
        method: 'POST',
        url: '/account/register',
        headers: { 'accept-language': 'es-MX,es;q=0.9' },
        payload: { email: 'nueva.cuenta@example.com', password: 'una contraseña muy larga' },
      });
      assert.equal(reg.statusCode, 202, reg.body);
      await env().services.jobs.drain();
      assert.ok(sent.length > 0, 'the confirmation was sent');
      for (const m of sent) {
        const words = englishWords(`${m.subject}\n${m.text}`, policy);
        assert.deepEqual(words, [], m.subject);
      }
    });

    it('the switch remembers the locale in a preference cookie that outweighs Accept-Language', async () => {
      const res = await get('/language?to=es-US&back=%2Fprivacy%2Frequest', { 'accept-language': 'en' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/privacy/request');
      const set = String(res.headers['set-cookie']);
      assert.match(set, /^vow_lang=es-US;/, 'the locale and nothing else');
      assert.match(set, /HttpOnly/);
      assert.match(set, /SameSite=Lax/);
      assert.match(set, /Max-Age=31536000/);
      assert.equal(cookieFrom(res, 'vow_lang'), 'es-US');
      const es = await get('/privacy/request', { 'accept-language': 'en-US', cookie: 'vow_lang=es-US' });
      assert.match(es.body, /<html lang="es">/);
      assert.match(es.body, /Hacer una solicitud de privacidad/);
      const en = await get('/privacy/request', { 'accept-language': 'es', cookie: 'vow_lang=en-US' });
      assert.match(en.body, /<html lang="en">/);
      assert.match(en.body, /Make a privacy request/);
      // Every shopper page links both languages, back to itself.
      assert.match(es.body, /href="\/language\?to=en-US&amp;back=%2Fprivacy%2Frequest"[^>]*>English</);
      assert.match(en.body, /href="\/language\?to=es-US&amp;back=%2Fprivacy%2Frequest"[^>]*>Español</);
      // A shared page (the notice) is cached per language.
      const notice = await get('/privacy', { 'accept-language': 'es' });
      assert.match(String(notice.headers.vary), /accept-language/);
    });

    it('leads back only to a path of this site (no open redirect)', async () => {
      for (const back of [
        '//evil.example/x',
        'https://evil.example/',
        '/\\evil.example',
        'javascript:alert(1)',
        '/%0d%0aSet-Cookie:x=1',
        '',
      ]) {
        const res = await get(`/language?to=en-US&back=${encodeURIComponent(back)}`, {});
        assert.equal(res.statusCode, 303, back);
        const location = String(res.headers.location);
        assert.ok(location.startsWith('/') && !location.startsWith('//'), `${back} -> ${location}`);
        assert.ok(!location.includes('evil.example') || location.startsWith('/'), location);
        assert.ok(!/[\r\n]/.test(location));
      }
      assert.equal(
        String((await get('/language?to=en-US&back=//evil.example', {})).headers.location),
        '/privacy',
      );
      assert.equal((await get('/language?to=fr-FR&back=/privacy', {})).statusCode, 400);
    });

    it('the banner config follows the language, per locale and varying by it', async () => {
      const es = await get('/v1/consent/config', { 'accept-language': 'es' });
      const c = es.json();
      assert.equal(c.locale, 'es-US');
      assert.equal(c.text.reject, 'Rechazar todo');
      assert.match(String(es.headers.vary), /accept-language/);
      const words = englishWords(
        Object.values(c.text as Record<string, string>)
          .map((s) => s.replace(/\{\d\}/g, ' '))
          .join('\n'),
        policy,
      );
      assert.deepEqual(words, []);
      const en = await get('/v1/consent/config', { 'accept-language': 'en', cookie: 'vow_lang=en-US' });
      assert.equal(en.json().text.reject, 'Reject all');
      assert.notEqual(es.headers.etag, en.headers.etag);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
