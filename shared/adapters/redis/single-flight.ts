/**
 * Collapses concurrent calls with the same key into one: while a load for `key` is running, later callers get the
 * same promise instead of starting another.
 */
export function singleFlight<T>(): (key: string, load: () => Promise<T>) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key, load) => {
    const existing = running.get(key);
    if (existing) return existing;
    const started = load().finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}
