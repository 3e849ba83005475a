// The audit trail is whole (P13): the chain verified from the last head a check verified (the whole
// chain in a full sweep), the head matching the last entry, every entry changed or removed since the
// last run (the journal's triggers see them) verified again, and every anchor kept outside the
// database (the anchor file) matching the chain: an anchor past the last entry means entries were
// removed (truncated, or an older copy restored), an anchor whose entry differs means the chain was
// rewritten even if every hash was recomputed. After a run, the monitor writes the head it verified to
// the anchor file too, so a later rewrite of what it saw disagrees with it.
import { type AuditRow, hashEntry } from '../../../platform/audit/index.js';
import { auditChainCover } from '../covers.js';
import { type Family, type FamilyEnv, inSlices, type Sink } from '../family.js';
import { ATTRIBUTION } from '../policy-map.js';

export const MARK_VERIFIED_SEQ = 'audit.verified_seq';
export const MARK_VERIFIED_HASH = 'audit.verified_hash';
const CHAIN = 'audit:chain';
const ANCHORS = 'audit:anchors';
const PAGE = 1000;

function broken(
  sink: Sink,
  scope: string,
  seq: number,
  rule: string,
  reason: string,
  values: Record<string, string | number | null> = {},
) {
  sink.add(scope, {
    promise: ATTRIBUTION.auditTrail,
    table: 'audit_log',
    row: String(seq),
    rule,
    reason,
    values: { seq, ...values },
  });
}

function hashOf(prev: string, row: AuditRow): string {
  const { prev_hash: _p, hash: _h, ...rest } = row;
  return hashEntry(prev, { ...rest, seq: Number(row.seq) });
}

/** Verifies the chain from `from` (seq, hash) to the head; returns the last good (seq, hash). */
async function verifyFrom(
  env: FamilyEnv,
  from: { seq: number; hash: string },
  sink: Sink,
): Promise<{ seq: number; hash: string } | undefined> {
  const db = env.ctx.store.db;
  let prev = from.hash;
  let expected = from.seq + 1;
  // After a break the check goes on from the entry's own stored hash, so every break is named, not
  // only the first (a second edit further on is not hidden behind the first).
  let intact = true;
  for (;;) {
    const page = (await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .orderBy('seq', 'asc')
      .limit(PAGE)
      .execute()) as AuditRow[];
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== expected) {
        broken(sink, CHAIN, expected, 'audit.chain_intact', `Entry ${expected} is missing from the chain`);
        intact = false;
      } else if (row.prev_hash !== prev || hashOf(prev, row) !== row.hash) {
        broken(
          sink,
          CHAIN,
          seq,
          'audit.chain_intact',
          row.prev_hash !== prev
            ? 'The link to the previous entry is broken'
            : 'The entry was changed after it was written',
          { action: row.action },
        );
        intact = false;
      }
      prev = row.hash;
      expected = seq + 1;
    }
    if (page.length < PAGE) break;
  }
  if (!intact) return undefined;
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const last = { seq: expected - 1, hash: prev };
  if (!head || Number(head.seq) !== last.seq || head.hash !== last.hash) {
    broken(
      sink,
      CHAIN,
      last.seq + 1,
      'audit.head_matches',
      'The chain head does not match the last entry (entries were removed or added around it)',
      {
        head_seq: head ? Number(head.seq) : null,
        last_seq: last.seq,
      },
    );
    return undefined;
  }
  return last;
}

/** Entries changed or removed since the last run (journaled by the triggers): each verified again. */
async function verifyChanged(env: FamilyEnv, sink: Sink): Promise<void> {
  const seqs = (env.rowRefs.get('audit_log') ?? []).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const db = env.ctx.store.db;
  await inSlices(seqs, 300, async (slice) => {
    const wanted = [...new Set(slice.flatMap((s) => [s, s - 1]))].filter((s) => s > 0);
    const rows = (await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', 'in', wanted)
      .execute()) as AuditRow[];
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    for (const seq of slice) {
      const scope = `row:audit_log:${seq}`;
      sink.checked(scope);
      const row = bySeq.get(seq);
      const prevHash = seq === 1 ? 'genesis' : bySeq.get(seq - 1)?.hash;
      if (!row) broken(sink, scope, seq, 'audit.chain_intact', 'An entry of the audit trail was deleted');
      else if (prevHash === undefined || row.prev_hash !== prevHash || hashOf(prevHash, row) !== row.hash)
        broken(
          sink,
          scope,
          seq,
          'audit.chain_intact',
          'An entry of the audit trail was changed after it was written',
          { action: row.action },
        );
    }
  });
}

