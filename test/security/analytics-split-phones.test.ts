// docs/security.md #27: a phone number split by underscores or slashes (in a path or a query value)
// is redacted like one split by spaces or dashes; dates, version numbers and order numbers that are
// no valid phone number are kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { scrubPath, scrubPathByParsing } from '../../src/modules/site-analytics/scrub.js';

const digitsOf = (s: string): string => s.replace(/\D/g, '');

describe('analytics scrubbing of phone numbers split by _ or /', () => {
  it('redacts them in path segments, across segments and in query values', () => {
    assert.equal(scrubPath('/track/415_555_0100'), '/track/:redacted');
    assert.equal(scrubPath('/track/415/555/0100'), '/track/:redacted');
    assert.equal(scrubPath('/call/+44_20_7946_0958/now'), '/call/:redacted/now');
    assert.equal(scrubPath('/c/ref_415_555_0100_x'), '/c/ref_:redacted_x');
    assert.equal(scrubPath('/blog/2024/01/15/415/555/0100'), '/blog/2024/01/15/:redacted');
    assert.equal(scrubPath('/c/415%5F555%5F0100'), '/c/:redacted');
    assert.equal(scrubPath('/x?ref=415/555/0100&ok=1'), '/x?ok=1');
    assert.equal(scrubPath('/x?ref=415_555_0100'), '/x');
    assert.equal(scrubPath('/x?ref=+44_20_7946_0958'), '/x');
    assert.equal(scrubPath('/x?ref=%2B44_20_7946_0958'), '/x');
    // Both ways to an answer agree (a plain path skips the parser).
    for (const p of ['/track/415_555_0100', '/track/415/555/0100', '/call/+44_20_7946_0958'])
      assert.equal(scrubPath(p), scrubPathByParsing(p));
  });

  it('keeps dates, version numbers and order numbers that are no phone number', () => {
    for (const kept of [
      '/blog/2024/01/15/post',
      '/blog/2024_01_15',
      '/events/15/01/2024',
      '/events/01/15/2024',
      '/v/1.2.3',
      '/orders/100234_5678',
      '/order/123456_7',
      '/archive?from=2024/01/15&to=15/01/2024',
      '/p/12/34',
    ])
      assert.equal(scrubPath(kept), kept);
  });

  it('never keeps a valid US number split by _ or / anywhere in a path or query value', () => {
    const us = fc.stringMatching(/^[2-9]\d\d[2-9]\d{6}$/).filter((n) => isValidPhoneNumber(n, 'US'));
    fc.assert(
      fc.property(us, fc.constantFrom('_', '/'), fc.constantFrom('segment', 'query'), (n, sep, where) => {
        const split = `${n.slice(0, 3)}${sep}${n.slice(3, 6)}${sep}${n.slice(6)}`;
        const url = where === 'segment' ? `/t/${split}/x` : `/t?v=${encodeURIComponent(split)}`;
        const out = scrubPath(url);
        assert.ok(!digitsOf(out).includes(n), `${url} -> ${out}`);
      }),
      { numRuns: 300 },
    );
  });
});
