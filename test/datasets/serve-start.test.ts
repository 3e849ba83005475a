// `vow serve` reads and checks the dataset annotations before it listens: a broken VOW_DATASETS
// entry stops the start with its code, file and line, instead of failing the first access request.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createVowStore, startVow, type VowStore } from '../faults/vow-process.js';

describe('vow serve checks the dataset annotations at start', () => {
  let store: VowStore | undefined;
  after(async () => {
    await store?.drop();
  });

  it('refuses to start with an annotation it cannot read, naming it', async () => {
    store = await createVowStore('sqlite');
    const dir = mkdtempSync(path.join(tmpdir(), 'vow-serve-datasets-'));
    const file = path.join(dir, 'datasets.yaml');
    writeFileSync(
      file,
      'datasets:\n  - { name: shop, annotation: missing.yaml, url: "sqlite:/tmp/shop.sqlite" }\n',
    );
    const started = await startVow({ ...store.env, VOW_DATASETS: file }).then(
      async (vow) => {
        await vow.stop();
        return 'it started';
      },
      (err: Error) => err.message,
    );
    assert.match(started, /exited \(1\) before listening/);
    assert.match(started, /VOW_DATASET_NOT_FOUND/);
  });
});
