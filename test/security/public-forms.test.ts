// The public forms' anti-forgery check without cookies (P18): a signed token per form and time
// window, embedded in the page, plus the browser's Sec-Fetch-Site / Origin; media types compared
// case-insensitively, so an upper-cased form type cannot slip past the check.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FORM_TOKEN_WINDOW_MS } from '../../src/modules/identity/index.js';
import { describeEachDialect } from '../helpers/env.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const tokenIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];

describeEachDialect(
  'public forms without cookies',
  (env) => {
    const get = (url: string) => env().app.inject({ method: 'GET', url });
    const postForm = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      env().app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, ...headers },
        payload: new URLSearchParams(fields).toString(),
      });
    const complaint = (csrf: string) => ({
      _csrf: csrf,
      jurisdiction: 'other',
      email: 'forms@example.com',
      message: 'A complaint.',
    });
    const complaints = async () => (await env().services.complaints.list({ includeClosed: true })).length;

    it('serves each public form with a token and no cookie, and takes it back without one', async () => {
      for (const url of [
        '/privacy/request',
        '/privacy/complaint',
        '/login',
        '/account/register',
        '/staff/login',
      ]) {
        const page = await get(url);
        assert.equal(page.statusCode, 200, url);
        assert.equal(page.headers['set-cookie'], undefined, `${url} sets no cookie`);
        assert.match(tokenIn(page.body) ?? '', /^f1\.\d+\.[A-Za-z0-9_-]{43}$/, url);
      }
      const request = await postForm('/privacy/request', {
        _csrf: tokenIn((await get('/privacy/request')).body)!,
        type: 'access',
        jurisdiction: 'eea',
        email: 'forms@example.com',
      });
      assert.equal(request.statusCode, 303, request.body);
      const status = String(request.headers.location);
      const code = await postForm(status, { _csrf: tokenIn((await get(status)).body)!, code: '000000' });
      assert.equal(code.statusCode, 303, code.body);
      assert.match(String(code.headers.location), /\?m=invalid$/, 'the code was checked (and is wrong)');
      const before = await complaints();
      const sent = await postForm(
        '/privacy/complaint',
        complaint(tokenIn((await get('/privacy/complaint')).body)!),
      );
      assert.equal(sent.statusCode, 303, sent.body);
      assert.equal(await complaints(), before + 1);
    });

    it('refuses a missing, foreign, forged or expired token and stores nothing', async () => {
      const before = await complaints();
      const good = tokenIn((await get('/privacy/complaint')).body)!;
      const foreign = tokenIn((await get('/privacy/request')).body)!;
      const [, window, mac] = good.split('.');
      const cases = {
        missing: '',
        'of another form': foreign,
        forged: `f1.${window}.${'A'.repeat(43)}`,
        'from the future': `f1.${Number(window) + 1}.${mac}`,
      };
      for (const [what, csrf] of Object.entries(cases)) {
        const res = await postForm('/privacy/complaint', complaint(csrf));
        assert.equal(res.statusCode, 403, what);
        assert.equal(res.json().error.code, 'VOW_CSRF', what);
      }
      // A token lives from one to two windows: still good an hour on, refused two hours on.
      env().clock.advance(FORM_TOKEN_WINDOW_MS);
      assert.equal((await postForm('/privacy/complaint', complaint(good))).statusCode, 303);
      env().clock.advance(FORM_TOKEN_WINDOW_MS);
      const expired = await postForm('/privacy/complaint', complaint(good));
      assert.equal(expired.statusCode, 403);
      assert.equal(await complaints(), before + 1);
    });

    it('refuses a post another site sends with a valid token (Sec-Fetch-Site, else Origin)', async () => {
      const before = await complaints();
      const fresh = async () => tokenIn((await get('/privacy/complaint')).body)!;
      for (const headers of <Record<string, string>[]>[
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'cross-site', origin: 'http://localhost:80' },
        { origin: 'https://evil.example' },
        { origin: 'null' },
      ]) {
        const res = await postForm('/privacy/complaint', complaint(await fresh()), headers);
        assert.equal(res.statusCode, 403, JSON.stringify(headers));
        assert.equal(res.json().error.code, 'VOW_CSRF');
      }
      assert.equal(await complaints(), before);
      // Vow's own pages: same-origin, or the Origin Vow is configured at, or the Host it was sent to.
      for (const headers of <Record<string, string>[]>[
        { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' },
        { origin: env().ctx.config.publicUrl },
        { origin: 'http://localhost:80' },
      ]) {
        const res = await postForm('/privacy/complaint', complaint(await fresh()), headers);
        assert.equal(res.statusCode, 303, `${JSON.stringify(headers)}: ${res.body}`);
      }
      assert.equal(await complaints(), before + 3);
    });

    it('compares media types case-insensitively: an upper-cased form type still needs the token', async () => {
      const before = await complaints();
      for (const type of [
        'APPLICATION/X-WWW-FORM-URLENCODED',
        'Application/x-www-form-urlencoded; charset=UTF-8',
        ' application/x-www-form-urlencoded',
      ]) {
        const res = await env().app.inject({
          method: 'POST',
          url: '/privacy/complaint',
          headers: { 'content-type': type },
          payload: new URLSearchParams({ jurisdiction: 'other', message: 'forged, no token' }).toString(),
        });
        assert.equal(res.statusCode, 403, `${type}: ${res.statusCode} ${res.body}`);
        assert.equal(res.json().error.code, 'VOW_CSRF');
      }
      assert.equal(await complaints(), before);
    });

    it('shows a refused browser form post as a page, not JSON', async () => {
      const res = await postForm('/privacy/complaint', complaint(''), { accept: 'text/html,*/*;q=0.8' });
      assert.equal(res.statusCode, 403);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /data-code="VOW_CSRF"/);
      assert.match(res.body, /reload the page and retry/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
