// Group commit's gathering, shared by the writes that use it (site measurements, the collection
// endpoints): a group is handed over once a turn of the event loop brings nothing more (at most
// `GATHER_TURNS` extra turns, at most `max` items); while a group is being written (or, with
// several writers, while every writer is busy), what arrives waits for the next one.
//
// Why wait at all: a commit costs one sync of the disk, and on a virtual machine's disk that sync
// is mostly CPU (about 0.5 ms a commit measured on 2 vCPUs, BENCHMARKS.md). Under load, requests
// reach the process over several turns of the event loop; handing the group over at the first turn
// wrote groups of about half the requests in flight, and the second half paid a second sync.
// Waiting while each turn brings more made groups larger (measurements: 4,100 to 5,100 a second on
// the same machine). A lone request waits one turn: microseconds.

/** At most this many extra turns of the event loop are waited for (each must bring more items). */
export const GATHER_TURNS = 3;

export interface GroupQueueOptions {
  /** Runs a function at the event loop's next turn (setImmediate; a test may step the turns itself). */
  readonly defer?: (then: () => void) => void;
  /**
   * Groups written at the same time (default 1: one after the other). More only where the store
   * runs transactions side by side (PostgreSQL): while one group waits for the database, the next
   * is gathered and written, instead of the process idling (POSTGRES_WRITERS in the collection module).
   */
  readonly writers?: number;
}

export class GroupQueue<T> {
  readonly #max: number;
  readonly #write: (group: T[]) => Promise<void>;
  readonly #defer: (then: () => void) => void;
  readonly #writers: number;
  #queue: T[] = [];
  #scheduled = false;
  /** Groups being written now. */
  #active = 0;

  /** `write` answers every item of its group itself (it must not throw). */
  constructor(max: number, write: (group: T[]) => Promise<void>, options: GroupQueueOptions = {}) {
    const writers = options.writers ?? 1;
    if (!Number.isInteger(writers) || writers < 1)
      throw new RangeError('GroupQueue: writers must be a whole number of at least 1');
    this.#max = max;
    this.#write = write;
    this.#defer = options.defer ?? setImmediate;
    this.#writers = writers;
  }

  /** Groups being written at this moment. */
  get active(): number {
    return this.#active;
  }

  push(item: T): void {
    this.#queue.push(item);
    if (this.#scheduled || this.#active >= this.#writers) return;
    this.#scheduled = true;
    this.#gather(this.#queue.length, 0);
  }

  /** Waits a turn; hands the group over when that turn brought nothing, it is full, or enough turns passed. */
  #gather(seen: number, turns: number): void {
    this.#defer(() => {
      const size = this.#queue.length;
      if (size > seen && size < this.#max && turns < GATHER_TURNS) {
        this.#gather(size, turns + 1);
        return;
      }
      this.#scheduled = false;
      void this.#drain();
    });
  }

  /**
   * One writer: writes groups one after the other until the queue is empty. What arrives while
   * every writer is busy waits, and the first writer free takes it at once (it gathered meanwhile).
   */
  async #drain(): Promise<void> {
    if (this.#active >= this.#writers) return;
    this.#active++;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.slice(0, this.#max);
        this.#queue = this.#queue.slice(group.length);
        await this.#write(group);
      }
    } finally {
      this.#active--;
    }
  }
}
