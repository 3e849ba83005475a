// Group commit's gathering, shared by the writes that use it (site measurements, the collection
// endpoints): what is pushed in one turn of the event loop is handed over as one group, at most
// `max` at a time; while a group is being written, what arrives waits for the next one.
export class GroupQueue<T> {
  readonly #max: number;
  readonly #write: (group: T[]) => Promise<void>;
  #queue: T[] = [];
  #scheduled = false;
  #writing = false;

  /** `write` answers every item of its group itself (it must not throw). */
  constructor(max: number, write: (group: T[]) => Promise<void>) {
    this.#max = max;
    this.#write = write;
  }

  push(item: T): void {
    this.#queue.push(item);
    if (this.#scheduled || this.#writing) return;
    this.#scheduled = true;
    setImmediate(() => {
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
