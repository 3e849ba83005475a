// The GPP state sections (usva 9, usco 10, usut 11, usct 12) beside usnat, decoded with the IAB
// library (@iabgpp/cmpapi) and compared byte for byte with what it encodes for the same fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GppModel } from '@iabgpp/cmpapi';
import fc from 'fast-check';
import { gppStringFor, STATE_SECTIONS } from '../../src/modules/cookie-consent/index.js';
import { USNAT_SALE_AND_SHARING_OUT } from './gpp-fixtures.js';

const STATES = Object.keys(STATE_SECTIONS) as (keyof typeof STATE_SECTIONS)[];
const HAS_GPC = new Set(['usco', 'usct']);

describe('GPP state sections checked against the IAB library', () => {
  it('decode to the same opt-outs (and GPC where the section has it), for every combination', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATES),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (state, sale, targeted, gpc) => {
          const { id, name } = STATE_SECTIONS[state];
          const s = { saleOptOut: sale, sharingOptOut: sale, targetedAdvertisingOptOut: targeted, gpc };
          const model = new GppModel(gppStringFor(s, state));
          assert.deepEqual(model.getSectionIds(), [7, id]);
          assert.equal(model.getFieldValue(name, 'Version'), 1);
          assert.equal(model.getFieldValue(name, 'SaleOptOut'), sale ? 1 : 2);
          assert.equal(model.getFieldValue(name, 'TargetedAdvertisingOptOut'), targeted ? 1 : 2);
          assert.equal(model.getFieldValue(name, 'SaleOptOutNotice'), 1);
          assert.equal(model.getFieldValue(name, 'MspaCoveredTransaction'), 2);
          if (HAS_GPC.has(name)) assert.equal(model.getFieldValue(name, 'Gpc'), gpc);
          assert.equal(model.getFieldValue('usnat', 'SaleOptOut'), sale ? 1 : 2);
          assert.equal(model.getFieldValue('usnat', 'Gpc'), gpc);
        },
      ),
    );
  });

  it('are byte for byte what the IAB library encodes for the same fields', () => {
    for (const state of STATES) {
      const { name } = STATE_SECTIONS[state];
      const model = new GppModel();
      const usnat = USNAT_SALE_AND_SHARING_OUT;
      for (const [f, v] of Object.entries(usnat)) model.setFieldValue('usnat', f, v);
      const own: Record<string, unknown> = {
        SharingNotice: 1,
        SaleOptOutNotice: 1,
        TargetedAdvertisingOptOutNotice: 1,
        SaleOptOut: 1,
        TargetedAdvertisingOptOut: 2,
        MspaCoveredTransaction: 2,
      };
      if (HAS_GPC.has(name)) Object.assign(own, { GpcSegmentIncluded: true, Gpc: true });
      for (const [f, v] of Object.entries(own)) model.setFieldValue(name, f, v);
      assert.equal(
        gppStringFor(
          { saleOptOut: true, sharingOptOut: true, targetedAdvertisingOptOut: false, gpc: true },
          state,
        ),
        model.encode(),
        name,
      );
    }
  });

  it('carries only usnat for a state without its own section (or no stated state)', () => {
    const s = { saleOptOut: true, sharingOptOut: true, targetedAdvertisingOptOut: true, gpc: false };
    assert.deepEqual(new GppModel(gppStringFor(s, 'us-tx')).getSectionIds(), [7]);
    assert.deepEqual(new GppModel(gppStringFor(s)).getSectionIds(), [7]);
  });
});
