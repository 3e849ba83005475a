// The US state breach-notification rules as the shipped policy holds them (each number with its
// statute section) and the clocks that follow (state-clocks.ts, pure: an injected time): the day
// counts and their boundaries, the thresholds, the version in force on the day the breach became
// known, business days, a notice counted from the residents' notice, and a recorded notice settling
// its clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, ruleOn, stateClock, stateClocks } from '../../src/modules/incidents/index.js';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../../src/modules/policy/index.js';

const laws = loadPolicyFile(DEFAULT_POLICY_PATH).doc.us_breach_laws ?? {};
const AWARE = '2026-03-02T10:00:00.000Z'; // a Monday
const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.parse(AWARE) + ms);
const duty = (state: string, residents: number, kind: string, now = at(0), given = [] as never[]) =>
  stateClock(laws, state, residents, AWARE, given, now).duties.find((d) => d.kind === kind);

describe('US state breach rules: the numbers as cited', () => {
  const cases: [string, number | undefined, string][] = [
    ['us-wi', 45, 'Wis. Stat. § 134.98(3)(a)'],
    ['us-ca', 30, 'Cal. Civ. Code § 1798.82(a)(2)'],
    ['us-co', 30, 'Colo. Rev. Stat. § 6-1-716(2)(a)'],
    ['us-fl', 30, 'Fla. Stat. § 501.171(4)(a)'],
    ['us-wa', 30, 'RCW 19.255.010(8)'],
    ['us-tx', 60, 'Tex. Bus. & Com. Code § 521.053(b)'],
    ['us-ny', 30, 'N.Y. Gen. Bus. Law § 899-aa(2)'],
    ['us-oh', 45, 'Ohio Rev. Code § 1349.19(B)(2)'],
    ['us-me', 30, '10 M.R.S. § 1348(1)'],
    ['us-vt', 45, '9 V.S.A. § 2435(b)(1)'],
    ['us-ct', 60, 'Conn. Gen. Stat. § 36a-701b(b)(1)'],
    ['us-az', 45, 'Ariz. Rev. Stat. § 18-552(B)(1)'],
    ['us-or', 45, 'ORS 646A.604(3)(a)'],
    ['us-de', 60, '6 Del. C. § 12B-102(c)'],
    ['us-md', 45, 'Md. Code, Com. Law § 14-3504(b)(3)'],
    ['us-tn', 45, 'Tenn. Code § 47-18-2107(b)'],
  ];
  for (const [state, days, cite] of cases)
    it(`${state}: ${days} days to tell the residents (${cite})`, () => {
      const rule = ruleOn(laws, state, AWARE);
      assert.equal(rule?.residents.days, days);
      assert.equal(rule?.residents.cite, cite);
    });

  it('the regulators and the credit agencies: thresholds and days as the statutes word them', () => {
    assert.deepEqual(ruleOn(laws, 'us-ca', AWARE)?.regulator?.threshold, { more_than: 500 });
    assert.equal(ruleOn(laws, 'us-ca', AWARE)?.regulator?.days, 15);
    assert.deepEqual(ruleOn(laws, 'us-co', AWARE)?.regulator?.threshold, { at_least: 500 });
    assert.deepEqual(ruleOn(laws, 'us-tx', AWARE)?.regulator?.threshold, { at_least: 250 });
    assert.equal(ruleOn(laws, 'us-tx', AWARE)?.regulator?.days, 30);
    assert.deepEqual(ruleOn(laws, 'us-or', AWARE)?.regulator?.threshold, { more_than: 250 });
    assert.equal(ruleOn(laws, 'us-wi', AWARE)?.regulator, undefined, 'Wisconsin: no attorney general');
    assert.deepEqual(ruleOn(laws, 'us-wi', AWARE)?.credit_agencies?.threshold, { at_least: 1000 });
    assert.deepEqual(ruleOn(laws, 'us-tx', AWARE)?.credit_agencies?.threshold, { more_than: 10000 });
    assert.deepEqual(ruleOn(laws, 'us-ny', AWARE)?.credit_agencies?.threshold, { more_than: 5000 });
  });

  it('Delaware, Maryland and Tennessee: their regulators and agencies, and the versions before the days were set', () => {
    // Delaware: the attorney general above 500, no later than the residents; no agencies' duty.
    const de = ruleOn(laws, 'us-de', AWARE);
    assert.deepEqual(de?.regulator?.threshold, { more_than: 500 });
    assert.equal(de?.regulator?.counted_from, 'residents_notice');
    assert.equal(de?.regulator?.days, 0);
    assert.equal(de?.regulator?.cite, '6 Del. C. § 12B-102(d)');
    assert.equal(de?.credit_agencies, undefined);
    assert.equal(duty('us-de', 500, 'regulator')?.state, 'not_required', '500 is not more than 500');
    assert.equal(duty('us-de', 501, 'regulator')?.state, 'due');
    const deBefore = ruleOn(laws, 'us-de', '2018-04-13T23:00:00.000Z');
    assert.equal(deBefore?.residents.days, undefined);
    assert.equal(deBefore?.regulator, undefined);
    assert.equal(ruleOn(laws, 'us-de', '2018-04-14T00:00:00.000Z')?.residents.days, 60);
    // Maryland: the attorney general for any resident, before the residents; agencies from 1,000.
    const md = ruleOn(laws, 'us-md', AWARE);
    assert.deepEqual(md?.regulator?.threshold, { at_least: 1 });
    assert.equal(md?.regulator?.counted_from, 'residents_notice');
    assert.equal(md?.regulator?.cite, 'Md. Code, Com. Law § 14-3504(h)');
    assert.deepEqual(md?.credit_agencies?.threshold, { at_least: 1000 });
    assert.equal(duty('us-md', 999, 'credit_agencies')?.state, 'not_required');
    assert.equal(duty('us-md', 1000, 'credit_agencies')?.state, 'due', '1,000 or more');
    assert.equal(duty('us-md', 1, 'regulator')?.state, 'due');
    assert.equal(ruleOn(laws, 'us-md', '2022-09-30T12:00:00.000Z')?.residents.days, undefined);
    assert.equal(ruleOn(laws, 'us-md', '2022-10-01T00:00:00.000Z')?.residents.days, 45);
    // Tennessee: no attorney general; agencies above 1,000; 45 days from 1 July 2016.
    const tn = ruleOn(laws, 'us-tn', AWARE);
    assert.equal(tn?.regulator, undefined);
    assert.deepEqual(tn?.credit_agencies?.threshold, { more_than: 1000 });
    assert.equal(duty('us-tn', 1000, 'credit_agencies')?.state, 'not_required');
    assert.equal(duty('us-tn', 1001, 'credit_agencies')?.state, 'due');
    assert.equal(ruleOn(laws, 'us-tn', '2016-06-30T12:00:00.000Z')?.residents.days, undefined);
    assert.equal(ruleOn(laws, 'us-tn', '2016-07-01T00:00:00.000Z')?.residents.days, 45);
    for (const s of ['us-de', 'us-md', 'us-tn'])
      for (const v of laws[s] ?? []) assert.ok(v.note, `${s}: says what was checked against what`);
  });

  it('a state not modelled has no rule: "without unreasonable delay", no regulator', () => {
    assert.equal(ruleOn(laws, 'us-ga', AWARE), undefined);
    const c = stateClock(laws, 'us-ga', 10, AWARE, [], at(0));
    assert.equal(c.modelled, false);
    assert.equal(c.duties.length, 1);
    assert.equal(c.duties[0]?.deadlineAt, null);
    assert.match(c.duties[0]?.rule ?? '', /without unreasonable delay/);
  });
});

