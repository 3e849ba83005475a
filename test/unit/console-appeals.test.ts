// The console's appeals list: the officer who refused a request is not offered the decision on its
// appeal (the rights module refuses it with VOW_APPEAL_SAME_DECIDER); a colleague is.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderAppeals } from '../../src/http/console/appeals.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import type { AppealView } from '../../src/modules/rights/index.js';

it('offers the decision to a colleague, not to the officer who refused the request', () => {
  const policy = loadPolicy();
  const appeal: AppealView = {
    id: 'appeal-1',
    requestId: 'request-1234567890',
    jurisdiction: 'us-va',
    status: 'open',
    receivedOn: '2026-05-04',
    dueOn: '2026-07-03',
    extended: false,
    overdue: false,
    firstDecider: 'staff-ada',
    decidedBy: null,
    decidedAt: null,
    cite: null,
  };
  const frame = { policy, roles: ['privacy_officer'], csrf: 'token' };
  const names = new Map([['staff-ada', 'ada']]);
  const own = renderAppeals(frame, [appeal], names, undefined, 'staff-ada');
  assert.match(own, /data-testid="own-refusal">You refused this request: a colleague decides the appeal\./);
  assert.doesNotMatch(own, /action="\/staff\/appeals\/decide"/);
  const colleague = renderAppeals(frame, [appeal], names, undefined, 'staff-bo');
  assert.match(colleague, /action="\/staff\/appeals\/decide"/);
  assert.doesNotMatch(colleague, /own-refusal/);
});
