// The policy's Spanish: the default policy translates every name a shopper reads and every notice
// section, marked as a translation; a translation naming something the policy lacks is refused
// with its location, like every other policy mistake; the notice's tables read in the reader's
// language (the policy's names from its translations, Vow's own words from its catalog).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { deletionExemptions, plainData } from '../../src/http/pages/plain-data.js';
import { buildNotice, DEFAULT_POLICY_PATH, loadPolicy, parsePolicy } from '../../src/modules/policy/index.js';

describe('policy translations', () => {
  it('the default policy has es-US for every category, purpose, exemption, channel, cookie category, regulator, subject kind, form title, promise, recipient, cookie and notice section', () => {
    const { doc } = loadPolicy();
    const es = doc.translations['es-US'];
    assert.ok(es, 'es-US is there');
    assert.equal(es.status, 'translation', 'marked as a translation: the English prevails');
    const missing = (what: string, ids: string[], have: Record<string, unknown>) =>
      ids.filter((id) => !(id in have)).map((id) => `${what} ${id}`);
    assert.deepEqual(
      [
        ...missing('category', Object.keys(doc.categories), es.categories),
        ...missing('purpose', Object.keys(doc.purposes), es.purposes),
        ...missing('exemption', Object.keys(doc.exemptions), es.exemptions),
        ...missing('exemption source', Object.keys(doc.exemptions), es.exemption_sources),
        ...missing('channel', Object.keys(doc.channels), es.channels),
        ...missing('cookie category', Object.keys(doc.cookie_categories), es.cookie_categories),
        ...missing('regulator', Object.keys(doc.regulators), es.regulators),
        ...missing('subject kind', Object.keys(doc.subject_kinds), es.subject_kinds),
        ...missing('collection point', Object.keys(doc.collection_points), es.collection_points),
        ...missing('promise', Object.keys(doc.promises), es.promises),
        ...missing('recipient', Object.keys(doc.recipients), es.recipients),
        ...missing(
          'cookie',
          (doc.cookies ?? []).map((k) => k.name),
          es.cookies,
        ),
        ...missing(
          'retention reason',
          [...new Set(doc.retention.map((r) => r.reason))],
          es.retention_reasons,
        ),
      ],
      [],
    );
    assert.deepEqual(
      es.notice?.sections.map((s) => s.id),
      doc.notice.sections.map((s) => s.id),
      'the notice, section by section',
    );
  });

  it('refuses a translation of a category the policy does not have, at its place in the file', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(
      '      identity.name: "Nombre y apellido"',
      '      identity.nickname: "Apodo"',
    );
    const r = parsePolicy(source);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.message.includes('identity.nickname'));
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.path, 'translations["es-US"].categories["identity.nickname"]');
    assert.ok((p.line ?? 0) > 0, 'located in the file');
  });

  it('refuses the translation of a retention reason no rule gives (the English reworded), naming it', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(
      'reason: "Enough to follow up an answer."',
      'reason: "Enough to follow up on an answer."',
    );
    const r = parsePolicy(source);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.message.includes('no retention rule gives this reason'));
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.path, 'translations["es-US"].retention_reasons["Enough to follow up an answer."]');
  });

  it('refuses a translated exemption source the translated notice does not hold word for word', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(
      'service_customers: "Se excluyen los datos necesarios',
      'service_customers: "Se excluyen casi todos los datos necesarios',
    );
    const r = parsePolicy(source);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.message.includes('not in the translated notice'));
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.path, 'translations["es-US"].exemption_sources.service_customers');
    assert.ok((p.line ?? 0) > 0, 'located in the file');
  });

  it('a Spanish reader sees what a deletion keeps with the Spanish notice’s words, an English one the policy’s', () => {
    const policy = loadPolicy();
    const es = deletionExemptions(policy, 'es-US').find((e) => e.title === 'Lista de exclusión');
    assert.match(es?.why ?? '', /^Darse de baja retira al usuario de forma permanente/);
    const en = deletionExemptions(policy).find((e) => e.title === 'Suppression list');
    assert.match(en?.why ?? '', /^Unsubscribing will permanently remove the user/);
    const data = plainData(
      policy,
      [
        {
          dataset: 'vow',
          table: 'consent_events',
          column: 'channel',
          row: 'e',
          category: 'consent.history',
          purposes: ['consent.record_keeping'],
          value: 'email_marketing',
        },
      ],
      '2026-02-01T00:00:00.000Z',
      {},
      'es-US',
    );
    assert.match(data.sections[0]?.keptOnDeletion?.source ?? '', /^Darse de baja retira al usuario/);
  });

  it("the notice's tables in Spanish: what each form collects, whose, recipients, how long, the choices", () => {
    const policy = loadPolicy();
    const es = buildNotice(policy, 'es-US');
    const checkout = es.collectionPoints.find((cp) => cp.id === 'checkout');
    assert.equal(checkout?.title, 'Pago del pedido');
    assert.deepEqual(
      checkout?.groups.map((g) => g.whose),
      [
        'Una persona que hizo un pedido (quien compra)',
        'Una persona a quien se envía un pedido en nombre de otra',
      ],
    );
    assert.equal(checkout?.groups[0]?.fields[0]?.categoryDescription, 'Nombre y apellido');
    const orders = es.retention.find((r) => r.category === 'Pedidos, artículos, totales y sus fechas');
    assert.ok(orders, JSON.stringify(es.retention.map((r) => r.category)));
    assert.equal(orders.keep, '7 años después del pedido');
    assert.equal(orders.who, 'Todas las personas');
    assert.match(orders.reason, /^Registros fiscales y contables/);
    assert.ok(es.recipients.every((r) => !/Service provider|Third party/.test(r.role)));
    assert.ok(es.choices.every((c) => c.description === policy.doc.translations['es-US']?.channels[c.id]));
    // English stays the policy's own words.
    const en = buildNotice(policy);
    assert.equal(en.collectionPoints.find((cp) => cp.id === 'checkout')?.title, 'Checkout');
    assert.equal(en.retention.find((r) => r.category.startsWith('Orders'))?.keep, '7 years after the order');
  });
});
