import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addBusinessDays,
  addMonthsClamped,
  deadlinesFor,
  isCalendarDay,
  isOverdue,
} from '../../src/modules/rights/index.js';

describe('request deadlines', () => {
  it('counts only from days of the calendar, from 1970 on', () => {
    for (const day of ['2026-01-31', '2028-02-29', '1970-01-01', '2026-12-31'])
      assert.ok(isCalendarDay(day), day);
    for (const day of [
      '2026-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '0000-01-01',
      '1969-12-31',
      '2026-1-1',
      '20260101',
      '+2026-01-01',
    ])
      assert.ok(!isCalendarDay(day), day);
  });

  it('GDPR: one month is the same day number next month', () => {
    assert.equal(deadlinesFor('eea', '2026-03-10').dueOn, '2026-04-10');
    assert.equal(deadlinesFor('uk', '2026-12-15').dueOn, '2027-01-15');
  });

  it('GDPR: a day missing next month falls back to that month’s last day (Jan 31 → Feb 28, or 29 in a leap year)', () => {
    assert.equal(deadlinesFor('eea', '2026-01-31').dueOn, '2026-02-28');
    assert.equal(deadlinesFor('eea', '2028-01-31').dueOn, '2028-02-29');
    assert.equal(deadlinesFor('eea', '2026-03-31').dueOn, '2026-04-30');
    assert.equal(deadlinesFor('eea', '2026-01-29').dueOn, '2026-02-28');
    assert.equal(addMonthsClamped('2026-08-31', 1), '2026-09-30');
  });

  it('GDPR: the extension adds two further months, counted from receipt and clamped the same way', () => {
    const d = deadlinesFor('eea', '2026-01-31');
    assert.equal(d.extendedDueOn, '2026-04-30');
    assert.equal(d.extendBy, '2026-02-28', 'extension must be notified within the first month');
    assert.equal(deadlinesFor('eea', '2025-11-30').extendedDueOn, '2026-02-28');
    assert.equal(d.ackDueOn, null);
  });

  it('CCPA: 45 calendar days to answer, 45 more on extension, notice inside the first 45', () => {
    const d = deadlinesFor('us-ca', '2026-01-31');
    assert.equal(d.law, 'ccpa');
    assert.equal(d.dueOn, '2026-03-17');
    assert.equal(d.extendedDueOn, '2026-05-01');
    assert.equal(d.extendBy, '2026-03-17');
  });

  it('CCPA: acknowledge within 10 business days, weekends skipped', () => {
    // Friday 2026-01-30: ten weekdays later is Friday 2026-02-13.
    assert.equal(deadlinesFor('us-ca', '2026-01-30').ackDueOn, '2026-02-13');
    // Saturday receipt: the count starts Monday.
    assert.equal(addBusinessDays('2026-01-31', 10), '2026-02-13');
    assert.equal(addBusinessDays('2026-02-01', 1), '2026-02-02');
    assert.equal(addBusinessDays('2026-02-06', 1), '2026-02-09', 'Friday + 1 business day is Monday');
  });

  it('the jurisdiction decides the law; other places get the stricter GDPR clock', () => {
    assert.equal(deadlinesFor('other', '2026-05-05').law, 'gdpr');
    assert.equal(deadlinesFor('other', '2026-05-05').dueOn, '2026-06-05');
  });

  it('overdue means past the end of the due day', () => {
    assert.equal(isOverdue('2026-02-28', '2026-02-28'), false);
    assert.equal(isOverdue('2026-02-28', '2026-03-01'), true);
  });

  it('takes the UTC day of a timestamp as the day of receipt', () => {
    assert.equal(deadlinesFor('eea', new Date('2026-01-31T23:59:00Z')).dueOn, '2026-02-28');
  });
});
