// A quoted value that opens and never closes where it should makes the CSV reader take every row
// after it as part of that value (src/modules/imports/quotes.ts). Such a file is refused whole with
// VOW_IMPORT_QUOTES and the line the value opens on, before anything is written; the reader itself
// stops with the same error should it ever lose its place (never leaving the rest of a file to vanish
// into one refused row); a bad row whose value holds line breaks is named by its first line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { importUnits, type Unit } from '../../src/modules/imports/index.js';
import { LongLineCheck, MAX_LINE_BYTES } from '../../src/modules/imports/line-breaks.js';
import { MAX_QUOTED_LINES, QuoteCheck, type QuoteProblem } from '../../src/modules/imports/quotes.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-quotes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The check's answer for `text` fed in chunks cut at `cuts`. */
function check(
  text: string | Buffer,
  cuts: readonly number[] = [],
  delimiter = ',',
): QuoteProblem | undefined {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const q = new QuoteCheck(delimiter);
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const problem = q.next(bytes.subarray(from, to));
    if (problem) return problem;
    from = to;
  }
  return q.end();
}

const HEADER = 'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Note';

describe('QuoteCheck', () => {
  const good = [
    `${HEADER}\r\n`,
    '1,Ann,"Lee, Jr.",ann.q@example.com,yes,"she said ""hi"""\r\n',
    '2,Bo,B,bo.q@example.com,no,"a note\r\non two lines"\r\n',
    '3,Cy,"5"" ring",cy.q@example.com,yes,\r\n',
    '4,Di,D,di.q@example.com,yes,"ends the file"',
  ].join('');

  it('passes well-quoted CSV cut at every byte, with a byte order mark, CRLF or semicolons', () => {
    for (let i = 0; i <= good.length; i++) assert.equal(check(good, [i]), undefined, `cut at ${i}`);
    const quotedHeader = Buffer.from(`\uFEFF${good.replace('Customer ID', '"Customer ID"')}`);
    for (let i = 0; i <= 8; i++) assert.equal(check(quotedHeader, [i]), undefined, `BOM, cut at ${i}`);
    assert.equal(check(good.replaceAll(',', ';'), [], ';'), undefined);
    assert.equal(check('a,b\n1,5" ring\n2,x\n'), undefined, 'a stray quote inside a field: that row alone');
  });

  it('names the line a value opens on when it never closes, wherever the chunks are cut', () => {
    const text = `${HEADER}\n1,Ann,A,a@example.com,yes,ok\n2,Bo,B,b@example.com,yes,"unclosed\n3,Cy,C,c@example.com,yes,\n`;
    for (let i = 0; i <= text.length; i++)
      assert.deepEqual(check(text, [i]), { line: 3, kind: 'never_closed' }, `cut at ${i}`);
    assert.deepEqual(check(text.replaceAll('\n', '\r\n')), { line: 3, kind: 'never_closed' }, 'CRLF');
    assert.deepEqual(check(text.replaceAll('\n', '\r')), { line: 3, kind: 'never_closed' }, 'lone CR');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"a,b\n1,2\n')]);
    for (let i = 0; i <= bom.length; i++)
      assert.deepEqual(
        check(bom, [i]),
        { line: 1, kind: 'never_closed' },
        `after a byte order mark, cut at ${i}`,
      );
    // A quote not before a delimiter or a line break does not close the value (csv-parse's rule).
    assert.deepEqual(check('a,b\n1,"5" ring,x\n2,y\n'), { line: 2, kind: 'never_closed' });
  });

  it(`refuses a value of more than ${MAX_QUOTED_LINES} lines or 1 MiB, even one that closes`, () => {
    const lines = (n: number) => `a,b\n1,"${'x\n'.repeat(n)}"\n2,y\n`;
    assert.equal(check(lines(MAX_QUOTED_LINES)), undefined);
    assert.deepEqual(check(lines(MAX_QUOTED_LINES + 1)), { line: 2, kind: 'too_long' });
    assert.deepEqual(check(`a,b\n1,"${'x'.repeat(1024 * 1024 + 1)}"\n`, [100]), {
      line: 2,
      kind: 'too_long',
    });
    const justUnder = Buffer.from(`a,b\n1,"${'x'.repeat(1024 * 1024 - 1)}"\n`);
    for (const cut of [0, 100, 64 * 1024, justUnder.length - 3])
      assert.equal(check(justUnder, [cut]), undefined, `a value just under 1 MiB, cut at ${cut}`);
  });

  it('agrees with the CSV reader on which texts leave a value open, over thousands of random texts', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', ',', ';', '"', '"', '\n', '\r\n', '\r', ' '];
    for (let k = 0; k < 4000; k++) {
      let text = next(3) === 0 ? '\uFEFF"h1",h2\n' : 'h1,h2\n';
      for (let i = 1 + next(25); i > 0; i--) text += alphabet[next(alphabet.length)];
      const codes: string[] = [];
      parse(text.replace(/\r\n?/g, '\n'), {
        bom: true,
        columns: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        on_skip: (e) => {
          if (e) codes.push(e.code);
        },
      });
      const cut = next(text.length + 1);
      assert.equal(
        check(text, [cut])?.kind === 'never_closed',
        codes.includes('CSV_QUOTE_NOT_CLOSED'),
        JSON.stringify(text),
      );
    }
  });
});

