// GET /v1/records-of-processing: the record of processing activities (GDPR Art. 30(1)) derived from
// the policy in force and the dataset annotations: every purpose, recipient and retention period of
// the policy; what the policy does not state said so; a policy change shows; staff roles; CSV safe.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EXAMPLE_SHOP_ANNOTATION_PATH } from '../../src/modules/datasets/index.js';
import { formatProblem, type Policy, parsePolicy } from '../../src/modules/policy/index.js';
import { type Caller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

const DEFAULT = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');

interface Activity {
  purpose: string;
  legalBasis: string;
  subjectKinds: { id: string }[];
  categories: { id: string }[];
  sources: { id: string }[];
  recipients: { id: string; name: string }[];
  transfers: string | { recipient: string; country: string }[];
  retention: { category: string; keepFor: string; inWords: string }[];
  locations: { dataset: string; table: string; column: string; category: string }[];
}
interface Body {
  basis: string;
  controller: { name: string; email: string; dataProtectionOfficer: string; representative: string };
  activities: Activity[];
  security: { statement: string; measures: string[] };
}

function policyFrom(yaml: string): Policy {
  const parsed = parsePolicy(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.policy;
}

describeEachDialect('GET /v1/records-of-processing for the shipped policy', (env) => {
  const policy = policyFrom(DEFAULT).doc;
  let body: Body;
  before(async () => {
    const res = await env().app.inject({ method: 'GET', url: '/v1/records-of-processing' });
    assert.equal(res.statusCode, 200, res.body);
    body = res.json() as Body;
  });

  it('names the controller and its contact details, and says what the policy does not state', () => {
    assert.equal(body.basis, 'GDPR Art. 30(1)');
    assert.equal(body.controller.name, 'Diamond Nexus');
    assert.equal(body.controller.email, 'customerservice@diamondnexus.com');
    assert.equal(body.controller.dataProtectionOfficer, 'not stated in the policy');
    assert.equal(body.controller.representative, 'not stated in the policy');
    for (const a of body.activities) {
      assert.equal(a.legalBasis, 'not stated in the policy');
      assert.equal(a.transfers, 'not stated in the policy');
    }
  });

  it('has one activity per purpose of the policy, each with whose data and which data', () => {
    assert.deepEqual(
      body.activities.map((a) => a.purpose),
      Object.keys(policy.purposes),
    );
    for (const a of body.activities) {
      assert.ok(a.subjectKinds.length > 0, `${a.purpose} names no kind of person`);
      assert.ok(a.categories.length > 0, `${a.purpose} names no category`);
    }
    const fulfilment = body.activities.find((a) => a.purpose === 'order.fulfilment')!;
    assert.deepEqual(
      fulfilment.subjectKinds.map((k) => k.id),
      ['customer', 'gift_recipient'],
    );
    assert.deepEqual(
      fulfilment.sources.map((s) => s.id),
      ['checkout'],
    );
  });

  it('names every recipient under each purpose it receives data for', () => {
    for (const [id, r] of Object.entries(policy.recipients))
      for (const purpose of r.purposes) {
        const a = body.activities.find((x) => x.purpose === purpose)!;
        assert.ok(
          a.recipients.some((x) => x.id === id && x.name === r.name),
          `${id} missing from ${purpose}`,
        );
      }
  });

  it('names every retention period, in ISO 8601 and in words', () => {
    const all = body.activities.flatMap((a) => a.retention);
    for (const r of policy.retention)
      assert.ok(
        all.some((x) => x.category === r.category && x.keepFor === r.keep_for),
        `${r.category} ${r.keep_for} missing`,
      );
    const orders = body.activities.find((a) => a.purpose === 'legal.record_keeping')!;
    assert.ok(orders.retention.some((r) => r.keepFor === 'P7Y' && r.inWords === '7 years'));
  });

  it("says where the data sits, from Vow's own annotations", () => {
    const orders = body.activities.find((a) => a.purpose === 'legal.record_keeping')!;
    assert.ok(
      orders.locations.some((l) => l.dataset === 'vow' && l.table === 'orders' && l.column === 'total_cents'),
      JSON.stringify(orders.locations),
    );
  });

  it('describes the security measures, with the policy’s own words', () => {
    assert.match(body.security.statement, /appropriate physical, electronic, and managerial procedures/);
    assert.ok(body.security.measures.length >= 3);
  });

  it('answers CSV, one row per purpose, through the CSV writer', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/v1/records-of-processing?format=csv' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const rows = res.body.trimEnd().split('\r\n');
    assert.equal(rows.length, 1 + Object.keys(policy.purposes).length);
    assert.match(rows[0]!, /^"controller","controller_contact"/);
    assert.ok(
      rows.some((r) => r.includes('"order.fulfilment"') && r.includes('Shipping carrier (processor)')),
    );
  });
});

// The shipped policy with a new recipient, a legal basis, a DPO and a transfer, and a purpose whose
// description begins like a spreadsheet formula.
const CHANGED = policyFrom(
  DEFAULT.replace(
    '  requests_postal_address: Data Processing Requests',
    '  dpo: "Jane Roe, dpo@diamondnexus.com"\n  requests_postal_address: Data Processing Requests',
  )
    .replace(
      '  order.payment: { description: "Taking payment for an order" }',
      '  order.payment: { description: "=HYPERLINK(\\"http://evil.example\\")", legal_basis: "contract (GDPR Art. 6(1)(b))" }',
    )
    .replace(
      'recipients:\n',
      'recipients:\n  fraud_screen:\n    name: Fraud screening service\n    role: processor\n    purposes: [security.fraud_prevention]\n    categories: [contact.email]\n    promise: P2\n',
    )
    .replace(
      '\nexemptions:\n',
      '\ntransfers:\n  - { recipient: fraud_screen, country: United States, safeguards: Standard contractual clauses }\n\nexemptions:\n',
    ),
);

describeEachDialect(
  'GET /v1/records-of-processing after a policy change',
  (env) => {
    it('shows the new recipient, its transfer, the legal basis and the DPO', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/v1/records-of-processing' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as Body;
      assert.equal(body.controller.dataProtectionOfficer, 'Jane Roe, dpo@diamondnexus.com');
      const fraud = body.activities.find((a) => a.purpose === 'security.fraud_prevention')!;
      assert.ok(
        fraud.recipients.some((r) => r.id === 'fraud_screen' && r.name === 'Fraud screening service'),
      );
      assert.deepEqual(fraud.transfers, [
        { recipient: 'fraud_screen', country: 'United States', safeguards: 'Standard contractual clauses' },
      ]);
      const payment = body.activities.find((a) => a.purpose === 'order.payment')!;
      assert.equal(payment.legalBasis, 'contract (GDPR Art. 6(1)(b))');
      assert.deepEqual(payment.transfers, []);
    });

    it('neutralises a formula in the CSV', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/v1/records-of-processing?format=csv' });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.body.includes(`"'=HYPERLINK(""http://evil.example"")"`), res.body.slice(0, 2000));
      assert.ok(!/(^|,)"=/m.test(res.body));
    });
  },
  { policy: CHANGED },
);

describeEachDialect(
  'GET /v1/records-of-processing by role',
  (env) => {
    const callers: Record<string, Caller> = {};
    before(async () => {
      for (const role of ['auditor', 'privacy_officer', 'customer_service', 'marketing'])
        callers[role] = await staffCaller(env(), [role]);
    });
    for (const [role, status] of [
      ['auditor', 200],
      ['privacy_officer', 200],
      ['customer_service', 403],
      ['marketing', 403],
    ] as const)
      it(`${role}: ${status}`, async () => {
        for (const format of ['json', 'csv']) {
          const res = await env().app.inject({
            method: 'GET',
            url: `/v1/records-of-processing?format=${format}`,
            headers: callers[role]!.headers,
          });
          assert.equal(res.statusCode, status, res.body);
        }
      });
    it('is refused without a session', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/v1/records-of-processing' });
      assert.equal(res.statusCode, 401, res.body);
    });
  },
  { auth: 'enforced' },
);

