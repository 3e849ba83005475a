// How scripts/test.js shares processes between test files (scripts/test-groups.js): which files may
// share, that browser files share only with their kind and one Chromium, and the group module written.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
// @ts-expect-error: a plain JavaScript tool without declarations
import { entryOf, ownProcessReasons, planUnits, SHARE_CHROMIUM } from '../../scripts/test-groups.js';

type Unit = { files: string[]; bytes: number; shareChromium?: boolean };

describe('test groups', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-test-groups-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, source: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, source);
    return f;
  };
  const plain = (n: number) => file(`plain-${n}.test.ts`, `it('${n}', () => {});\n`);
  const browser = (n: number) =>
    file(`browser-${n}.test.ts`, `const at = consoleInChromium({ width: 1280 });\nit('${n}', () => {});\n`);

  it('names every reason a file gives, the browser one included', () => {
    assert.deepEqual(ownProcessReasons("it('x', () => {});"), []);
    assert.deepEqual(ownProcessReasons('const b = launchChromium();\nprocess.env.X = "1";'), [
      'changes the process',
      'a browser or a served vow',
    ]);
  });

  it('groups browser files only with their kind, with one Chromium, and keeps a browser file with another reason alone', () => {
    const envBrowser = file('browser-env.test.ts', 'process.env.X = "1";\nconst b = launchChromium();\n');
    const long = plain(99);
    const files = [long, ...[1, 2, 3, 4, 5].map(browser), ...[1, 2, 3, 4, 5, 6, 7].map(plain), envBrowser];
    const units: Unit[] = planUnits(files, { alone: (f: string) => f === long, size: 6 });
    assert.deepEqual(units[0]?.files, [long], 'the long file first, alone');
    const browserUnits = units.filter((u) => u.files.some((f) => f.includes('browser-') && f !== envBrowser));
    assert.deepEqual(
      browserUnits.map((u) => [u.files.length, u.shareChromium ?? false]).sort(),
      [
        [1, false],
        [4, true],
      ],
      'four browser files to a group (BROWSER_GROUP) sharing Chromium; the fifth alone, with its own',
    );
    const firstPlain = units.findIndex((u) => u.files.some((f) => f.includes('plain-1')));
    assert.ok(
      browserUnits.every((u) => units.indexOf(u) < firstPlain),
      'browser units start before the rest',
    );
    for (const u of units) {
      const kinds = new Set(u.files.map((f) => (f.includes('browser-') ? 'browser' : 'plain')));
      assert.equal(kinds.size, 1, `no group mixes browser and other files: ${u.files.join(' ')}`);
    }
    assert.ok(units.some((u) => u.files.length === 1 && u.files[0] === envBrowser));
    assert.deepEqual(units.find((u) => u.files.includes(plain(1)))?.files.length, 6);
    assert.equal(units.flatMap((u) => u.files).length, files.length, 'every file runs once');
  });

  it('with VOW_TEST_GROUP=1 every file runs in its own process', () => {
    const files = [...[1, 2].map(browser), ...[1, 2].map(plain)];
    const units: Unit[] = planUnits(files, { alone: () => false, size: 1 });
    assert.deepEqual(
      units.map((u) => u.files.length),
      [1, 1, 1, 1],
    );
    assert.ok(units.every((u) => !u.shareChromium));
  });

  it("a browser group's module imports the sharing helper before its files; other groups do not", () => {
    const where = (f: string) => path.resolve(f);
    const shared = entryOf({ files: [browser(1), browser(2)], bytes: 0, shareChromium: true }, 0, dir, where);
    const lines = readFileSync(shared, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('import '));
    assert.equal(lines.length, 3);
    assert.ok(lines[0]?.includes(path.basename(SHARE_CHROMIUM)), lines[0]);
    const other = entryOf({ files: [plain(1), plain(2)], bytes: 0 }, 1, dir, where);
    assert.ok(!readFileSync(other, 'utf8').includes(path.basename(SHARE_CHROMIUM)));
  });
});
