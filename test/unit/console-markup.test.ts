// The console's markup rules, read from its sources so a new page follows them before any data
// shows the difference: every list is a table of cards on a phone (class "stack", each cell named by
// its column), and a moment in a table is a stamp (date and time each kept whole), never a bare
// ISO string the browser may break at its hyphens or keep on one unbreakable line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, sourceFiles } from '../helpers/source.js';

const consoleSources = () =>
  sourceFiles('src/http/console').map((f) => ({
    file: f,
    text: readFileSync(path.join(ROOT, f), 'utf8'),
  }));

describe('console markup', () => {
  it('makes every list outside a chart a table of cards on a phone', () => {
    const flat: string[] = [];
    for (const { file, text } of consoleSources()) {
      // A chart's table of figures (charts.ts) scrolls in its own box, behind "The numbers as a table".
      if (file.endsWith('/charts.ts')) continue;
      for (const m of text.matchAll(/<table([^>]*)>/g)) {
        const attrs = m[1]!;
        // The dashboard's due soonest and recent runs and a report's counts were left as tables of
        // three short columns: on a phone they were the only lists not read as cards.
        if (!/class="[^"]*\bstack\b/.test(attrs)) flat.push(`${file}: <table${attrs}>`);
      }
    }
    assert.deepEqual(flat, [], 'tables wider than a phone unless they are cards (class="stack")');
  });

  it('names every cell of a card by its column', () => {
    const unnamed: string[] = [];
    for (const { file, text } of consoleSources()) {
      for (const m of text.matchAll(/<table class="stack"[\s\S]*?<\/table>/g)) {
        const table = m[0];
        // Each <td> carries data-label, except the one holding a row's action form (its button says it).
        for (const td of table.matchAll(/<td([^>]*)>(\s*<?[^<]{0,30})/g))
          if (!td[1]!.includes('data-label') && !/^\s*<form/.test(td[2]!))
            unnamed.push(`${file}: <td${td[1]}>${td[2]}`);
      }
    }
    assert.deepEqual(unnamed, [], 'cells without data-label in a stack table');
  });

  it('shows a moment in a table cell as a stamp, not as a cut ISO string', () => {
    const bare: string[] = [];
    for (const { file, text } of consoleSources())
      for (const m of text.matchAll(/<td[^>]*>[^<]*(?:<time[^>]*>)?\$\{[^}]*replace\('T', ' '\)/g))
        bare.push(`${file}: ${m[0].slice(0, 80)}`);
    assert.deepEqual(bare, [], 'use stamp() from labels.ts in table cells');
  });
});
