// The language switch's `back=` leads only to a path of this site. Dot segments are resolved before
// the check: `/..//evil.example` passes every test on the raw string (starts with one slash, no
// backslash, resolves on this origin) but resolves to the path `//evil.example`, which a browser
// follows as a scheme-relative URL to another host.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('the language switch leads nowhere else', (env) => {
  const switchTo = (back: string) =>
    env().app.inject({ method: 'GET', url: `/language?to=es-US&back=${encodeURIComponent(back)}` });

  it('never answers a Location naming another host, even through dot segments', async () => {
    for (const back of [
      '/..//evil.example',
      '/.//evil.example/x',
      '/a/b/../..//evil.example',
      '/%2e%2e//evil.example',
      '/%2E//evil.example?x=1',
      '/..///evil.example',
    ]) {
      const res = await switchTo(back);
      assert.equal(res.statusCode, 303, back);
      const location = String(res.headers.location);
      assert.equal(location, '/privacy', `${back} -> ${location}`);
      // What a browser makes of it: still this site.
      assert.equal(new URL(location, 'https://vow.example').host, 'vow.example', back);
    }
  });

  it('still leads back to a path of this site', async () => {
    const res = await switchTo('/privacy/request?x=1');
    assert.equal(res.headers.location, '/privacy/request?x=1');
    assert.equal((await switchTo('/a/../privacy')).headers.location, '/privacy');
  });
});
