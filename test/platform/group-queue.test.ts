// Group commit's gathering (src/platform/group-queue.ts): a group waits while each turn of the event
// loop brings more, never more than GATHER_TURNS extra turns nor past its largest size, and what
// arrives while a group is written forms the next one. The turns are stepped by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GATHER_TURNS, GroupQueue } from '../../src/platform/group-queue.js';

/** A queue whose turns run only when the test says so, and the groups it wrote. */
function stepped(max: number, writers = 1) {
  let turns: (() => void)[] = [];
  const groups: number[][] = [];
  const held: (() => void)[] = [];
  let hold = false;
  let writing = 0;
  let mostAtOnce = 0;
  const queue = new GroupQueue<number>(
    max,
    async (group) => {
      groups.push(group);
      writing++;
      mostAtOnce = Math.max(mostAtOnce, writing);
      if (hold) await new Promise<void>((r) => held.push(r));
      writing--;
    },
    { defer: (then) => turns.push(then), writers },
  );
  return {
    queue,
    groups,
    /** Runs the turn that is due (what it schedules runs at the next call), then lets promises settle. */
    async turn(): Promise<void> {
      const due = turns;
      turns = [];
      for (const f of due) f();
      await new Promise((r) => setImmediate(r));
    },
    pendingTurns: () => turns.length,
    holdWrites(on: boolean) {
      hold = on;
    },
    /** Lets the oldest held write finish. */
    release: () => held.shift()?.(),
    mostAtOnce: () => mostAtOnce,
  };
}

describe('GroupQueue gathering', () => {
  it('a lone item is written after one turn', async () => {
    const q = stepped(64);
    q.queue.push(1);
    assert.deepEqual(q.groups, []);
    await q.turn();
    assert.deepEqual(q.groups, [[1]]);
    assert.equal(q.pendingTurns(), 0);
  });

  it('waits while each turn brings more, then writes them as one group', async () => {
    const q = stepped(64);
    q.queue.push(1);
    q.queue.push(2); // more arrived before the first turn: the group waits another turn
    await q.turn();
    assert.deepEqual(q.groups, []);
    q.queue.push(3); // and this turn brings another
    await q.turn();
    assert.deepEqual(q.groups, []);
    await q.turn(); // a turn that brought nothing: written
    assert.deepEqual(q.groups, [[1, 2, 3]]);
  });

  it('gathers over turns that bring more, at most GATHER_TURNS extra ones', async () => {
    const q = stepped(64);
    let n = 0;
    q.queue.push(n++);
    // Every turn brings one more: the group waits GATHER_TURNS turns beyond the first, then goes.
    for (let t = 0; t <= GATHER_TURNS; t++) {
      assert.deepEqual(q.groups, [], `turn ${t}: still gathering`);
      q.queue.push(n++);
      await q.turn();
    }
    assert.equal(q.groups.length, 1);
    assert.deepEqual(
      q.groups[0],
      Array.from({ length: GATHER_TURNS + 2 }, (_, i) => i),
    );
  });

  it('a turn that brings nothing ends the gathering early', async () => {
    const q = stepped(64);
    q.queue.push(1);
    q.queue.push(2);
    await q.turn();
    await q.turn();
    assert.deepEqual(q.groups, [[1, 2]], 'written after two turns, not GATHER_TURNS + 1');
  });

  it('a full group does not wait, and the rest forms the next group', async () => {
    const q = stepped(3);
    q.queue.push(1);
    await q.turn(); // written alone
    q.queue.push(2);
    q.queue.push(3);
    q.queue.push(4);
    q.queue.push(5);
    await q.turn(); // the first turn: already full, written at once in groups of at most 3
    assert.deepEqual(q.groups, [[1], [2, 3, 4], [5]]);
  });

  it('what arrives while a group is written waits for the next group', async () => {
    const q = stepped(64);
    q.holdWrites(true);
    q.queue.push(1);
    await q.turn();
    assert.deepEqual(q.groups, [[1]]);
    q.queue.push(2);
    q.queue.push(3);
    assert.equal(q.pendingTurns(), 0, 'no gathering while a group is written');
    q.holdWrites(false);
    q.release();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(q.groups, [[1], [2, 3]]);
  });
});

describe('GroupQueue with two writers (PostgreSQL)', () => {
  it('a group gathered while another is written is written beside it, a third waits', async () => {
    const q = stepped(64, 2);
    q.holdWrites(true);
    q.queue.push(1);
    await q.turn();
    assert.deepEqual(q.groups, [[1]]);
    q.queue.push(2);
    q.queue.push(3);
    assert.equal(q.pendingTurns(), 1, 'the second writer gathers');
    await q.turn();
    await q.turn();
    assert.deepEqual(q.groups, [[1], [2, 3]], 'written while the first still is');
    q.queue.push(4);
    q.queue.push(5);
    assert.equal(q.pendingTurns(), 0, 'both writers busy: no gathering');
    q.holdWrites(false);
    q.release(); // the first group is done: its writer takes what waited, at once
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(q.groups, [[1], [2, 3], [4, 5]]);
    q.release();
    await new Promise((r) => setImmediate(r));
    assert.equal(q.mostAtOnce(), 2);
  });

  it('one writer never writes two groups at once', async () => {
    const q = stepped(2);
    q.holdWrites(true);
    for (let i = 0; i < 7; i++) q.queue.push(i);
    await q.turn();
    for (let i = 0; i < 4; i++) {
      q.release();
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(q.groups, [[0, 1], [2, 3], [4, 5], [6]]);
    assert.equal(q.mostAtOnce(), 1);
  });

  it('refuses a number of writers that is not a whole number of at least 1', () => {
    assert.throws(() => new GroupQueue<number>(4, async () => {}, { writers: 0 }), RangeError);
    assert.throws(() => new GroupQueue<number>(4, async () => {}, { writers: 1.5 }), RangeError);
  });
});
