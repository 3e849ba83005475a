// Annotations are checked at load: every mistake is reported with its file, line and path.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { loadAnnotationFile, loadDatasetsFile, parseAnnotation } from '../../src/modules/datasets/index.js';
import { seedExampleShop } from '../../src/modules/datasets/seed-example.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { VowError } from '../../src/platform/errors.js';

const policy = loadPolicy();

const GOOD = `vow_dataset: 1
name: mini
tables:
  people:
    identity:
      - { column: email, kind: email }
    columns:
      email: { category: contact.email, on_delete: mask }
  orders:
    links:
      - { column: person_id, to: people }
    columns:
      total: { category: commerce.order_history, on_delete: retain, exemption: service_customers }
`;

function problems(source: string): string[] {
  const r = parseAnnotation(source, policy, 'mini.yaml');
  assert.equal(r.ok, false, 'the annotation should be refused');
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.path}: ${p.message}`);
}

describe('dataset annotation checks', () => {
  it('accepts a valid annotation and orders tables parents first', () => {
    const r = parseAnnotation(GOOD, policy, 'mini.yaml');
    assert.ok(r.ok);
    assert.deepEqual(
      r.annotation.tables.map((t) => t.name),
      ['people', 'orders'],
    );
    assert.deepEqual(r.annotation.tables[1]?.links, [
      { column: 'person_id', table: 'people', references: 'id' },
    ]);
  });

  it('locates an unknown category at its line', () => {
    const p = problems(GOOD.replace('category: contact.email', 'category: contact.fax'));
    assert.deepEqual(p, ['8:tables.people.columns.email.category: unknown category "contact.fax"']);
  });

  it('locates a dangling link', () => {
    const p = problems(GOOD.replace('to: people', 'to: persons'));
    assert.deepEqual(p, ['11:tables.orders.links[0].to: dangling link: no annotated table "persons"']);
  });

  it('locates a link to a column the parent does not have', () => {
    const p = problems(GOOD.replace('to: people', 'to: people.uuid'));
    assert.match(
      p[0]!,
      /^11:tables\.orders\.links\[0\]\.to: dangling link: "people" has no .* column "uuid"$/,
    );
  });

  it('locates a cycle of links', () => {
    const cyclic = GOOD.replace(
      '      - { column: email, kind: email }\n',
      '      - { column: email, kind: email }\n    links:\n      - { column: last_order_id, to: orders }\n',
    );
    const p = problems(cyclic);
    assert.equal(p.length, 1);
    assert.match(p[0]!, /^\d+:tables\.(people|orders)\.links\[0\]\.to: links form a cycle: /);
  });

  it('refuses a retained column without an exemption, or with one that does not cover it', () => {
    assert.deepEqual(problems(GOOD.replace(', exemption: service_customers', '')), [
      '13:tables.orders.columns.total.on_delete: a retained column must name the exemption it relies on (exemption: …)',
    ]);
    assert.deepEqual(problems(GOOD.replace('exemption: service_customers', 'exemption: suppression')), [
      '13:tables.orders.columns.total.exemption: exemption "suppression" does not cover category "commerce.order_history" (it covers consent.history)',
    ]);
    assert.deepEqual(problems(GOOD.replace('exemption: service_customers', 'exemption: tax')), [
      '13:tables.orders.columns.total.exemption: unknown exemption "tax"',
    ]);
  });

  it('refuses unknown keys, a bad strategy, a table linked to no one and a vault column without an owner', () => {
    const p = problems(
      GOOD.replace('on_delete: mask }', 'on_delete: shred, colour: red }').replace(
        '    links:\n      - { column: person_id, to: people }\n',
        '',
      ),
    );
    assert.ok(
      p.some((x) => x.startsWith('8:tables.people.columns.email.colour: unknown key "colour"')),
      p.join('\n'),
    );
    assert.ok(
      p.some((x) => x.startsWith('8:tables.people.columns.email.on_delete:')),
      p.join('\n'),
    );
    const q = problems(GOOD.replace('    links:\n      - { column: person_id, to: people }\n', ''));
    assert.deepEqual(q, [
      '10:tables.orders: table is not linked to a person: give it an identity column or a link to another table',
    ]);
    const v = problems(GOOD.replace('on_delete: mask }', 'on_delete: mask, encrypted: vault }'));
    assert.match(v[0]!, /^8:tables\.people\.columns\.email\.encrypted: a vault-encrypted column needs/);
  });

  it('takes name_part on a one-value column or a JSON key, and refuses it on a JSON column or an unknown part', () => {
    const named = GOOD.replace(
      '      email: { category: contact.email, on_delete: mask }',
      '      email: { category: contact.email, on_delete: mask }\n' +
        '      given: { category: identity.name, name_part: given, on_delete: "null" }\n' +
        '      card: { category: identity.name, on_delete: "null", json_fields: { last: { category: identity.name, name_part: family } } }',
    );
    const ok = parseAnnotation(named, policy, 'mini.yaml');
    assert.equal(ok.ok, true, ok.ok ? '' : JSON.stringify(ok.problems));
    const columns = ok.ok ? ok.annotation.tables.find((t) => t.name === 'people')!.columns : [];
    assert.equal(columns.find((c) => c.name === 'given')?.namePart, 'given');
    assert.equal(columns.find((c) => c.name === 'card')?.fields?.[0]?.namePart, 'family');
    assert.deepEqual(
      problems(
        named.replace('on_delete: "null", json_fields', 'on_delete: "null", name_part: given, json_fields'),
      ),
      [
        '10:tables.people.columns.card.name_part: name_part applies to a column holding one value (for a JSON object, give it on its key)',
      ],
    );
    assert.match(problems(named.replace('name_part: given', 'name_part: middle')).join('\n'), /name_part/);
  });

  it('refuses nulling or masking a key column', () => {
    const p = problems(
      GOOD.replace(
        '      total:',
        '      person_id: { category: account.profile, on_delete: "null" }\n      total:',
      ),
    );
    assert.match(p[0]!, /tables\.orders\.columns\.person_id\.on_delete: a primary key or link column/);
  });

  it('throws VOW_DATASET_INVALID with file:line locations when loading a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-ann-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, GOOD.replace('contact.email', 'contact.fax'));
    assert.throws(
      () => loadAnnotationFile(file, policy),
      (err: unknown) =>
        err instanceof VowError &&
        err.code === 'VOW_DATASET_INVALID' &&
        /bad\.yaml:8:\d+ tables\.people/.test(err.message),
    );
    assert.throws(
      () => loadAnnotationFile(path.join(dir, 'missing.yaml'), policy),
      (err: unknown) => err instanceof VowError && err.code === 'VOW_DATASET_NOT_FOUND',
    );
  });

  it('reads a VOW_DATASETS file, resolving annotations next to it and URLs from the environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-dsf-'));
    writeFileSync(path.join(dir, 'mini.yaml'), GOOD);
    const file = path.join(dir, 'datasets.yaml');
    writeFileSync(
      file,
      'datasets:\n  - { name: shop, annotation: mini.yaml, url: "sqlite:/tmp/x.sqlite" }\n  - { name: crm, annotation: mini.yaml, url_env: CRM_DB_URL }\n',
    );
    const list = loadDatasetsFile(file, policy, { CRM_DB_URL: 'postgres://u:secret@db/crm' });
    assert.deepEqual(
      list.map((d) => [d.name, d.url, d.annotation.name]),
      [
        ['shop', 'sqlite:/tmp/x.sqlite', 'mini'],
        ['crm', 'postgres://u:secret@db/crm', 'mini'],
      ],
    );
    assert.throws(
      () => loadDatasetsFile(file, policy, {}),
      (err: unknown) =>
        err instanceof VowError &&
        err.code === 'VOW_DATASET_INVALID' &&
        /datasets\.yaml:3:\d+ datasets\[1\]: the variable CRM_DB_URL is not set/.test(err.message),
    );
  });
});

describe('vow datasets check', () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'vow', 'datasets', 'check', ...args], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('passes the shipped annotations', async () => {
    const r = await run('datasets/example-shop.yaml', 'datasets/vow.yaml');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /example-shop\.yaml: valid\. Dataset "example-shop": 7 tables/);
  });

  it('with --url, checks every annotated table and column exists in the database', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-cliurl-'));
    const url = `sqlite:${path.join(dir, 'shop.sqlite')}`;
    await seedExampleShop(url);
    const ok = await run('datasets/example-shop.yaml', '--url', url);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Every table and column exists/);
    const bad = await run('datasets/vow.yaml', '--url', url);
    assert.equal(bad.code, 1);
    assert.match(
      bad.err,
      /datasets\/vow\.yaml:\d+:\d+ tables\.subject_identifiers: the database has no table "subject_identifiers"/,
    );
  });

  it('prints each problem as file:line:col path: message and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-cli-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, GOOD.replace('to: people', 'to: persons').replace('contact.email', 'contact.fax'));
    const r = await run(file);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /bad\.yaml:8:\d+ tables\.people\.columns\.email\.category: unknown category "contact\.fax"/,
    );
    assert.match(r.err, /bad\.yaml:11:\d+ tables\.orders\.links\[0\]\.to: dangling link/);
    assert.match(r.err, /2 problems in/);
  });
});
