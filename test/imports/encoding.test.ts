// Import files must be UTF-8 (src/modules/imports/utf8.ts): a Windows-1252 or UTF-16 export is
// refused whole with VOW_IMPORT_ENCODING and the first line that is not UTF-8, before anything is
// written, instead of storing names with replacement characters. Valid text cut anywhere between
// chunks (inside a character of two, three or four bytes) passes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { scanFile } from '../../src/modules/imports/read-file.js';
import { Utf8Check } from '../../src/modules/imports/utf8.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-utf8-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The answer of a check fed `bytes` in chunks cut at `cuts`. */
function check(bytes: Buffer, cuts: readonly number[]): number | undefined {
  const c = new Utf8Check();
  let lines = 0;
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const chunk = bytes.subarray(from, to);
    const bad = c.next(chunk, lines);
    if (bad !== undefined) return bad;
    for (const b of chunk) if (b === 10) lines++;
    from = to;
  }
  return c.end(lines);
}

describe('Utf8Check', () => {
  const text = Buffer.from('Name,City\nJosé,Zürich\n李,東京\n🙂,x\n', 'utf8');

  it('passes UTF-8 cut at every byte, and at every pair of bytes', () => {
    for (let i = 0; i <= text.length; i++) assert.equal(check(text, [i]), undefined, `cut at ${i}`);
    for (let i = 0; i <= text.length; i++)
      for (let j = i; j <= text.length; j += 3)
        assert.equal(check(text, [i, j]), undefined, `cuts ${i}, ${j}`);
  });

  it('names the first line that is not UTF-8, wherever the chunks are cut', () => {
    const latin1 = Buffer.concat([
      Buffer.from('Name,City\nAnn,Madison\n'),
      Buffer.from([0x4a, 0x6f, 0x73, 0xe9]),
      Buffer.from(',Lyon\n'),
    ]);
    for (let i = 0; i <= latin1.length; i++) assert.equal(check(latin1, [i]), 3, `cut at ${i}`);
    assert.equal(check(Buffer.from([0xff, 0xfe, 0x4e, 0x00]), []), 1, 'UTF-16 with its byte order mark');
    assert.equal(
      check(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0x0a]), [1, 2]),
      undefined,
      "UTF-8's own byte order mark",
    );
  });

  it('refuses a file that ends inside a character', () => {
    const truncated = Buffer.concat([Buffer.from('a\n'), Buffer.from('🙂').subarray(0, 2)]);
    assert.equal(check(truncated, []), 2);
    assert.equal(check(truncated, [3]), 2);
    assert.equal(check(Buffer.concat([Buffer.from('a\n'), Buffer.from('🙂')]), [3]), undefined);
  });
});

describeEachDialect(
  'an import file that is not UTF-8',
  (env) => {
    it('is refused whole with VOW_IMPORT_ENCODING and its line, over HTTP and in the service; nothing written', async () => {
      const file = path.join(dir, `cp1252-${env().dialect}.csv`);
      writeFileSync(
        file,
        Buffer.concat([
          Buffer.from('First Name,Last Name,Email,Accepts Email Marketing\nAnn,A,ann.enc@example.com,yes\n'),
          Buffer.from([0x4a, 0x6f, 0x73, 0xe9]), // "José" in Windows-1252
          Buffer.from(',B,jose.enc@example.com,yes\n'),
        ]),
      );
      await assert.rejects(
        env().services.imports.run({ file, format: 'shopify-customers' }),
        (err: unknown) => {
          const e = err as { code?: string; details?: { line?: number } };
          assert.equal(e.code, 'VOW_IMPORT_ENCODING');
          assert.equal(e.details?.line, 3);
          return true;
        },
      );
      const admin = await staffCaller(env(), ['admin']);
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/imports?format=shopify-customers',
        headers: { ...admin.bearer.writeHeaders, 'content-type': 'text/csv' },
        payload: Buffer.from([0x41, 0xe9, 0x0a]),
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'VOW_IMPORT_ENCODING');
      assert.deepEqual(res.json().error.details, { line: 1 });
      assert.equal(await env().services.subjects.findByEmail('ann.enc@example.com'), undefined);
      assert.deepEqual(await env().services.imports.runs(), []);
    });
  },
  { auth: 'enforced' },
);

describe('a file that is not text at all', () => {
  /** The first bytes of a ZIP whose first entry is `name` (what an .xlsx or a zipped export starts with). */
  const zipStart = (name: string) => {
    const b = Buffer.alloc(30 + name.length + 16);
    b.writeUInt32LE(0x04034b50, 0);
    b.writeUInt16LE(name.length, 26);
    b.write(name, 30, 'latin1');
    return b;
  };

  it('is refused with VOW_IMPORT_FILE saying what it is and what to import instead', async () => {
    const cases: [string, Buffer, string, RegExp][] = [
      [
        'customers.xlsx',
        zipStart('[Content_Types].xml'),
        'xlsx',
        /an Excel workbook \(\.xlsx\).*save it as "CSV UTF-8/,
      ],
      ['customers.zip', zipStart('customers_export.csv'), 'zip', /a ZIP archive: unzip it/],
      [
        'customers.xls',
        Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64)]),
        'xls',
        /an Excel 97-2003 workbook \(\.xls\)/,
      ],
      ['customers.csv.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]), 'gzip', /gzip-compressed/],
    ];
    for (const [name, bytes, kind, message] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, bytes);
      await assert.rejects(scanFile(file, 'csv'), (err: unknown) => {
        const e = err as { code?: string; message?: string; details?: { kind?: string } };
        assert.equal(e.code, 'VOW_IMPORT_FILE', name);
        assert.equal(e.details?.kind, kind, name);
        assert.match(e.message ?? '', message, name);
        return true;
      });
    }
    // Text that merely starts like one of them is text.
    const text = path.join(dir, 'pk.csv');
    writeFileSync(text, 'PK,Name\n1,Ann\n');
    assert.equal((await scanFile(text, 'csv')).lines, 2);
  });
});
