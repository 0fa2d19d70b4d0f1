/** Timers the stand-in owns, all cancelled by `close()` so that a stopped stand-in sends nothing more. */
export type Scheduler = { later(delayMs: number, run: () => void): void; close(): void; readonly closed: boolean };

export function createScheduler(): Scheduler {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  return {
    later(delayMs, run) {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, delayMs);
      timers.add(timer);
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    get closed() {
      return closed;
    },
  };
}
