// The breach register (P13; GDPR Art. 33, 34) through its API: recording, the 72-hour clock moved by
// the injected clock, the notification (reasons required past 72 hours), the documented decision of no
// risk, notes, closing, the audit trail (ids only), and bad input refused with stable codes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field
type Json = Record<string, any>;
const HOUR = 3_600_000;

async function call(e: TestEnv, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const res = await e.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() as Json };
}

const BREACH = {
  summary: 'A shipping label export was left readable on a public file share for two days.',
  dataCategories: ['contact.postal_address', 'identity.name'],
  subjectKinds: ['customer', 'gift_recipient'],
  approxSubjects: 340,
  approxRecords: 410,
  consequences: 'Names and addresses could be read by anyone with the link.',
  measures: 'The share was closed and its access log reviewed.',
  authority: 'eea',
};

describeEachDialect('incident register (P13, GDPR Art. 33)', (env) => {
  it('records an incident aware now by default, the 72-hour deadline counted from it, the lead authority named', async () => {
    const e = env();
    const now = e.clock.now();
    const r = await call(e, 'POST', '/v1/incidents', BREACH);
    assert.equal(r.status, 201);
    assert.equal(r.body.awareAt, now.toISOString());
    assert.equal(r.body.clock.state, 'running');
    assert.equal(r.body.clock.deadlineAt, new Date(now.getTime() + 72 * HOUR).toISOString());
    assert.equal(r.body.clock.msLeft, 72 * HOUR);
    assert.equal(r.body.authority.id, 'eea');
    assert.match(r.body.authority.name, /data protection authority/);
    assert.deepEqual(r.body.dataCategories, ['contact.postal_address', 'identity.name']);
    assert.equal(r.body.risk.level, 'undecided');
    assert.equal(r.body.ownerId, 'test-principal');
  });

  it('counts down with the clock and turns overdue past 72 hours; notifying then needs the reasons for the delay', async () => {
    const e = env();
    const aware = new Date(e.clock.now().getTime() - 10 * HOUR).toISOString();
    const { body: inc } = await call(e, 'POST', '/v1/incidents', { ...BREACH, awareAt: aware });
    assert.equal(inc.clock.msLeft, 62 * HOUR);
    e.clock.advance(61 * HOUR);
    let got = await call(e, 'GET', `/v1/incidents/${inc.id}`);
    assert.equal(got.body.clock.state, 'running');
    assert.equal(got.body.clock.msLeft, HOUR);
    e.clock.advance(2 * HOUR);
    got = await call(e, 'GET', `/v1/incidents/${inc.id}`);
    assert.equal(got.body.clock.state, 'overdue');
    assert.equal(got.body.clock.msLeft, -HOUR);
    const list = await call(e, 'GET', '/v1/incidents');
    assert.equal(list.body.incidents.find((i: Json) => i.id === inc.id).clock.state, 'overdue');

    const refused = await call(e, 'POST', `/v1/incidents/${inc.id}/authority-notification`, {
      reference: 'DPA-2026-0042',
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'VOW_INCIDENT_DELAY_REASON_MISSING');
    got = await call(e, 'GET', `/v1/incidents/${inc.id}`);
    assert.equal(got.body.notification, null, 'nothing recorded by the refusal');

    const ok = await call(e, 'POST', `/v1/incidents/${inc.id}/authority-notification`, {
      reference: 'DPA-2026-0042',
      delayReason: 'The file share vendor confirmed the exposure only on the fourth day.',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.clock.state, 'notified');
    assert.equal(ok.body.clock.late, true);
    assert.equal(ok.body.notification.reference, 'DPA-2026-0042');
    assert.match(ok.body.notification.delayReason, /fourth day/);
    const twice = await call(e, 'POST', `/v1/incidents/${inc.id}/authority-notification`, {
      reference: 'again',
    });
    assert.equal(twice.body.error.code, 'VOW_INCIDENT_STATE');
  });

  it('takes a notification within 72 hours without reasons, at a past time given, never before awareness or in the future', async () => {
    const e = env();
    const { body: inc } = await call(e, 'POST', '/v1/incidents', BREACH);
    e.clock.advance(5 * HOUR);
    const early = await call(e, 'POST', `/v1/incidents/${inc.id}/authority-notification`, {
      reference: 'X',
      at: new Date(Date.parse(inc.awareAt) - HOUR).toISOString(),
    });
    assert.equal(early.body.error.code, 'VOW_INCIDENT_INVALID');
    const future = await call(e, 'POST', `/v1/incidents/${inc.id}/authority-notification`, {
      reference: 'X',
      at: new Date(e.clock.now().getTime() + HOUR).toISOString(),
    });
    assert.equal(future.body.error.code, 'VOW_INCIDENT_INVALID');
    const at = new Date(Date.parse(inc.awareAt) + 3 * HOUR).toISOString();
    const ok = await call(e, 'POST', `/v1/incidents/${inc.id}/authority-notification`, {
      reference: 'ICO-77',
      at,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.notification.at, at);
    assert.equal(ok.body.clock.late, false);
    assert.equal(ok.body.notification.delayReason, null);
  });

  it('keeps a decision of no risk only with its reason (Art. 33(5)); it settles the clock, and the record stays after closing', async () => {
    const e = env();
    const { body: inc } = await call(e, 'POST', '/v1/incidents', { ...BREACH, authority: null });
    const closeFirst = await call(e, 'POST', `/v1/incidents/${inc.id}/close`, {});
    assert.equal(closeFirst.body.error.code, 'VOW_INCIDENT_STATE');
    const bare = await call(e, 'POST', `/v1/incidents/${inc.id}/risk`, { level: 'none', reason: '  ' });
    assert.equal(bare.status, 400);
    assert.equal(bare.body.error.code, 'VOW_INCIDENT_REASON_MISSING');
    const ok = await call(e, 'POST', `/v1/incidents/${inc.id}/risk`, {
      level: 'none',
      reason: 'The export was encrypted and the key was not exposed.',
    });
    assert.equal(ok.body.risk.level, 'none');
    assert.equal(ok.body.clock.state, 'not_required');
    e.clock.advance(100 * HOUR);
    assert.equal((await call(e, 'GET', `/v1/incidents/${inc.id}`)).body.clock.state, 'not_required');
    const closed = await call(e, 'POST', `/v1/incidents/${inc.id}/close`, {});
    assert.equal(closed.body.status, 'closed');
    const open = await call(e, 'GET', '/v1/incidents');
    assert.ok(!open.body.incidents.some((i: Json) => i.id === inc.id));
    const all = await call(e, 'GET', '/v1/incidents?include=all');
    const kept = all.body.incidents.find((i: Json) => i.id === inc.id);
    assert.match(kept.risk.reason, /encrypted/);
    const note = await call(e, 'POST', `/v1/incidents/${inc.id}/notes`, { text: 'late' });
    assert.equal(note.body.error.code, 'VOW_INCIDENT_STATE');
  });

  it('refuses categories, subject kinds and authorities the policy does not declare, and text with an email address, storing nothing', async () => {
    const e = env();
    const before = (await call(e, 'GET', '/v1/incidents?include=all')).body.incidents.length;
    for (const bad of [
      { ...BREACH, dataCategories: ['contact.shoe_size'] },
      { ...BREACH, subjectKinds: ['alien'] },
      { ...BREACH, authority: 'mars' },
      { ...BREACH, summary: 'Mail of jane.doe@example.com was exposed' },
      { ...BREACH, awareAt: 'yesterday' },
      { ...BREACH, awareAt: '2099-01-01T00:00:00Z' },
    ]) {
      const r = await call(e, 'POST', '/v1/incidents', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.error.code, 'VOW_INCIDENT_INVALID');
    }
    const neg = await call(e, 'POST', '/v1/incidents', { ...BREACH, approxSubjects: -1 });
    assert.equal(neg.body.error.code, 'VOW_VALIDATION');
    const missing = await call(e, 'GET', '/v1/incidents/0190aaaa-0000-7000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'VOW_INCIDENT_NOT_FOUND');
    assert.equal((await call(e, 'GET', '/v1/incidents?include=all')).body.incidents.length, before);
  });

  it('keeps a timeline: changes, notes, the people told (Art. 34), each audited with ids only', async () => {
    const e = env();
    const { body: inc } = await call(e, 'POST', '/v1/incidents', BREACH);
    const changed = await call(e, 'PATCH', `/v1/incidents/${inc.id}`, {
      approxSubjects: 512,
      measures: 'Links rotated.',
    });
    assert.equal(changed.body.approxSubjects, 512);
    await call(e, 'POST', `/v1/incidents/${inc.id}/risk`, {
      level: 'high',
      reason: 'Home addresses of gift recipients.',
    });
    await call(e, 'POST', `/v1/incidents/${inc.id}/notes`, { text: 'Vendor ticket opened.' });
    const told = await call(e, 'POST', `/v1/incidents/${inc.id}/subjects-informed`, {
      how: 'Email to every customer affected, 2026-01-16.',
    });
    assert.equal(told.status, 200);
    assert.ok(told.body.subjectsInformed.at);
    const d = await call(e, 'GET', `/v1/incidents/${inc.id}`);
    assert.deepEqual(
      d.body.notes.map((n: Json) => n.text),
      ['Vendor ticket opened.'],
    );
    const trail = await e.ctx.audit.list({ targetType: 'incident', targetId: inc.id, limit: 100 });
    assert.deepEqual(trail.map((t) => t.action).sort(), [
      'incident.noted',
      'incident.recorded',
      'incident.risk_decided',
      'incident.subjects_informed',
      'incident.updated',
    ]);
    const text = JSON.stringify(trail);
    assert.ok(!text.includes('Vendor ticket'), 'no note text in the audit trail');
    assert.ok(!text.includes('Home addresses'), 'no reason text in the audit trail');
  });
});
