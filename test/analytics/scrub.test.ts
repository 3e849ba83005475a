import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  browserFamily,
  looksLikeContact,
  scrubPath,
  scrubPathByParsing,
  siteArea,
  truncateIp,
} from '../../src/modules/site-analytics/scrub.js';

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._+-]{0,15}$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    fc.constantFrom('com', 'org', 'co.uk', 'io'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const phone = fc.oneof(
  fc.stringMatching(/^\+1 \([2-9]\d\d\) [2-9]\d\d-\d{4}$/),
  fc.stringMatching(/^\+44 7\d{3} \d{6}$/),
  fc.stringMatching(/^[2-9]\d{9}$/),
  fc.stringMatching(/^0\d{3}[ .-]\d{3}[ .-]\d{4}$/),
);
const digits = (s: string): string => s.replace(/\D/g, '');
const contact = fc.oneof(email, phone);

/** Everything that could give a contact value away: as written, URL-encoded, or its digits. */
function leaks(out: string, value: string): boolean {
  const decoded = (() => {
    try {
      return decodeURIComponent(out);
    } catch {
      return out;
    }
  })();
  if (decoded.includes(value) || out.includes(encodeURIComponent(value))) return true;
  const d = digits(value);
  return d.length >= 7 && digits(decoded).includes(d);
}

describe('scrubbing of page paths', () => {
  it('drops fragments, tracking parameters and personal parameters, keeps harmless ones', () => {
    assert.equal(
      scrubPath(
        'https://shop.example/rings/solitaire?utm_source=mail&color=white&gclid=abc&fbclid=x&size=7#reviews',
      ),
      '/rings/solitaire?color=white&size=7',
    );
    assert.equal(
      scrubPath('/account?email=a%40b.co&e=x&phone=1&token=s3cret&tab=orders'),
      '/account?tab=orders',
    );
    assert.equal(scrubPath('/search?q=jane.doe%40example.com'), '/search');
    assert.equal(scrubPath('/users/jane@example.com/orders'), '/users/:redacted/orders');
    assert.equal(scrubPath('/callback/+1 (415) 555-0100'), '/callback/:redacted');
    assert.equal(scrubPath('/UTM?UTM_Campaign=x&Email=y'), '/UTM');
    assert.equal(scrubPath('not a url at all'), '/not%20a%20url%20at%20all');
  });

  it('never lets an email or phone number through, wherever in the URL it is put', () => {
    fc.assert(
      fc.property(
        contact,
        fc.constantFrom('segment', 'query-value', 'query-key', 'encoded', 'fragment', 'embedded'),
        fc.stringMatching(/^[a-z]{1,8}$/),
        (value, where, word) => {
          const enc = encodeURIComponent(value);
          const url = {
            segment: `/p/${value}/x`,
            'query-value': `/p?${word}=${enc}&ok=1`,
            'query-key': `/p?${enc}=1`,
            encoded: `/p/${enc}`,
            fragment: `/p#${value}`,
            embedded: `/p/${word}-${value}-${word}?ref=${word}${enc}`,
          }[where];
          const out = scrubPath(url);
          assert.ok(!leaks(out, value), `${JSON.stringify(url)} scrubbed to ${JSON.stringify(out)}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers plain paths without parsing them, exactly as parsing would', () => {
    // Paths built from the characters that decide between the two ways (dots, slashes, digits and
    // separators of phone numbers, characters URL parsing rewrites), and ordinary long paths.
    const piece = fc.constantFrom(
      '/',
      '.',
      '..',
      '-',
      '~',
      '_',
      'a',
      'Z',
      '7',
      '0123456',
      ' ',
      '%2F',
      '?',
      '#',
      '@',
      '\\',
      '+',
    );
    const tricky = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    const ordinary = fc
      .array(fc.stringMatching(/^[a-z0-9.~_-]{1,40}$/), { minLength: 1, maxLength: 30 })
      .map((segments) => `/${segments.join('/')}`);
    fc.assert(
      fc.property(fc.oneof(tricky, ordinary), (input) => {
        assert.equal(scrubPath(input), scrubPathByParsing(input), JSON.stringify(input));
      }),
      { numRuns: 3000 },
    );
    for (const input of [
      '',
      '/',
      '//evil.example/x',
      '/./a',
      '/a/..',
      '/.well-known/x',
      '/call-415-555-0100',
    ])
      assert.equal(scrubPath(input), scrubPathByParsing(input), JSON.stringify(input));
  });

  it('recognises contact-looking values and leaves ordinary ones', () => {
    assert.equal(looksLikeContact('jane@example.com'), true);
    assert.equal(looksLikeContact('+44 7700 900123'), true);
    assert.equal(looksLikeContact('size-7'), false);
    assert.equal(looksLikeContact('white-gold'), false);
  });

  it('guesses the area of the site from the path when the page did not declare one', () => {
    assert.equal(siteArea(undefined, '/'), 'home');
    assert.equal(siteArea(undefined, '/products/ring'), 'product');
    assert.equal(siteArea('checkout', '/whatever'), 'checkout');
    assert.equal(siteArea('jane doe', '/x'), 'other');
  });
});

describe('IP truncation and browser family', () => {
  it('truncates IPv4 to /24 and IPv6 to /48', () => {
    assert.equal(truncateIp('203.0.113.77'), '203.0.113.0');
    assert.equal(truncateIp('::ffff:198.51.100.9'), '198.51.100.0');
    assert.equal(truncateIp('2001:db8:abcd:12:34::1'), '2001:db8:abcd::');
    assert.equal(truncateIp('2001:db8::1'), '2001:db8:0::');
    assert.equal(truncateIp('nonsense'), null);
  });

  it('keeps only the family of a user agent', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    assert.equal(browserFamily(chrome), 'chrome');
    assert.equal(browserFamily(`${chrome} Edg/120.0`), 'edge');
    assert.equal(
      browserFamily('Mozilla/5.0 (Windows NT 10.0; rv:121.0) Gecko/20100101 Firefox/121.0'),
      'firefox',
    );
    assert.equal(
      browserFamily(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
      'safari',
    );
    assert.equal(browserFamily('Googlebot/2.1'), 'bot');
    assert.equal(browserFamily(undefined), 'other');
  });
});
