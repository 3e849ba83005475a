// The lines an import names (a refused row's, a fact's evidence, the checkpoint) are the file's own
// lines as an editor numbers them, whatever its line breaks: LF, CRLF (Excel's CSV), a lone CR, or a
// mix, and with line breaks inside quoted values. csv-parse alone counted a CRLF inside a quoted
// value twice, so every row after one was named a line too far; a run checkpointed in that count
// (line_numbering 1) still resumes from the right row.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { zeroCounts } from '../../src/modules/imports/import-types.js';
import { importUnits, type Unit } from '../../src/modules/imports/index.js';
import { lineFeedsOnly } from '../../src/modules/imports/line-breaks.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { seededRandom } from '../../src/platform/clock.js';
import { describeEachDialect } from '../helpers/env.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Note';

/** A Shopify customer file whose lines are joined by `eol`; `note` may hold line breaks (quoted). */
function customers(name: string, eol: string, rows: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [HEADER, ...rows].join(eol) + eol);
  return file;
}

async function units(file: string): Promise<Unit[]> {
  const out: Unit[] = [];
  const env = { policy: loadPolicy(), now: new Date('2026-01-01T00:00:00Z') };
  for await (const u of importUnits(file, 'shopify-customers', env)) out.push(u);
  return out;
}

const lines = (u: readonly Unit[]) => u.map((x) => [x.line, x.lastLine]);

describe('lineFeedsOnly', () => {
  it('makes CRLF and lone CRs LF, across chunk boundaries', async () => {
    const out = await text(
      Readable.from(['a\r', '\nb\rc\r', '', '\r\nd\r\r\n', '\n'].map((s) => Buffer.from(s))).pipe(
        lineFeedsOnly(),
      ),
    );
    assert.equal(out, 'a\nb\nc\n\nd\n\n\n');
  });

  it('agrees with a plain replace on random text cut at random places', async () => {
    const random = seededRandom(7);
    const uniform = () => random.bytes(1)[0]! / 256;
    for (let round = 0; round < 200; round++) {
      const alphabet = ['a', '\r', '\n', ','];
      const s = Array.from({ length: 40 }, () => alphabet[Math.floor(uniform() * alphabet.length)]).join('');
      const chunks: Buffer[] = [];
      for (let at = 0; at < s.length; ) {
        const n = 1 + Math.floor(uniform() * 6);
        chunks.push(Buffer.from(s.slice(at, at + n)));
        at += n;
      }
      const out = await text(Readable.from(chunks).pipe(lineFeedsOnly()));
      assert.equal(out, s.replace(/\r\n?/g, '\n'), JSON.stringify(s));
    }
  });
});

