// The consent script sends each page's path and query string (`location.pathname +
// location.search`) with a measurement; Vow scrubs it before storing: personal parameters dropped,
// any value that looks like an email address or a phone number dropped or redacted. The check
// decoded a value once, so a contact encoded twice went through and was stored: the usual way a
// shop's page carries a URL inside its own (`?return=%2Faccount%3Femail%3Dann%2540example.com`,
// a log-in page's way back) or a path segment encoded twice. Now a value is decoded until it stops
// changing before it is checked, and one still encoded after that many rounds is dropped.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scrubPath } from '../../src/modules/site-analytics/scrub.js';
import { describeEachDialect } from '../helpers/env.js';
import { collectPageView, measuredVisitor, storedPaths } from '../helpers/measurements.js';

const EMAIL = 'ann.stored@example.com';
const PHONE = '+1 (415) 555-0100';
const twice = (s: string) => encodeURIComponent(encodeURIComponent(s));
const nested = (s: string, times: number) => {
  let out = s;
  for (let i = 0; i < times; i++) out = encodeURIComponent(out);
  return out;
};

/** Whether a stored path still gives the contact away, however many times it is decoded. */
function leaks(stored: string, value: string): boolean {
  const digits = value.replace(/\D/g, '');
  let s = stored;
  for (let i = 0; i < 16; i++) {
    if (s.includes(value) || (digits.length >= 7 && s.replace(/\D/g, '').includes(digits))) return true;
    try {
      s = decodeURIComponent(s);
    } catch {
      break;
    }
  }
  return false;
}

const PATHS = [
  `/login?return=${encodeURIComponent(`/account?email=${encodeURIComponent(EMAIL)}`)}`,
  `/p?ref=${twice(EMAIL)}`,
  `/p?${twice(EMAIL)}=1`,
  `/users/${twice(EMAIL)}/orders`,
  `/p?next=${twice(PHONE)}`,
  `/callback/${twice(PHONE)}`,
  `/p?deep=${nested(EMAIL, 5)}`,
  `/p?deeper=${nested(EMAIL, 14)}`,
];

it('scrubs a contact however many times it was encoded, and keeps what it kept before', () => {
  for (const path of PATHS) {
    const out = scrubPath(path);
    assert.ok(!leaks(out, path.includes('415') ? PHONE : EMAIL), `${path} -> ${out}`);
  }
  // Ordinary values, encoded or not, are kept as they were.
  assert.equal(scrubPath('/rings?color=white&size=7'), '/rings?color=white&size=7');
  assert.equal(scrubPath('/p?return=%2Frings%3Fcolor%3Dwhite'), '/p?return=%2Frings%3Fcolor%3Dwhite');
  assert.equal(scrubPath('/search?q=50%25%20off'), '/search?q=50%25%20off');
  // Scrubbing a scrubbed path changes nothing (the promise check compares them).
  for (const path of PATHS) assert.equal(scrubPath(scrubPath(path)), scrubPath(path), path);
});

describeEachDialect('no contact stored from a page path encoded twice', (env) => {
  it('stores the measurement with the contact taken out', async () => {
    const visitor = await measuredVisitor(env());
    for (const path of PATHS) await collectPageView(env(), visitor, path);
    const paths = await storedPaths(env(), visitor);
    assert.equal(paths.length, PATHS.length);
    for (const path of paths) {
      assert.ok(!leaks(path, EMAIL), path);
      assert.ok(!leaks(path, PHONE), path);
    }
  });
});
