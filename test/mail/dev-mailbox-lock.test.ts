// The development mailbox (mail.jsonl) is appended to by every process on one data folder (two
// `vow serve`, or `vow serve` and a `vow` command), and rewritten by an erasure (its person's lines
// taken out: a new file renamed over the old). A line another process appended between the rewrite's
// read and its rename went to the old file, and was lost with it. Both now take the file's lock
// (proper-lockfile): the other process's append waits for the rewrite, and lands in the new file.
// The interleaving is forced: the rename is held until the other process has sent (before) or is
// waiting for the lock (now).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { ManualClock } from '../../src/platform/clock.js';
import type { OutgoingMessage } from '../../src/platform/mail/transport.js';
import * as transport from '../../src/platform/mail/transport.js';
import { deferred } from '../helpers/deferred.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-dev-mailbox-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const message = (to: string, n: number): OutgoingMessage => ({
  from: 'shop@example.com',
  to,
  subject: `Message ${n}`,
  text: 'Hello',
  outboxId: `outbox-${n}`,
});

const recipients = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { to: string }).to);

/** `node:fs/promises` as Vow's modules import it: replacing `rename` here replaces theirs. */
const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');

it('a line another process appends while an erasure rewrites mail.jsonl is kept, and the erased line goes', async () => {
  const file = path.join(dir, 'mail.jsonl');
  const clock = new ManualClock(new Date('2026-12-06T17:00:00Z'));
  const { promise: otherWaits, resolve: waiting } = deferred();
  const erasing = transport.fileTransport(file, clock);
  // The other process: its own transport (its own queue), on the same file, telling when it asks for the lock.
  const other = transport.fileTransport(file, clock, {
    lock: (f) => {
      waiting();
      return transport.lockMailbox(f);
    },
  });
  await erasing.send(message('ann@example.com', 1));
  await erasing.send(message('bob@example.com', 2));

  let appended: Promise<unknown> | undefined;
  const rename = fsp.rename;
  fsp.rename = async (from, to) => {
    if (to === file && appended === undefined) {
      appended = other.send(message('cat@example.com', 3));
      await Promise.race([appended, otherWaits]);
    }
    return rename(from, to);
  };
  syncBuiltinESMExports();
  let dropped: number;
  try {
    dropped = await erasing.forget!((copy) => copy.to === 'ann@example.com');
    await appended;
  } finally {
    fsp.rename = rename;
    syncBuiltinESMExports();
  }
  assert.ok(appended, 'the rewrite renamed its file');
  assert.equal(dropped, 1);
  assert.deepEqual(recipients(file), ['bob@example.com', 'cat@example.com']);
});