describe('the CSV reader, past the check', () => {
  const env = { policy: loadPolicy(), now: new Date('2026-12-01T00:00:00Z') };
  const read = async (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const units: Unit[] = [];
    try {
      for await (const u of importUnits(file, 'shopify-customers', env)) units.push(u);
    } catch (err) {
      return { units, err: err as { code?: string; details?: { line?: number } } };
    }
    return { units, err: undefined };
  };

  it('stops with VOW_IMPORT_QUOTES at the line where it lost its place, after handing on the rows before', async () => {
    const { units, err } = await read(
      'lost.csv',
      `${HEADER}\n1,Ann,A,ann.lost@example.com,yes,\n2,Bo,B,bo.lost@example.com,yes,"never closed\n3,Cy,C,cy.lost@example.com,yes,\n`,
    );
    assert.deepEqual(
      units.map((u) => u.line),
      [2],
    );
    assert.equal(err?.code, 'VOW_IMPORT_QUOTES');
    assert.equal(err?.details?.line, 3);
  });

  it('names a bad row whose value holds line breaks by its first line, and says which lines it took', async () => {
    const { units, err } = await read(
      'span.csv',
      `${HEADER}\n1,Ann,A,ann.span@example.com,yes,\n2,Bo,B,bo.span@example.com,yes,"two\nlines",extra\n3,Cy,C,cy.span@example.com,yes,\n`,
    );
    assert.equal(err, undefined);
    const refused = units.find((u) => 'refused' in u);
    assert.ok(refused && 'refused' in refused);
    assert.equal(refused.line, 3);
    assert.match(refused.refused.reason, /lines 3 to 4 were read as one row/);
    assert.deepEqual(
      units.map((u) => u.line),
      [2, 3, 5],
    );
  });
});

describeEachDialect(
  'an import file whose quoted value never closes',
  (env) => {
    it('is refused whole with VOW_IMPORT_QUOTES and its line, in a dry run, a run and over HTTP; nothing written', async () => {
      const rows = Array.from({ length: 30 }, (_, i) => `${i},P${i},Q,p${i}.quotes@example.com,yes,`);
      rows[10] = '10,P10,Q,p10.quotes@example.com,yes,"a note whose quote never closes';
      const text = `${HEADER}\n${rows.join('\n')}\n`;
      const file = path.join(dir, `unclosed-${env().dialect}.csv`);
      writeFileSync(file, text);
      const refusedAt12 = (err: unknown) => {
        const e = err as { code?: string; details?: { line?: number }; message?: string };
        assert.equal(e.code, 'VOW_IMPORT_QUOTES');
        assert.equal(e.details?.line, 12);
        assert.match(e.message ?? '', /line 12: a quoted value opens here and never closes/);
        return true;
      };
      await assert.rejects(
        env().services.imports.run({ file, format: 'shopify-customers', dryRun: true }),
        refusedAt12,
      );
      await assert.rejects(env().services.imports.run({ file, format: 'shopify-customers' }), refusedAt12);
      const admin = await staffCaller(env(), ['admin']);
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/imports?format=shopify-customers',
        headers: { ...admin.bearer.writeHeaders, 'content-type': 'text/csv' },
        payload: text,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'VOW_IMPORT_QUOTES');
      assert.equal(res.json().error.details.line, 12);
      assert.equal(await env().services.subjects.findByEmail('p0.quotes@example.com'), undefined);
      assert.deepEqual(await env().services.imports.runs(), []);
    });
  },
  { auth: 'enforced' },
);

describe('LongLineCheck', () => {
  it('names the first line longer than 1 MiB, however the file ends its lines and is cut', () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 1);
    for (const eol of ['\n', '\r\n', '\r'])
      for (const cut of [0, 3, MAX_LINE_BYTES, MAX_LINE_BYTES + 4]) {
        const bytes = Buffer.from(`a${eol}b${eol}${long}${eol}c${eol}`);
        const c = new LongLineCheck();
        const found = c.next(bytes.subarray(0, cut)) ?? c.next(bytes.subarray(cut));
        assert.equal(found, 3, `${JSON.stringify(eol)} cut at ${cut}`);
      }
    const fits = new LongLineCheck();
    const exact = Buffer.from(`a\r\n${'x'.repeat(MAX_LINE_BYTES)}\r\nb`);
    assert.equal(fits.next(exact.subarray(0, 5)) ?? fits.next(exact.subarray(5)), undefined);
  });
});
