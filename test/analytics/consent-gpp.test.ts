import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GppModel } from '@iabgpp/cmpapi';
import fc from 'fast-check';
import { visitorGpp } from '../../src/modules/cookie-consent/banner-model.js';
import { encodeGppHeader, gppString, type UsNatSignals } from '../../src/modules/cookie-consent/gpp.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { USNAT_SALE_AND_SHARING_OUT } from './gpp-fixtures.js';

const policy = loadPolicy(undefined);

describe('GPP string (usnat) checked against the IAB library', () => {
  it('decodes with @iabgpp/cmpapi to the same opt-outs and GPC flag, for every combination', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (sale, sharing, targeted, gpc) => {
        const signals: UsNatSignals = {
          saleOptOut: sale,
          sharingOptOut: sharing,
          targetedAdvertisingOptOut: targeted,
          gpc,
        };
        const model = new GppModel(gppString(signals));
        assert.deepEqual(model.getSectionIds(), [7]);
        assert.equal(model.getFieldValue('usnat', 'Version'), 2);
        assert.equal(model.getFieldValue('usnat', 'SaleOptOut'), sale ? 1 : 2);
        assert.equal(model.getFieldValue('usnat', 'SharingOptOut'), sharing ? 1 : 2);
        assert.equal(model.getFieldValue('usnat', 'TargetedAdvertisingOptOut'), targeted ? 1 : 2);
        assert.equal(model.getFieldValue('usnat', 'GpcSegmentIncluded'), true);
        assert.equal(model.getFieldValue('usnat', 'Gpc'), gpc);
        assert.equal(model.getFieldValue('usnat', 'SaleOptOutNotice'), 1);
        assert.equal(model.getFieldValue('usnat', 'MspaCoveredTransaction'), 2);
      }),
    );
  });

  it('is byte for byte what the IAB library encodes for the same fields', () => {
    const model = new GppModel();
    for (const [f, v] of Object.entries(USNAT_SALE_AND_SHARING_OUT)) model.setFieldValue('usnat', f, v);
    assert.equal(
      gppString({ saleOptOut: true, sharingOptOut: true, targetedAdvertisingOptOut: false, gpc: true }),
      model.encode(),
    );
  });

  it('names several sections in the header with Fibonacci-coded deltas', () => {
    const model = new GppModel(`${encodeGppHeader([7, 8, 12])}~A~A~A`);
    assert.deepEqual(model.getSectionIds(), [7, 8, 12]);
  });

  it("maps a visitor's refusal of advertising, or a GPC signal, to sale, sharing and targeting opt-outs", () => {
    const granted = { 'cookies.advertising': true, 'cookies.analytics': true, google_analytics: true };
    const allowed = new GppModel(visitorGpp(policy, granted, false));
    assert.equal(allowed.getFieldValue('usnat', 'SaleOptOut'), 2);
    assert.equal(allowed.getFieldValue('usnat', 'TargetedAdvertisingOptOut'), 2);
    const withGpc = new GppModel(visitorGpp(policy, granted, true));
    assert.equal(withGpc.getFieldValue('usnat', 'SaleOptOut'), 1);
    assert.equal(withGpc.getFieldValue('usnat', 'SharingOptOut'), 1);
    assert.equal(withGpc.getFieldValue('usnat', 'TargetedAdvertisingOptOut'), 1);
    assert.equal(withGpc.getFieldValue('usnat', 'Gpc'), true);
    const refused = new GppModel(visitorGpp(policy, { ...granted, 'cookies.advertising': false }, false));
    assert.equal(refused.getFieldValue('usnat', 'SharingOptOut'), 1);
    assert.equal(refused.getFieldValue('usnat', 'Gpc'), false);
  });
});
