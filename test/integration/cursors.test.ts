// Every list with a page cursor (console and /v1) reads it the same way: digits only, as the list's
// own links write it. A cursor written any other way is refused with VOW_VALIDATION (the console's
// "Check the address" page for a browser), never read as 0 or another number, never ignored.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

/** Cursors a person or an old bookmark could send that the list never writes itself. */
const BAD = ['x', '', '1e3', '0x10', '%205', '-1', '1.5', '99999999999999999999'];

describeEachDialect('page cursors', (env) => {
  const get = async (url: string, roles: string[], html: boolean) => {
    const who = await staffCaller(env(), roles);
    return env().app.inject({
      method: 'GET',
      url,
      headers: html ? { ...who.headers, accept: 'text/html' } : who.bearer.headers,
    });
  };

  const lists: { url: string; name: string; roles: string[]; html: boolean }[] = [
    { url: '/staff/imports', name: 'after', roles: ['admin'], html: true },
    { url: '/staff/imports/csv-000000000000', name: 'after', roles: ['admin'], html: true },
    { url: '/staff/audit', name: 'after', roles: ['auditor'], html: true },
    { url: '/staff/audit?kind=consent', name: 'before', roles: ['auditor'], html: true },
    { url: '/v1/audit', name: 'after', roles: ['auditor'], html: false },
    { url: '/v1/imports/csv-000000000000/refusals', name: 'after', roles: ['admin'], html: false },
  ];

  it('refuses a cursor written other than in digits on every list that pages', async () => {
    for (const list of lists) {
      for (const value of BAD) {
        const url = `${list.url}${list.url.includes('?') ? '&' : '?'}${list.name}=${value}`;
        const res = await get(url, list.roles, list.html);
        assert.equal(res.statusCode, 400, `${url} answered ${res.statusCode}`);
        if (list.html) {
          assert.match(res.body, /data-code="VOW_VALIDATION"/, url);
          assert.match(res.body, new RegExp(`<li data-name="${list.name}">`), url);
        } else assert.equal(res.json().error.code, 'VOW_VALIDATION', url);
      }
    }
  });

  it('still takes the cursors the lists write', async () => {
    for (const url of ['/staff/audit?after=0', '/staff/audit?kind=consent&before=5']) {
      const res = await get(url, ['auditor'], true);
      assert.equal(res.statusCode, 200, url);
    }
    const api = await get('/v1/audit?after=3&limit=2', ['auditor'], false);
    assert.equal(api.statusCode, 200, api.body);
    // The console's imports list pages nothing: it takes no query at all.
    assert.equal((await get('/staff/imports', ['admin'], true)).statusCode, 200);
  });
});
