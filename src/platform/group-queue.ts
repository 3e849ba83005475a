// Group commit's gathering, shared by the writes that use it (site measurements, the collection
// endpoints): a group is handed over once a turn of the event loop brings nothing more (at most
// `GATHER_TURNS` extra turns, at most `max` items); while a group is being written, what arrives
// waits for the next one.
//
// Why wait at all: a commit costs one sync of the disk, and on a virtual machine's disk that sync
// is mostly CPU (about 0.5 ms a commit measured on 2 vCPUs, BENCHMARKS.md). Under load, requests
// reach the process over several turns of the event loop; handing the group over at the first turn
// wrote groups of about half the requests in flight, and the second half paid a second sync.
// Waiting while each turn brings more made groups larger (measurements: 4,100 to 5,100 a second on
// the same machine). A lone request waits one turn: microseconds.

/** At most this many extra turns of the event loop are waited for (each must bring more items). */
export const GATHER_TURNS = 3;

export class GroupQueue<T> {
  readonly #max: number;
  readonly #write: (group: T[]) => Promise<void>;
  readonly #defer: (then: () => void) => void;
  #queue: T[] = [];
  #scheduled = false;
  #writing = false;

  /**
   * `write` answers every item of its group itself (it must not throw). `defer` runs a function at
   * the event loop's next turn (setImmediate; a test may step the turns itself).
   */
  constructor(
    max: number,
    write: (group: T[]) => Promise<void>,
    defer: (then: () => void) => void = setImmediate,
  ) {
    this.#max = max;
    this.#write = write;
    this.#defer = defer;
  }

  push(item: T): void {
    this.#queue.push(item);
    if (this.#scheduled || this.#writing) return;
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

  /** Writes groups one after the other until the queue is empty. */
  async #drain(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.slice(0, this.#max);
        this.#queue = this.#queue.slice(group.length);
        await this.#write(group);
      }
    } finally {
      this.#writing = false;
    }
  }
}
