// docs/security.md #30: the check of phone numbers split by `_` or `/` tried every part of a run of
// digit groups with libphonenumber, so one measurement whose page path was '1_' x 1,000 (2 KB, what
// the route accepts) cost seconds of CPU on the server, and '1_' x 1,600 thirty seconds: a handful of
// anonymous posts stopped Vow answering anyone. Each value now has a budget of checks, and a run
// still to check past it is redacted whole, so a crafted path costs at most that budget and leaks
// nothing. (Counted, not timed: the test counts the checks a value costs.)
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  MAX_PHONE_CHECKS,
  REDACTED,
  redactSplitPhones,
  scrubPath,
} from '../../src/modules/site-analytics/scrub.js';
import { describeEachDialect } from '../helpers/env.js';
import { collectPageView, measuredVisitor, storedPaths } from '../helpers/measurements.js';

/** The crafted values: every way a run of groups can be long. */
const CRAFTED = [
  '1_'.repeat(1000),
  '/1'.repeat(1000),
  `+${'1_'.repeat(1000)}1`,
  '12_'.repeat(680),
  '1234567_'.repeat(250),
  '415_555_0100_'.repeat(150),
];

describeEachDialect('the cost of scrubbing a crafted page path', (env) => {
  it('checks at most MAX_PHONE_CHECKS parts of one value, and redacts the rest whole', () => {
    for (const value of CRAFTED) {
      let checks = 0;
      const out = redactSplitPhones(value, () => {
        checks++;
        return false;
      });
      assert.ok(checks > 0 && checks <= MAX_PHONE_CHECKS, `${checks} checks for ${value.slice(0, 12)}…`);
      assert.ok(out.includes(REDACTED), 'a run left unchecked is redacted');
    }
    // A real path needs a few checks, and its phone number is still found.
    let checks = 0;
    const out = redactSplitPhones('/track/415_555_0100/order/100234_5678', (g, plus) => {
      checks++;
      return g.join('') === '4155550100' && !plus;
    });
    assert.equal(out, `/track/${REDACTED}/order/100234_5678`);
    assert.ok(checks < 10, `${checks} checks`);
  });

  it('stores a crafted measurement with no phone number in it', async () => {
    const visitor = await measuredVisitor(env());
    const path = `/p/${'415_555_0100_'.repeat(150)}`.slice(0, 2048);
    await collectPageView(env(), visitor, path);
    const paths = await storedPaths(env(), visitor);
    assert.equal(paths.length, 1);
    assert.ok(!paths[0]!.includes('555'), paths[0]!.slice(0, 80));
    assert.equal(scrubPath(path), paths[0]);
  });
});