describe('US state breach clocks', () => {
  it('California before 2026: no day; from 2026-01-01 (SB 446): 30 days', () => {
    assert.equal(ruleOn(laws, 'us-ca', '2025-12-31T23:59:59.000Z')?.residents.days, undefined);
    assert.equal(ruleOn(laws, 'us-ca', '2026-01-01T00:00:00.000Z')?.residents.days, 30);
    assert.equal(ruleOn(laws, 'us-ny', '2024-12-20T12:00:00.000Z')?.residents.days, undefined);
    assert.equal(ruleOn(laws, 'us-ny', '2024-12-21T00:00:00.000Z')?.residents.days, 30);
  });

  it('the day count and its boundary: due to the same hour 45 days on, overdue a moment after', () => {
    const deadline = new Date(Date.parse(AWARE) + 45 * DAY).toISOString();
    assert.equal(duty('us-wi', 3, 'residents')?.deadlineAt, deadline);
    assert.equal(duty('us-wi', 3, 'residents', at(45 * DAY))?.state, 'due');
    assert.equal(duty('us-wi', 3, 'residents', at(45 * DAY))?.msLeft, 0);
    assert.equal(duty('us-wi', 3, 'residents', at(45 * DAY + 1))?.state, 'overdue');
    assert.equal(duty('us-tx', 3, 'residents', at(60 * DAY - 1))?.state, 'due');
    assert.equal(duty('us-tx', 3, 'residents', at(60 * DAY + 1))?.state, 'overdue');
  });

  it('thresholds: 500 Californians need no sample copy to the attorney general, 501 do ("more than 500")', () => {
    assert.equal(duty('us-ca', 500, 'regulator')?.state, 'not_required');
    assert.equal(duty('us-ca', 501, 'regulator')?.state, 'due');
    assert.equal(duty('us-co', 499, 'regulator')?.state, 'not_required');
    assert.equal(duty('us-co', 500, 'regulator')?.state, 'due', '"500 or more" in Colorado');
    assert.equal(duty('us-tx', 249, 'regulator')?.state, 'not_required');
    assert.equal(duty('us-tx', 250, 'regulator')?.state, 'due');
    assert.equal(duty('us-wi', 999, 'credit_agencies')?.state, 'not_required');
    assert.equal(duty('us-wi', 1000, 'credit_agencies')?.state, 'due');
    assert.equal(duty('us-oh', 1000, 'credit_agencies')?.state, 'not_required');
    assert.equal(duty('us-oh', 1001, 'credit_agencies')?.state, 'due');
  });

  it("California's attorney general: 15 days after the residents' notice, estimated until it is given", () => {
    const before = duty('us-ca', 600, 'regulator');
    assert.equal(before?.provisional, true);
    assert.equal(before?.deadlineAt, new Date(Date.parse(AWARE) + 45 * DAY).toISOString());
    const told = { state: 'us-ca', kind: 'residents' as const, at: at(10 * DAY).toISOString(), to: 'email' };
    const after = stateClock(laws, 'us-ca', 600, AWARE, [told], at(11 * DAY)).duties;
    assert.equal(after[0]?.state, 'done');
    assert.equal(after[1]?.provisional, false);
    assert.equal(after[1]?.deadlineAt, at(25 * DAY).toISOString());
  });

  it("Vermont's preliminary notice: 14 business days, weekends skipped", () => {
    // Monday 2026-03-02 + 14 weekdays = Friday 2026-03-20.
    assert.equal(duty('us-vt', 1, 'regulator')?.deadlineAt, '2026-03-20T10:00:00.000Z');
    assert.equal(addDays('2026-03-06T10:00:00.000Z', 1, true), '2026-03-09T10:00:00.000Z');
  });

  it('a recorded notice settles its clock, late when after the deadline', () => {
    const on = { state: 'us-wi', kind: 'residents' as const, at: at(44 * DAY).toISOString(), to: 'letter' };
    const late = { ...on, at: at(46 * DAY).toISOString() };
    const done = stateClock(laws, 'us-wi', 3, AWARE, [on], at(50 * DAY)).duties[0];
    assert.equal(done?.state, 'done');
    assert.equal(done?.late, false);
    assert.deepEqual(done?.given, { at: on.at, to: 'letter' });
    assert.equal(stateClock(laws, 'us-wi', 3, AWARE, [late], at(50 * DAY)).duties[0]?.late, true);
  });

  it('the states nearest first; none without residents; the unknown left out of the clocks', () => {
    const clocks = stateClocks(
      laws,
      { 'us-wi': 3, 'us-co': 2, 'us-ga': 1, 'us-tx': 0, unknown: 4 },
      AWARE,
      [],
      at(0),
    );
    assert.deepEqual(
      clocks.map((c) => c.state),
      ['us-co', 'us-wi', 'us-ga'],
    );
  });
});