/** The anchors kept outside the database against the chain, and the database's anchors against the file. */
async function verifyAnchors(env: FamilyEnv, sink: Sink): Promise<void> {
  sink.checked(ANCHORS);
  const audit = env.ctx.audit;
  if (!audit.anchorStore) return;
  const db = env.ctx.store.db;
  const { anchors, unreadable } = await audit.keptAnchors();
  if (unreadable > 0)
    broken(
      sink,
      ANCHORS,
      0,
      'audit.anchor_file_readable',
      'Lines of the anchor file cannot be read (it was edited)',
      { lines: unreadable },
    );
  const head = Number(
    (await db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst())?.seq ?? 0,
  );
  const last = Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.max('seq').as('m'))
        .executeTakeFirst()
    )?.m ?? 0,
  );
  const end = Math.max(head, last);
  const latest = new Map<number, { hash: string; at: string }>();
  for (const a of anchors) latest.set(a.seq, { hash: a.hash, at: a.at });
  const beyond = anchors.filter((a) => a.seq > end);
  if (beyond.length > 0) {
    const a = beyond.reduce((x, y) => (y.seq > x.seq ? y : x));
    broken(
      sink,
      ANCHORS,
      a.seq,
      'audit.anchor_matches',
      'The anchor file recorded entries the trail no longer has (it was truncated or restored from an older copy)',
      {
        anchored_seq: a.seq,
        anchored_at: a.at,
        trail_ends_at: end,
      },
    );
  }
  const seqs = [...latest.keys()].filter((s) => s <= end && s > 0);
  await inSlices(seqs, 400, async (slice) => {
    const rows = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', slice).execute();
    const hashes = new Map(rows.map((r) => [Number(r.seq), r.hash]));
    for (const seq of slice) {
      const a = latest.get(seq)!;
      if (hashes.get(seq) !== a.hash)
        broken(
          sink,
          ANCHORS,
          seq,
          'audit.anchor_matches',
          'The entry differs from the anchor file’s record of it (the chain was rewritten)',
          {
            anchored_at: a.at,
          },
        );
    }
  });
  if (anchors.length === 0) return;
  const since = Math.min(...anchors.map((a) => a.seq));
  const inDb = await db.selectFrom('audit_anchors').select(['seq', 'at']).where('seq', '>=', since).execute();
  for (const a of inDb)
    if (Number(a.seq) > 0 && !latest.has(Number(a.seq)))
      broken(
        sink,
        ANCHORS,
        Number(a.seq),
        'audit.anchor_matches',
        'An anchor in the database was never written to the anchor file (a forged anchor)',
        {
          anchored_at: a.at,
        },
      );
}

export const auditChainFamily: Family = {
  ...auditChainCover,
  async run(env, sink) {
    sink.checked(CHAIN);
    const db = env.ctx.store.db;
    let from = { seq: 0, hash: 'genesis' };
    const seq = Number(env.marks.get(MARK_VERIFIED_SEQ) ?? 0);
    const hash = env.marks.get(MARK_VERIFIED_HASH);
    if (env.mode === 'incremental' && seq > 0 && hash) {
      const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirst();
      if (row?.hash === hash) from = { seq, hash };
      else
        broken(
          sink,
          CHAIN,
          seq,
          'audit.chain_intact',
          'An entry an earlier check verified was changed or removed since',
          {
            verified_seq: seq,
          },
        );
    }
    const last = await verifyFrom(env, from, sink);
    if (last) {
      env.marks.set(MARK_VERIFIED_SEQ, String(last.seq));
      env.marks.set(MARK_VERIFIED_HASH, last.hash);
    }
    if (env.mode === 'incremental') await verifyChanged(env, sink);
    await verifyAnchors(env, sink);
    return 'done';
  },
};
