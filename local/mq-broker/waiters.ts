/** A held long-poll request: `tryServe` answers it and returns true when it could take messages. */
export type Waiter = { tryServe(): boolean };

/**
 * Long polls waiting per topic. Whenever something may have become available on a topic (publish, commit, ack of an
 * ordered message, a due time) the waiters are retried oldest first, so the poll answers as soon as it can.
 */
export class Waiters {
  private readonly byTopic = new Map<string, Set<Waiter>>();

  add(key: string, waiter: Waiter): () => void {
    let waiters = this.byTopic.get(key);
    if (!waiters) {
      waiters = new Set();
      this.byTopic.set(key, waiters);
    }
    waiters.add(waiter);
    return () => this.remove(key, waiter);
  }

  wake(key: string): void {
    for (const waiter of [...(this.byTopic.get(key) ?? [])]) {
      if (waiter.tryServe()) this.remove(key, waiter);
    }
  }

  private remove(key: string, waiter: Waiter): void {
    const waiters = this.byTopic.get(key);
    waiters?.delete(waiter);
    if (waiters?.size === 0) this.byTopic.delete(key);
  }
}
