// policies/minimal.yaml, the example a retailer starts its own policy from: it passes the checks,
// holds every key the schema requires (and little more), names every promise the monitor may report
// a break under, and Vow starts and serves with it: the notice, the banner, decisions, an order, a
// newsletter sign-up, a deletion request and the promise checks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { z } from 'zod';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import { policySchema } from '../../src/modules/policy/schema.js';
import { ATTRIBUTION } from '../../src/modules/promises/policy-map.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { captureMail, verifiedRequest } from '../rights/real-flow.js';

const FILE = 'policies/minimal.yaml';
const source = readFileSync(new URL(`../../${FILE}`, import.meta.url), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: walking Zod's internals, typed loosely on purpose
type AnySchema = any;

/** The schema under optional, default, nullable and pipe wrappers. */
function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = cur?._zod?.def;
    if (!def) return cur;
    if (
      def.type === 'optional' ||
      def.type === 'default' ||
      def.type === 'nullable' ||
      def.type === 'prefault'
    )
      cur = def.innerType;
    else if (def.type === 'pipe') cur = def.in;
    else return cur;
  }
  return cur;
}

/** A key the file may leave out: optional, or given a default. */
function isOptional(s: AnySchema): boolean {
  return s._zod.optin === 'optional' || ['optional', 'default', 'prefault'].includes(s._zod.def.type);
}

/**
 * Every key the schema requires that the document leaves out, as paths: at the top, and inside
 * every object the document has (a record's entries, a list's items).
 */
export function missingRequiredKeys(schema: z.ZodType, value: unknown, at = ''): string[] {
  const s = unwrap(schema);
  const def = s?._zod?.def;
  if (!def || value === undefined || value === null) return [];
  const out: string[] = [];
  if (def.type === 'object' && typeof value === 'object') {
    const doc = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(def.shape as Record<string, AnySchema>)) {
      const path = at ? `${at}.${key}` : key;
      if (!Object.hasOwn(doc, key)) {
        if (!isOptional(child)) out.push(path);
      } else out.push(...missingRequiredKeys(child, doc[key], path));
    }
  } else if (def.type === 'record' && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>))
      out.push(...missingRequiredKeys(def.valueType, v, `${at}[${JSON.stringify(key)}]`));
  } else if (def.type === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...missingRequiredKeys(def.element, v, `${at}[${i}]`));
    });
  }
  return out;
}

describe('policies/minimal.yaml', () => {
  it('passes the policy checks', () => {
    const r = parsePolicy(source);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  });

  it('holds every key the schema requires, everywhere (a key the schema gains is named here)', () => {
    assert.deepEqual(missingRequiredKeys(policySchema, parse(source)), []);
  });

  it('finds a required key left out (the check above can fail)', () => {
    const doc = parse(source);
    delete doc.controller.requests_postal_address;
    delete doc.retention;
    doc.rules[0].basis = undefined;
    delete doc.rules[0].basis;
    assert.deepEqual(missingRequiredKeys(policySchema, doc), [
      'controller.requests_postal_address',
      'rules[0].basis',
      'retention',
    ]);
  });

  it('stays minimal: at the top, only the required keys and the locale', () => {
    const shape = (policySchema as AnySchema)._zod.def.shape as Record<string, AnySchema>;
    const optional = Object.keys(shape).filter((k) => isOptional(shape[k]) && k !== 'locale');
    const present = Object.keys(parse(source));
    assert.deepEqual(
      optional.filter((k) => present.includes(k)),
      [],
    );
  });

  it('declares every promise the monitor reports a break under without a field of the policy naming it', () => {
    const r = parsePolicy(source);
    assert.ok(r.ok);
    const declared = Object.keys(r.policy.doc.promises);
    const { optOut, aggregateOnly, ...fixed } = ATTRIBUTION;
    const needed = new Set<string>(Object.values(fixed));
    // Aggregate reports are refused without an aggregate-only purpose, so nothing can break P6.
    if (Object.values(r.policy.doc.purposes).some((p) => p.aggregate_only)) needed.add(aggregateOnly);
    for (const [channel, promise] of Object.entries(optOut))
      if (Object.hasOwn(r.policy.doc.channels, channel)) needed.add(promise);
    assert.deepEqual(
      [...needed].filter((p) => !declared.includes(p)),
      [],
    );
  });
});

