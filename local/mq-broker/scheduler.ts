/** Node timers cannot wait longer than this (about 24.8 days); later entries re-arm when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Entry = { at: number; key: string };

/**
 * One timer for every future moment something becomes due on a topic: a delayed message, the end of an
 * invisibility, a check-back. When its moment comes, `onDue(topicKey)` runs (dead-lettering, waking long polls).
 */
export class Scheduler {
  private readonly heap: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  constructor(
    private readonly clock: () => number,
    private readonly onDue: (key: string) => void,
  ) {}

  at(time: number, key: string): void {
    this.push({ at: time, key });
    if (time < this.armedAt) this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = -Infinity;
  }

  private arm(): void {
    clearTimeout(this.timer);
    const next = this.heap[0];
    if (!next) {
      this.armedAt = Infinity;
      return;
    }
    this.armedAt = next.at;
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, next.at - this.clock())));
    this.timer.unref();
  }

  private fire(): void {
    const now = this.clock();
    const due = new Set<string>();
    while (this.heap[0] && this.heap[0].at <= now) {
      const entry = this.pop();
      if (entry) due.add(entry.key);
    }
    this.arm();
    for (const key of due) this.onDue(key);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = heap[parent];
      if (!up || up.at <= entry.at) break;
      heap[i] = up;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (!last || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      let smallest = i;
      let smallestAt = last.at;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        const entry = heap[child];
        if (entry && entry.at < smallestAt) {
          smallest = child;
          smallestAt = entry.at;
        }
      }
      if (smallest === i) break;
      heap[i] = heap[smallest] as Entry;
      i = smallest;
    }
    heap[i] = last;
    return top;
  }
}
