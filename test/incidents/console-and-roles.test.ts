// The breach register's roles and console pages, with real access control: customer service reports
// and a privacy officer takes over; the auditor reads only; marketing is refused. The list says an
// overdue clock in words (not by colour alone); a refused form keeps what was typed and names its code.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { type Caller, callAs, csrfOf, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const HOUR = 3_600_000;
const PAGE = { accept: 'text/html' };
const BREACH = {
  summary: 'A courier lost a box of printed packing slips.',
  dataCategories: ['identity.name', 'contact.postal_address'],
  subjectKinds: ['customer'],
  approxSubjects: 25,
};

describeEachDialect(
  'incident register: roles and console',
  (env) => {
    let officer: Caller & { staffId: string; token: string };
    let agent: Caller & { staffId: string; token: string };
    let auditor: Caller & { staffId: string; token: string };
    let marketer: Caller & { staffId: string; token: string };
    before(async () => {
      officer = await staffCaller(env(), ['privacy_officer']);
      agent = await staffCaller(env(), ['customer_service']);
      auditor = await staffCaller(env(), ['auditor']);
      marketer = await staffCaller(env(), ['marketing']);
    });

    const api = (who: Caller, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      callAs(env(), who, method, url, payload);

    it('customer service reports an incident, unowned until a privacy officer takes it over; it cannot decide or notify', async () => {
      const reported = await api(agent, 'POST', '/v1/incidents', BREACH);
      assert.equal(reported.status, 201);
      assert.equal(reported.body.ownerId, null);
      assert.equal(reported.body.reportedBy, agent.staffId);
      const id = reported.body.id as string;
      for (const [url, body] of [
        [`/v1/incidents/${id}/risk`, { level: 'none', reason: 'x' }],
        [`/v1/incidents/${id}/authority-notification`, { reference: 'x' }],
        [`/v1/incidents/${id}/take-over`, {}],
      ] as const) {
        const r = await api(agent, 'POST', url, body);
        assert.equal(r.status, 403, url);
        assert.equal(r.body.error.code, 'VOW_FORBIDDEN');
      }
      const list = await api(agent, 'GET', '/v1/incidents');
      assert.equal(list.status, 200);
      const taken = await api(officer, 'POST', `/v1/incidents/${id}/take-over`, {});
      assert.equal(taken.body.ownerId, officer.staffId);
    });

    it('the auditor reads the register and changes nothing; marketing is refused even reading', async () => {
      const { body: inc } = await api(officer, 'POST', '/v1/incidents', BREACH);
      assert.equal((await api(auditor, 'GET', '/v1/incidents')).status, 200);
      assert.equal((await api(auditor, 'GET', `/v1/incidents/${inc.id}`)).status, 200);
      assert.equal((await api(auditor, 'POST', '/v1/incidents', BREACH)).status, 403);
      assert.equal((await api(auditor, 'POST', `/v1/incidents/${inc.id}/notes`, { text: 'x' })).status, 403);
      const page = await env().app.inject({
        url: '/staff/incidents',
        headers: { ...auditor.headers, ...PAGE },
      });
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('data-testid="record-incident"'), 'no form to record for the auditor');
      const detail = await env().app.inject({
        url: `/staff/incidents/${inc.id}`,
        headers: { ...auditor.headers, ...PAGE },
      });
      assert.equal(detail.statusCode, 200);
      assert.ok(!detail.body.includes('data-action="risk"'), 'no actions for the auditor');
      const m = await api(marketer, 'GET', '/v1/incidents');
      assert.equal(m.status, 403);
      assert.equal(m.body.error.code, 'VOW_FORBIDDEN');
      const mp = await env().app.inject({
        url: '/staff/incidents',
        headers: { ...marketer.headers, ...PAGE },
      });
      assert.equal(mp.statusCode, 403);
    });

    it('the list says "Overdue" in words and marks the row once 72 hours pass unsettled; the menu shows Incidents to the officer', async () => {
      const e = env();
      const { body: fresh } = await api(officer, 'POST', '/v1/incidents', BREACH);
      const { body: late } = await api(officer, 'POST', '/v1/incidents', {
        ...BREACH,
        summary: 'Overdue test: an unencrypted laptop was stolen.',
        awareAt: new Date(e.clock.now().getTime() - 73 * HOUR).toISOString(),
      });
      const page = await e.app.inject({ url: '/staff/incidents', headers: { ...officer.headers, ...PAGE } });
      assert.match(page.body, /href="\/staff\/incidents"[^>]*>Incidents</);
      const rowOf = (id: string) =>
        new RegExp(`<tr data-incident="${id}"[^>]*>.*?</tr>`, 's').exec(page.body)?.[0] ?? '';
      assert.match(rowOf(fresh.id), /3 days left/);
      assert.ok(!rowOf(fresh.id).includes('class="overdue"'));
      assert.match(rowOf(late.id), /class="overdue"/);
      assert.match(rowOf(late.id), /<strong class="bad-text">Overdue<\/strong> by 1 hour/);
      assert.match(page.body, /<strong class="bad-text">\d+ overdue<\/strong>/);
      const detail = await e.app.inject({
        url: `/staff/incidents/${late.id}`,
        headers: { ...officer.headers, ...PAGE },
      });
      assert.match(detail.body, /Overdue/);
      assert.match(detail.body, /Reasons for the delay \(required: past 72 hours\)/);
    });

    it('records from the console form; a category the policy lacks is refused with its code and the typed text kept', async () => {
      const e = env();
      const form = (fields: Record<string, string | string[]>) => {
        const p = new URLSearchParams({ _csrf: csrfOf(agent.token) });
        for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
        return e.app.inject({
          method: 'POST',
          url: '/staff/incidents',
          headers: {
            ...agent.headers,
            'content-type': 'application/x-www-form-urlencoded',
            'sec-fetch-site': 'same-origin',
          },
          payload: p.toString(),
        });
      };
      const bad = await form({
        summary: 'Typed before the refusal',
        dataCategories: ['identity.name', 'no.such'],
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /data-code="VOW_INCIDENT_INVALID"/);
      assert.match(bad.body, /Typed before the refusal/);
      const ok = await form({
        summary: 'A printed list went out with a parcel.',
        dataCategories: 'identity.name',
        subjectKinds: ['customer', 'gift_recipient'],
        approxSubjects: '3',
        awareAt: '2026-01-15T09:30',
      });
      assert.equal(ok.statusCode, 303);
      const id = /\/staff\/incidents\/([^?]+)/.exec(ok.headers.location as string)?.[1] ?? '';
      const got = await api(officer, 'GET', `/v1/incidents/${id}`);
      assert.equal(got.body.awareAt, '2026-01-15T09:30:00.000Z');
      assert.deepEqual(got.body.subjectKinds, ['customer', 'gift_recipient']);
      assert.equal(got.body.approxSubjects, 3);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