describeEachDialect(
  'Vow started with policies/minimal.yaml (VOW_POLICY)',
  (env) => {
    let sent: OutgoingMessage[] = [];
    before(() => {
      sent = captureMail(env);
    });

    it('runs the minimal policy, from the file VOW_POLICY names', () => {
      assert.equal(env().ctx.policy.doc.name, 'Example Shop privacy policy');
    });

    it('serves the notice at /privacy', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/privacy' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Example Shop/);
      assert.match(res.body, /Our newsletter/);
      assert.match(res.body, /id="cookies"/);
    });

    it('serves the banner its two categories, and records a choice', async () => {
      const e = env();
      const config = await e.app.inject({ method: 'GET', url: '/v1/consent/config' });
      assert.equal(config.statusCode, 200, config.body);
      const c = config.json();
      assert.equal(c.consentVersion, e.ctx.policy.consentVersion);
      const text = JSON.stringify(c.categories);
      assert.match(text, /strictly_necessary/);
      assert.match(text, /analytics/);
      assert.doesNotMatch(text, /advertising/);
      const choice = await e.app.inject({
        method: 'POST',
        url: '/v1/consent/choices',
        payload: { consentVersion: c.consentVersion, source: 'choose', categories: { analytics: true } },
      });
      assert.equal(choice.statusCode, 200, choice.body);
      assert.equal(choice.json().channels['cookies.analytics'], true);
    });

    it('takes an order, and decides from the policy: the order yes, the newsletter only after its box', async () => {
      const e = env();
      const order = await post(e, '/v1/orders', orderBody('min1'));
      assert.ok(order.statusCode < 300, order.body);
      const id = await e.services.subjects.findByEmail('ann.buyermin1@example.com');
      assert.ok(id);
      const decide = async (purpose: string, categories: string[]) => {
        const res = await post(e, '/v1/decisions', { subject: { id }, purpose, categories });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().decision as string;
      };
      assert.equal(await decide('order.fulfilment', ['contact.postal_address']), 'allow');
      assert.equal(await decide('marketing.email', ['contact.email']), 'deny', 'an order signs no one up');
      const signup = await post(e, '/v1/collection-points/newsletter/submissions', {
        email: 'ann.buyermin1@example.com',
        subscribe: true,
      });
      assert.ok(signup.statusCode < 300, signup.body);
      assert.equal(await decide('marketing.email', ['contact.email']), 'allow', 'the ticked box grants it');
      const unknown = await post(e, '/v1/decisions', {
        subject: { id },
        purpose: 'advertising.ad_delivery',
        categories: ['contact.email'],
      });
      assert.equal(
        unknown.json().error.code,
        'VOW_UNKNOWN_PURPOSE',
        'a use the policy does not name is an error',
      );
    });

    it('answers a deletion request, keeping the order records under their exemption', async () => {
      const e = env();
      const order = await post(e, '/v1/orders', orderBody('min2'));
      assert.ok(order.statusCode < 300, order.body);
      const subjectId = await e.services.subjects.findByEmail('ann.buyermin2@example.com');
      assert.ok(subjectId);
      await verifiedRequest(e, sent, {
        type: 'deletion',
        jurisdiction: 'eea',
        email: 'ann.buyermin2@example.com',
      });
      const view = (await e.services.rights.queue({ includeClosed: true })).find(
        (r) => r.subjectId === subjectId,
      );
      assert.ok(view);
      assert.equal(view.status, 'completed', JSON.stringify(view));
      const retained = (view.result as { retained: { exemption: string; category: string }[] }).retained;
      assert.ok(
        retained.some((k) => k.exemption === 'service_customers' && k.category === 'commerce.order_history'),
      );
      assert.equal(await e.services.subjects.findByEmail('ann.buyermin2@example.com'), undefined);
    });

    it('runs the promise checks on its promises, and finds them kept', async () => {
      const e = env();
      const summary = await e.services.promises.checks.run('full');
      const ids = summary.results.map((r) => r.promise);
      // Its promises, then the one check it names no promise for (aggregate reports, P6 in Vow's
      // shipped policy; test/promises/unpromised.test.ts).
      assert.deepEqual(ids, [...Object.keys(e.ctx.policy.doc.promises), 'check:reports']);
      assert.deepEqual(
        summary.results
          .filter((r) => r.status === 'broken')
          .map((r) => `${r.promise}: ${JSON.stringify(r.evidence)}`),
        [],
      );
      assert.ok(
        summary.results.filter((r) => r.status === 'kept').length >= 10,
        'most are checked on the data',
      );
    });
  },
  { config: testConfig({ VOW_POLICY: FILE }) },
);
