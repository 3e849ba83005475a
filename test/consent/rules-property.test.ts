import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { planCollection } from '../../src/modules/consent/collection-rules.js';
import {
  type ConsentEventType,
  type StoredChannelState,
  stateAfter,
} from '../../src/modules/consent/ledger.js';
import { loadPolicy } from '../../src/modules/policy/index.js';

const policy = loadPolicy(undefined);

type Step =
  | { type: 'collect'; point: string; kind: string; optIns: string[] }
  | { type: 'unsubscribe'; channel: string }
  | { type: 'suppress'; channel: string };

const POINTS: [string, string][] = [
  ['checkout', 'customer'],
  ['checkout', 'gift_recipient'],
  ['registration', 'account_holder'],
  ['contest_entry', 'contestant'],
  ['catalog_request', 'catalog_requester'],
  ['sms_signup', 'sms_subscriber'],
  ['inbound_email', 'correspondent'],
];
const CHANNELS = ['email_marketing', 'postal_marketing', 'account_updates', 'sms_marketing'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({
      type: fc.constant('collect' as const),
      pk: fc.constantFrom(...POINTS),
      optIns: fc.subarray(CHANNELS),
    })
    .map(({ pk, optIns }) => ({ type: 'collect' as const, point: pk[0], kind: pk[1], optIns })),
  fc.record({ type: fc.constant('unsubscribe' as const), channel: fc.constantFrom(...CHANNELS) }),
  fc.record({ type: fc.constant('suppress' as const), channel: fc.constantFrom(...CHANNELS) }),
);

/** Runs steps for one person; returns the email/postal states after each step. */
function run(steps: Step[]) {
  const current: Record<string, StoredChannelState> = {};
  const apply = (channel: string, event: ConsentEventType) => {
    current[channel] = { state: stateAfter(event), lastEvent: event };
  };
  const trace: { step: Step; events: string[]; after: Record<string, StoredChannelState> }[] = [];
  for (const s of steps) {
    const events: string[] = [];
    if (s.type === 'collect') {
      for (const p of planCollection(policy, {
        collectionPoint: s.point,
        kinds: [s.kind],
        optIns: s.optIns,
        current,
      })) {
        apply(p.channel, p.event);
        events.push(`${p.channel}:${p.event}`);
      }
    } else if (s.type === 'unsubscribe') {
      if (current[s.channel]?.state !== 'withdrawn') apply(s.channel, 'unsubscribed');
    } else if (current[s.channel]?.lastEvent !== 'suppressed') {
      apply(s.channel, 'suppressed');
    }
    trace.push({ step: s, events, after: { ...current } });
  }
  return trace;
}

it('never enrolls anyone in email marketing as a gift recipient, correspondent or SMS subscriber', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      for (const t of run(steps)) {
        if (
          t.step.type === 'collect' &&
          ['gift_recipient', 'correspondent', 'sms_subscriber'].includes(t.step.kind)
        )
          assert.ok(!t.events.some((e) => e.startsWith('email_marketing:')), JSON.stringify(t));
      }
    }),
  );
});

it('brings an unsubscribed email back only through a contest entry or a catalog request (P11), a suppressed one only on an explicit ask', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      let prev: StoredChannelState | undefined;
      for (const t of run(steps)) {
        const now = t.after.email_marketing;
        if (prev?.state === 'withdrawn' && now?.state !== 'withdrawn') {
          assert.equal(t.step.type, 'collect');
          if (t.step.type !== 'collect') return;
          if (prev.lastEvent === 'suppressed') {
            // a staff removal: only the person's explicit ask brings them back
            assert.ok(t.step.optIns.includes('email_marketing'), JSON.stringify(t.step));
          } else {
            // an unsubscribe: only another contest entry or promotional-material request
            assert.ok(['contest_entry', 'catalog_request'].includes(t.step.point), JSON.stringify(t.step));
          }
        }
        prev = now;
      }
    }),
  );
});

it('keeps a suppressed postal address off the list unless the person ticks it again', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      let prev: StoredChannelState | undefined;
      for (const t of run(steps)) {
        const now = t.after.postal_marketing;
        if (prev?.lastEvent === 'suppressed' && now?.state !== 'withdrawn')
          assert.ok(
            t.step.type === 'collect' && t.step.optIns.includes('postal_marketing'),
            JSON.stringify(t.step),
          );
        prev = now;
      }
    }),
  );
});