describe('an import file’s line numbers', () => {
  const rows = [
    '1,Ann,A,ann.lines@example.com,no,"first\r\nsecond"',
    '2,Bob,B,,no,',
    '3,Cat,C,cat.lines@example.com,no,"one\r\ntwo\r\nthree"',
    '4,Dan,D,dan@@example,no,',
  ];

  it('CRLF with CRLF inside quoted values: each row at its first line, a quoted break spanning two', async () => {
    const u = await units(customers('crlf.csv', '\r\n', rows));
    assert.deepEqual(lines(u), [
      [2, 3],
      [4, 4],
      [5, 7],
      [8, 8],
    ]);
    assert.deepEqual(
      u.flatMap((x) => ('refused' in x ? [[x.line, x.refused.code]] : [])),
      [
        [4, 'VOW_VALIDATION'],
        [8, 'VOW_VALIDATION'],
      ],
    );
  });

  it('the same lines with LF, a lone CR, or LF rows holding CRLF values', async () => {
    const expected = [
      [2, 3],
      [4, 4],
      [5, 7],
      [8, 8],
    ];
    // Every line break of the file, inside quoted values too, one kind: LF, or a lone CR.
    for (const [name, eol] of [
      ['lf.csv', '\n'],
      ['cr.csv', '\r'],
    ] as const) {
      const file = customers(
        name,
        eol,
        rows.map((r) => r.replaceAll('\r\n', eol)),
      );
      assert.deepEqual(lines(await units(file)), expected, name);
    }
    assert.deepEqual(lines(await units(customers('mixed.csv', '\n', rows))), expected);
  });

  it('a row the reader cannot read is named by its line, in order with the rest', async () => {
    const u = await units(
      customers('malformed.csv', '\r\n', [
        rows[0]!,
        '9,Eve,E"x,eve@example.com,no,',
        '5,Fay,F,fay.lines@example.com,no,',
      ]),
    );
    assert.deepEqual(
      u.map((x) => [x.line, 'refused' in x ? x.refused.code : 'facts']),
      [
        [2, 'facts'],
        [4, 'VOW_IMPORT_MALFORMED'],
        [5, 'facts'],
      ],
      'the stray quote is reported at its line, and the row after it is read',
    );
  });

  it('a quote that never closes stops the reader at its line (scanFile refuses such a file first)', async () => {
    await assert.rejects(
      units(
        customers('unclosed.csv', '\r\n', [
          rows[0]!,
          '9,Eve,"E,eve@example.com,no,',
          '5,Fay,F,fay.lines@example.com,no,',
        ]),
      ),
      { code: 'VOW_IMPORT_QUOTES', details: { line: 4, problem: 'never_closed' } },
    );
  });
});

describeEachDialect('an imported fact’s evidence names its row', (env) => {
  it('the row after a value with a CRLF inside is evidenced at its own line', async () => {
    const file = customers(`evidence-${env().dialect}.csv`, '\r\n', [
      '1,Gil,G,gil.lines@example.com,yes,"a note\r\non two lines"',
      '2,Hal,H,hal.lines@example.com,yes,',
    ]);
    const report = await env().services.imports.run({ file, format: 'shopify-customers' });
    assert.equal(report.counts.refused, 0);
    const rowOf = async (email: string) => {
      const id = await env().services.subjects.findByEmail(email);
      assert.ok(id);
      const [event] = await env().services.consent.history(id);
      return JSON.parse(event!.details).source.row as number;
    };
    assert.equal(await rowOf('gil.lines@example.com'), 2);
    assert.equal(await rowOf('hal.lines@example.com'), 4);
  });

  it('a run checkpointed in the old count resumes from the right row (nothing lost, nothing twice)', async () => {
    // Rows: Ivy on lines 2-3 (a CRLF in her note), Jon on 4, Kim on 5. The old count put Ivy's last
    // line at 4 (its quoted CRLF counted twice), Jon at 5 and Kim at 6; a run stopped after Ivy has
    // checkpoint 4, which in the file's own lines would be past Jon.
    const file = customers(`legacy-${env().dialect}.csv`, '\r\n', [
      '1,Ivy,I,ivy.lines@example.com,yes,"x\r\ny"',
      '2,Jon,J,jon.lines@example.com,yes,',
      '3,Kim,K,kim.lines@example.com,yes,',
    ]);
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const now = env().ctx.clock.now().toISOString();
    await env()
      .ctx.store.db.insertInto('import_runs')
      .values({
        id: `legacy-run-${env().dialect}`,
        file_sha256: sha256,
        format: 'shopify-customers',
        file_name: path.basename(file),
        status: 'running',
        checkpoint_line: 4,
        line_numbering: 1,
        counts: JSON.stringify({ ...zeroCounts(), units: 1, collected: { registration: 1 } }),
        started_at: now,
        updated_at: now,
        finished_at: null,
      })
      .execute();
    const report = await env().services.imports.run({ file, format: 'shopify-customers' });
    assert.equal(report.resumedFromLine, 4);
    assert.equal(await env().services.subjects.findByEmail('ivy.lines@example.com'), undefined);
    assert.ok(await env().services.subjects.findByEmail('jon.lines@example.com'), 'Jon is not lost');
    assert.ok(await env().services.subjects.findByEmail('kim.lines@example.com'));
  });
});
