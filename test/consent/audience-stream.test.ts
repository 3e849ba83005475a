import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KyselyPlugin } from 'kysely';
import { audienceStream, audienceTarget } from '../../src/modules/consent/audiences.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { enrolContestants } from '../helpers/audience.js';
import { describeEachDialect } from '../helpers/env.js';

/** The context with a database that counts the audience's page queries (the only ones with a limit). */
function countingPages(ctx: VowContext): { ctx: VowContext; pages: () => number } {
  let pages = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (args.node.kind === 'SelectQueryNode' && args.node.limit) pages++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const store = { ...ctx.store, db: ctx.store.db.withPlugin(plugin) };
  return { ctx: { ...ctx, store }, pages: () => pages };
}

async function firstChunk(stream: Readable): Promise<string> {
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) return chunk.toString('utf8');
    await new Promise((resolve) => stream.once('readable', resolve));
  }
}

describeEachDialect('streaming an audience', (env) => {
  const people = 300;
  const pageSize = 10;

  it('reads the next page only when the reader wants more (a slow reader holds the export back)', async () => {
    await enrolContestants(env(), people);
    const { ctx, pages } = countingPages(env().ctx);
    const stream = audienceStream(
      ctx,
      audienceTarget(ctx.policy, 'email_marketing'),
      'ndjson',
      undefined,
      pageSize,
    );
    let text = await firstChunk(stream);
    // A reader that took one chunk and then waits: the stream must not run through the audience.
    await sleep(200);
    assert.ok(pages() <= 3, `read ${pages()} pages for a reader that took one`);
    await sleep(200);
    assert.ok(pages() <= 3, `kept reading while nobody took anything (${pages()} pages)`);
    for await (const chunk of stream) text += chunk;
    const lines = text.trim().split('\n');
    assert.equal(lines.length, people);
    assert.equal(new Set(lines.map((l) => (JSON.parse(l) as { email: string }).email)).size, people);
    assert.equal(pages(), people / pageSize + 1, 'every page read once, and one empty page to end');
  });

  it('lets the event loop turn between pages, so other requests are served during a long export', async () => {
    const { ctx } = env();
    const target = audienceTarget(ctx.policy, 'email_marketing');
    let chunks = 0;
    let chunksWhenTimerRan: number | undefined;
    setImmediate(() => {
      chunksWhenTimerRan = chunks;
    });
    for await (const _ of audienceStream(ctx, target, 'ndjson', undefined, pageSize)) chunks++;
    assert.equal(chunks, people / pageSize);
    assert.ok(
      chunksWhenTimerRan !== undefined && chunksWhenTimerRan < chunks / 2,
      `a timer waited for ${chunksWhenTimerRan} of ${chunks} pages`,
    );
  });

  it('sends each page as one chunk, the same lines as one JSON object per member', async () => {
    const { ctx } = env();
    const target = audienceTarget(ctx.policy, 'email_marketing');
    const chunks: string[] = [];
    for await (const chunk of audienceStream(ctx, target, 'ndjson', undefined, pageSize))
      chunks.push(String(chunk));
    assert.equal(chunks.length, people / pageSize);
    for (const chunk of chunks) {
      const lines = chunk.trimEnd().split('\n');
      assert.equal(lines.length, pageSize);
      for (const line of lines) {
        const member = JSON.parse(line) as { subjectId: string; email: string };
        assert.equal(line, JSON.stringify({ subjectId: member.subjectId, email: member.email }));
      }
    }
  });
});

describeEachDialect(
  "streaming an audience through the vault's worker thread",
  (env) => {
    it('sends the same members as when opened inline, each page opened off the main thread', async () => {
      const ids = await enrolContestants(env(), 120, 'worker');
      const { ctx } = env();
      const target = audienceTarget(ctx.policy, 'email_marketing');
      let text = '';
      for await (const chunk of audienceStream(ctx, target, 'ndjson', undefined, 25)) text += chunk;
      assert.ok(ctx.vault.openWorkerRunning, 'pages of 25 (>= 1) go to the worker');
      const members = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { subjectId: string; email: string });
      assert.deepEqual(
        members.map((m) => m.subjectId),
        [...ids].sort(),
        'every member once, in subject order (pages read ahead stay in order)',
      );
      for (const m of members) assert.equal(m.email, `worker${ids.indexOf(m.subjectId)}@example.com`);
      await ctx.vault.stopWorkers();
      assert.equal(ctx.vault.openWorkerRunning, false);
    });
  },
  { vault: { openInWorkerFrom: 1 } },
);
