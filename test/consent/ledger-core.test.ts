import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  appendConsentEvent,
  consentHistory,
  currentStates,
  deriveStates,
} from '../../src/modules/consent/ledger.js';
import { describeEachDialect } from '../helpers/env.js';

it('derives the latest state per channel from events', () => {
  assert.deepEqual(
    deriveStates([
      { channel: 'email_marketing', event: 'enrolled' },
      { channel: 'sms_marketing', event: 'consented' },
      { channel: 'email_marketing', event: 'unsubscribed' },
    ]),
    { email_marketing: 'withdrawn', sms_marketing: 'granted' },
  );
});

describeEachDialect('consent ledger core', (env) => {
  it('appends events and reads them back in order', async () => {
    const { store, random, policy, clock } = env().ctx;
    for (const event of ['enrolled', 'unsubscribed', 're_enrolled'] as const) {
      await appendConsentEvent(store.db, random, {
        subjectRef: 'subj-1',
        channel: 'email_marketing',
        event,
        cause: { type: 'collection_point', ref: 'contest_entry' },
        at: clock.now(),
        policyVersion: policy.version,
      });
    }
    const history = await consentHistory(store.db, 'subj-1');
    assert.deepEqual(
      history.map((h) => h.event),
      ['enrolled', 'unsubscribed', 're_enrolled'],
    );
    assert.deepEqual(await currentStates(store.db, 'subj-1'), { email_marketing: 'enrolled' });
  });
});
