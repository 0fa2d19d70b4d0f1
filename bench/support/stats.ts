// Small statistics shared by the benchmarks.

export type Summary = { p50: number; p95: number; p99: number; max: number; mean: number };

/** Nearest-rank percentiles (the sample at floor(q * n)), so that every figure is one that was measured. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] as number, mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** The most frequent value and how many times it occurred. */
export function mode<T>(values: T[], key: (value: T) => string): { value: T; count: number } {
  const counts = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    const entry = counts.get(key(value)) ?? { value, count: 0 };
    entry.count++;
    counts.set(key(value), entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0] as { value: T; count: number };
}

/** `3` when every sample agreed, else `2-4`. */
export function spread(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}-${high}`;
}

/** Milliseconds in a column 8 wide. */
export const ms = (value: number) => value.toFixed(2).padStart(8);