describe('a policy’s transfers', () => {
  it('must name a recipient of the policy', () => {
    const parsed = parsePolicy(
      DEFAULT.replace(
        '\nexemptions:\n',
        '\ntransfers:\n  - { recipient: nobody, country: Narnia, safeguards: none }\n\nexemptions:\n',
      ),
    );
    assert.equal(parsed.ok, false);
    assert.ok(
      !parsed.ok &&
        parsed.problems.some((p) =>
          /transfers\[0\]\.recipient.*unknown recipient "nobody"/.test(formatProblem('policy.yaml', p)),
        ),
      !parsed.ok ? parsed.problems.map((p) => formatProblem('policy.yaml', p)).join('\n') : '',
    );
  });
});

// The shop's database named in VOW_DATASETS (never opened: the record reads only its annotation).
const shopDir = mkdtempSync(path.join(tmpdir(), 'vow-ropa-'));
const datasetsFile = path.join(shopDir, 'datasets.yaml');
writeFileSync(
  datasetsFile,
  `datasets:\n  - name: shop\n    annotation: ${JSON.stringify(EXAMPLE_SHOP_ANNOTATION_PATH)}\n    url: ${JSON.stringify(`sqlite:${path.join(shopDir, 'shop.sqlite')}`)}\n`,
);

describeEachDialect(
  'GET /v1/records-of-processing with the shop’s datasets',
  (env) => {
    it('says where the data sits in the shop’s database too', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/v1/records-of-processing' });
      assert.equal(res.statusCode, 200, res.body);
      const marketing = (res.json() as Body).activities.find((a) => a.purpose === 'marketing.email')!;
      assert.ok(
        marketing.locations.some(
          (l) => l.dataset === 'shop' && l.table === 'customers' && l.column === 'email',
        ),
        JSON.stringify(marketing.locations.filter((l) => l.dataset === 'shop')),
      );
      assert.ok(marketing.locations.some((l) => l.dataset === 'vow'));
    });
  },
  { config: testConfig({ VOW_DATASETS: datasetsFile }) },
);
