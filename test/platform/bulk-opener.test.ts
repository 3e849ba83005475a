// The vault's bulk opener on its own: a worker that cannot run makes each batch fail with
// WorkerGone (the vault then opens it inline), and a working one answers as the inline code does.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type OpenItem, openItems, seal } from '../../src/platform/crypto/aead.js';
import { BulkOpener, WorkerGone } from '../../src/platform/crypto/bulk-opener.js';

const master = Buffer.alloc(32, 5);

/** One value for each person, sealed as the vault seals it. */
function items(n: number): OpenItem[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `person-${i}`;
    const key = Buffer.alloc(32, i + 1);
    return [
      id,
      seal(master, key, `data-key:${id}`, Buffer.alloc(12, i)),
      seal(key, Buffer.from(`${id}@example.com`), `value:${id}`, Buffer.alloc(12, i + 1)),
    ] as const;
  });
}

describe('bulk opener', () => {
  it('answers as the inline code does', async () => {
    const opener = new BulkOpener(master);
    const batch = items(30);
    assert.deepEqual(await opener.open(batch), openItems(master, batch));
    await opener.stop();
    assert.equal(opener.running, false);
  });

  it('fails each batch with WorkerGone when its worker cannot run, and stops trying after three', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-opener-'));
    const broken = path.join(dir, 'broken-worker.js');
    writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const opener = new BulkOpener(master, { entry: pathToFileURL(broken) });
    for (let attempt = 0; attempt < 5; attempt++) {
      await assert.rejects(opener.open(items(3)), (err: unknown) => err instanceof WorkerGone);
      assert.equal(opener.running, false);
    }
    assert.equal(opener.started, 3, 'tried three times, then no more');
  });
});
