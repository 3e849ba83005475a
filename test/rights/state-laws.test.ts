// The US state privacy laws as policy data: for each listed state a resident files a request and
// the deadline, the extension, the appeal (its deadline, a second decider, the attorney general in
// the answer) and the opt-out (GPC required from its date) match the numbers the policy cites.
// EXPECTED repeats those numbers on purpose: a change to the policy file must be a deliberate one.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { GppModel } from '@iabgpp/cmpapi';
import { loadPolicy, parsePolicy } from '../../src/modules/policy/index.js';
import { addDays, deadlinesFor, jurisdictionOfAddress } from '../../src/modules/rights/index.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { connectHarness, type Json, type RightsHarness } from './helpers.js';

interface Expected {
  law: string;
  days: number;
  ext: number;
  /** Days to decide an appeal, and its extension; null: no appeal. */
  appeal: [number, number] | null;
  /** The first day a universal opt-out signal must be honoured; null: never required. */
  gpcFrom: string | null;
  correction: boolean;
}

const EXPECTED: Record<string, Expected> = {
  'us-va': { law: 'vcdpa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: null, correction: true },
  'us-co': { law: 'cpa', days: 45, ext: 45, appeal: [45, 60], gpcFrom: '2024-07-01', correction: true },
  'us-ct': { law: 'ctdpa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2025-01-01', correction: true },
  'us-ut': { law: 'ucpa', days: 45, ext: 45, appeal: null, gpcFrom: null, correction: false },
  'us-tx': { law: 'tdpsa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2025-01-01', correction: true },
  'us-or': { law: 'ocpa', days: 45, ext: 45, appeal: [45, 0], gpcFrom: '2026-01-01', correction: true },
  'us-mt': { law: 'mcdpa_mt', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2025-01-01', correction: true },
  'us-ia': { law: 'icdpa_ia', days: 90, ext: 45, appeal: [60, 0], gpcFrom: null, correction: false },
  'us-de': { law: 'dpdpa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2026-01-01', correction: true },
  'us-nh': { law: 'nh_privacy', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2025-01-01', correction: true },
  'us-nj': { law: 'njdpa', days: 45, ext: 45, appeal: [45, 45], gpcFrom: '2025-07-15', correction: true },
  'us-tn': { law: 'tipa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: null, correction: true },
  'us-mn': { law: 'mcdpa_mn', days: 45, ext: 45, appeal: [45, 60], gpcFrom: '2025-07-31', correction: true },
  'us-md': { law: 'modpa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2025-10-01', correction: true },
  'us-in': { law: 'icdpa_in', days: 45, ext: 45, appeal: [60, 0], gpcFrom: null, correction: true },
  'us-ky': { law: 'kcdpa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: null, correction: true },
  'us-ri': { law: 'ridtppa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: null, correction: true },
  'us-ne': { law: 'ndpa', days: 45, ext: 45, appeal: [60, 0], gpcFrom: '2025-01-01', correction: true },
};

const GPP_SECTIONS: Record<string, string> = {
  'us-va': 'usva',
  'us-co': 'usco',
  'us-ut': 'usut',
  'us-ct': 'usct',
};

const policy = loadPolicy();

describe('US state laws in the default policy', () => {
  it('declare every listed state, each number with the section it comes from', () => {
    for (const [id, want] of Object.entries(EXPECTED)) {
      const law = policy.stateLaw(id);
      assert.ok(law, `${id} is in the policy`);
      assert.equal(law.law_id, want.law);
      assert.equal(law.response.days, want.days, `${id} response days`);
      assert.equal(law.response.extension_days, want.ext, `${id} extension`);
      assert.equal(law.appeal.offered, want.appeal !== null, `${id} appeal offered`);
      if (want.appeal) {
        assert.equal(law.appeal.decide_within_days, want.appeal[0], `${id} appeal days`);
        assert.equal(law.appeal.extension_days, want.appeal[1], `${id} appeal extension`);
        assert.equal(law.appeal.attorney_general_in_answer, true, `${id} names the attorney general`);
      }
      assert.equal(law.universal_opt_out.required, want.gpcFrom !== null, `${id} GPC required`);
      assert.equal(law.universal_opt_out.from, want.gpcFrom ?? undefined, `${id} GPC from`);
      assert.equal(law.rights.includes('correction'), want.correction, `${id} right to correct`);
      for (const cite of [law.rights_cite, law.response.cite, law.appeal.cite, law.universal_opt_out.cite])
        assert.match(cite, /§|ORS|RSA|KRS|N\.J\.S\.A\.|ch\.|art\.|none/, `${id} cites its section`);
    }
  });

  it('a retailer’s policy inherits every state it does not declare and replaces the one it does', () => {
    const source = policy.source.replace(/\nus_state_laws:\n/, `\nus_state_laws:\n  us-zz-placeholder: {}\n`);
    assert.equal(parsePolicy(source).ok, false, 'an unknown state id is refused');
    const own = policy.source.split('\nus_state_laws:\n')[0]!;
    const override = `${own}
us_state_laws:
  us-va:
    law_id: vcdpa_shop
    law: Virginia (the shop's stricter reading)
    statute: Va. Code § 59.1-577
    in_force_from: 2023-01-01
    rights: [access, deletion]
    rights_cite: Va. Code § 59.1-577(A)
    response: { days: 30, extension_days: 0, cite: "shop policy" }
    appeal: { offered: true, decide_within_days: 30, attorney_general_in_answer: true, cite: "shop policy" }
    universal_opt_out: { required: true, from: 2020-01-01, cite: "shop policy" }
    attorney_general: { name: Virginia Attorney General, url: "https://www.oag.state.va.us/" }
`;
    const parsed = parsePolicy(override);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.equal(parsed.policy.stateLaw('us-va')?.response.days, 30);
    assert.equal(deadlinesFor('us-va', '2026-03-02', parsed.policy).dueOn, '2026-04-01');
    assert.equal(deadlinesFor('us-va', '2026-03-02', parsed.policy).extendedDueOn, '2026-04-01');
    assert.equal(parsed.policy.stateLaw('us-co')?.response.days, 45, 'Colorado is inherited');
    const none = parsePolicy(own);
    assert.ok(none.ok);
    assert.equal(none.policy.stateLaw('us-tx')?.law_id, 'tdpsa', 'a policy with no section inherits all');
  });

  it('a state without a law in the policy falls back to the strictest clock', () => {
    assert.equal(policy.stateLaw('us-wi'), undefined);
    assert.equal(deadlinesFor('us-wi', '2026-03-02', policy).law, 'gdpr');
    assert.equal(deadlinesFor('us-wi', '2026-03-02', policy).dueOn, '2026-04-02');
  });

  it('reads the jurisdiction from a postal address: a US region by code or name, the UK, the EEA', () => {
    assert.equal(jurisdictionOfAddress({ country: 'US', region: 'CO' }), 'us-co');
    assert.equal(jurisdictionOfAddress({ country: 'us', region: 'New Hampshire' }), 'us-nh');
    assert.equal(jurisdictionOfAddress({ country: 'GB', region: 'Kent' }), 'uk');
    assert.equal(jurisdictionOfAddress({ country: 'DE' }), 'eea');
    assert.equal(jurisdictionOfAddress({ country: 'US' }), undefined);
    assert.equal(jurisdictionOfAddress({ country: 'JP' }), undefined);
  });
});

async function call(env: TestEnv, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await env.app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() as Json };
}

describeEachDialect('a resident of each state files a request', (env) => {
  let h: RightsHarness;
  before(() => {
    h = connectHarness(env());
  });

  for (const [state, want] of Object.entries(EXPECTED)) {
    it(`${state}: deadline, extension, appeal and opt-out follow the cited numbers`, async () => {
      const e = env();
      e.clock.set('2026-03-02T12:00:00.000Z');
      const received = '2026-03-02';
      const email = `${state}@example.org`;
      h.world.addPerson(`subj-${state}`, { emails: [email] });
      const filed = await call(e, 'POST', '/v1/requests', { type: 'access', jurisdiction: state, email });
      assert.equal(filed.status, 202);
      assert.equal(filed.body.dueOn, addDays(received, want.days), 'response deadline');
      const token = filed.body.statusToken as string;
      const queue = await call(e, 'GET', '/v1/staff/requests');
      const mine = (queue.body.requests as Json[]).find(
        (r) => r.jurisdiction === state && r.status !== 'denied',
      );
      assert.ok(mine);
      assert.equal(mine.law, want.law);
      assert.equal(mine.extensionPossibleUntil, addDays(received, want.days));

      e.clock.set('2026-03-20T12:00:00.000Z');
      const extended = await call(e, 'POST', `/v1/staff/requests/${mine.id}/extend`, {
        reason: 'many systems',
      });
      assert.equal(extended.status, 200);
      assert.equal(extended.body.request.dueOn, addDays(received, want.days + want.ext), 'extended deadline');

      const denied = await call(e, 'POST', `/v1/staff/requests/${mine.id}/deny`, {
        basis: 'identity not verified',
      });
      assert.equal(denied.status, 200);
      await h.drain();
      const refusal = h.mailsTo(email).find((m) => m.subject === 'Your privacy request');
      assert.ok(refusal);
      assert.equal(/appeal/i.test(refusal.text), want.appeal !== null, 'the refusal says how to appeal');

      const offer = await call(e, 'GET', `/v1/requests/status/${token}/appeal`);
      assert.equal(offer.body.offered, want.appeal !== null);
      e.clock.set('2026-03-25T09:00:00.000Z');
      const appealed = await call(e, 'POST', '/v1/requests/appeal', {
        statusToken: token,
        reason: 'I did verify',
      });
      if (!want.appeal) {
        assert.equal(appealed.status, 409);
        assert.equal(appealed.body.error.code, 'VOW_APPEAL_NOT_OFFERED');
      } else {
        assert.equal(appealed.status, 202);
        assert.equal(appealed.body.dueOn, addDays('2026-03-25', want.appeal[0]), 'appeal deadline');
        const again = await call(e, 'POST', '/v1/requests/appeal', { statusToken: token });
        assert.equal(again.body.error.code, 'VOW_APPEAL_NOT_OFFERED', 'one appeal per refusal');
        const appeals = await call(e, 'GET', '/v1/staff/appeals');
        const appeal = (appeals.body.appeals as Json[]).find((a) => a.requestId === mine.id);
        assert.ok(appeal);
        // The staff member who refused (this suite's test principal) may not decide the appeal.
        const same = await call(e, 'POST', `/v1/staff/appeals/${appeal.id}/decide`, {
          outcome: 'upheld',
          reasons: 'still not verified',
        });
        assert.equal(same.status, 403);
        assert.equal(same.body.error.code, 'VOW_APPEAL_SAME_DECIDER');
        const ext = await call(e, 'POST', `/v1/staff/appeals/${appeal.id}/extend`, {});
        if (want.appeal[1] > 0) {
          assert.equal(ext.status, 200);
          assert.equal(ext.body.appeal.dueOn, addDays('2026-03-25', want.appeal[0] + want.appeal[1]));
        } else {
          assert.equal(ext.body.error.code, 'VOW_EXTENSION_NOT_ALLOWED');
        }
        const decided = await e.services.rights.decideAppeal(
          appeal.id,
          { outcome: 'upheld', reasons: 'the details did not match' },
          'staff-second-reviewer',
        );
        const ag = policy.stateLaw(state)!.attorney_general;
        assert.ok(decided.answer.includes(ag.url), 'the answer names the attorney general');
        assert.equal(decided.appeal.decidedBy, 'staff-second-reviewer');
        const after = await call(e, 'GET', `/v1/requests/status/${token}/appeal`);
        assert.equal(after.body.appeal.status, 'upheld');
        assert.ok((after.body.appeal.answer as string).includes(ag.name));
        await h.drain();
        assert.ok(
          h.mailsTo(email).some((m) => m.text.includes(ag.url)),
          'the answer was mailed',
        );
      }

      // Do Not Sell or Share: honoured like GPC, and GPC required from the cited date.
      const out = await call(e, 'POST', '/v1/privacy-choices/opt-out', { jurisdiction: state });
      assert.equal(out.status, 200);
      assert.equal(out.body.optedOut, true);
      const status = await call(e, 'POST', '/v1/privacy-choices/state', {
        visitor: out.body.visitor,
        jurisdiction: state,
      });
      assert.equal(status.body.visitorOptedOut, true);
      const gpp = new GppModel(status.body.gpp as string);
      assert.equal(gpp.getFieldValue('usnat', 'SaleOptOut'), 1);
      assert.equal(gpp.getFieldValue('usnat', 'Gpc'), true);
      if (GPP_SECTIONS[state]) assert.equal(gpp.getFieldValue(GPP_SECTIONS[state]!, 'SaleOptOut'), 1);
      const banner = await call(e, 'POST', '/v1/consent/state', {
        visitor: out.body.visitor,
        jurisdiction: state,
      });
      assert.equal(banner.body.gpc, true, 'the banner sees the opt-out as GPC');
      assert.equal(banner.body.gpp, status.body.gpp);
      const choices = e.services.privacyChoices;
      assert.equal(out.body.universalOptOutRequired, want.gpcFrom !== null && '2026-03-25' >= want.gpcFrom);
      if (want.gpcFrom) {
        assert.equal(choices.universalOptOutRequired(state, want.gpcFrom), true);
        assert.equal(choices.universalOptOutRequired(state, addDays(want.gpcFrom, -1)), false);
      } else {
        assert.equal(choices.universalOptOutRequired(state, '2030-01-01'), false);
      }
    });
  }

  it('a granted appeal reopens the request; the jurisdiction comes from the address on file', async () => {
    const e = env();
    e.clock.set('2026-04-01T12:00:00.000Z');
    h.world.addPerson('subj-grant', { emails: ['grant@example.org'] });
    const filed = await call(e, 'POST', '/v1/requests', {
      type: 'access',
      jurisdiction: 'us-tx',
      email: 'grant@example.org',
    });
    const token = filed.body.statusToken as string;
    const id = (await e.services.rights.statusByToken(token)).id;
    await e.services.rights.deny(id, 'no match', 'staff-first');
    // As a refusal logged before the request log kept who refused: the audit trail still tells.
    await e.store.db.updateTable('rights_requests').set({ denied_by: null }).where('id', '=', id).execute();
    await call(e, 'POST', '/v1/requests/appeal', { statusToken: token });
    const [appeal] = (await e.services.rights.appeals()).filter((a) => a.requestId === id);
    assert.equal(appeal!.firstDecider, 'staff-first');
    await assert.rejects(
      e.services.rights.decideAppeal(appeal!.id, { outcome: 'granted', reasons: 'x' }, 'staff-first'),
      /someone other/,
    );
    const d = await e.services.rights.decideAppeal(
      appeal!.id,
      { outcome: 'granted', reasons: 'we erred' },
      'staff-other',
    );
    assert.ok(!d.answer.includes('texasattorneygeneral'), 'a granted appeal needs no complaint route');
    assert.equal((await e.services.rights.get(id)).status, 'awaiting_verification');

    const directory = {
      ...h.world.directory,
      identifiers: async () => [{ kind: 'address' as const, value: { country: 'US', region: 'MN' } }],
    };
    e.services.rights.connect({ directory });
    assert.deepEqual(await e.services.rights.resolveJurisdiction(undefined, 'subj-grant'), {
      jurisdiction: 'us-mn',
      source: 'address_on_file',
    });
    assert.deepEqual(await e.services.rights.resolveJurisdiction('us-co', 'subj-grant'), {
      jurisdiction: 'us-co',
      source: 'stated',
    });
    e.services.rights.connect({ directory: h.world.directory });
    assert.equal((await e.services.rights.resolveJurisdiction(undefined, 'nobody')).source, 'fallback');
  });

  it('the refusal’s status page carries the appeal form where the law offers one, then the appeal', async () => {
    const e = env();
    e.clock.set('2026-05-04T12:00:00.000Z');
    const ask = async (jurisdiction: string, email: string) => {
      h.world.addPerson(`subj-${email}`, { emails: [email] });
      const filed = await call(e, 'POST', '/v1/requests', { type: 'deletion', jurisdiction, email });
      const token = filed.body.statusToken as string;
      await e.services.rights.deny(
        (await e.services.rights.statusByToken(token)).id,
        'no match',
        'staff-first',
      );
      return token;
    };
    const page = async (token: string) =>
      (await e.app.inject({ url: `/privacy/request/status/${token}`, headers: { accept: 'text/html' } }))
        .body;
    const utah = await ask('us-ut', 'page-ut@example.org');
    assert.ok(!(await page(utah)).includes('data-testid="appeal-form"'), 'Utah grants no appeal');
    const ct = await ask('us-ct', 'page-ct@example.org');
    const before = await page(ct);
    const form =
      /<form method="post" action="\/privacy\/request\/status\/[^"]+\/appeal"[\s\S]*?<\/form>/.exec(
        before,
      )?.[0];
    assert.ok(form, 'the appeal form is on the page');
    assert.match(form, /within 60 days|maxlength/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(csrf);
    const posted = await e.app.inject({
      method: 'POST',
      url: `/privacy/request/status/${ct}/appeal`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, reason: 'I can prove it' }).toString(),
    });
    assert.equal(posted.statusCode, 303);
    const after = await page(ct);
    assert.ok(after.includes('data-testid="appeal-status"'));
    assert.ok(after.includes('July 3, 2026'), 'decided within 60 days of 2026-05-04');
    assert.ok(!after.includes('data-testid="appeal-form"'), 'one appeal per refusal');
  });
});
