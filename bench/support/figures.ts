// The figures each benchmark hands to `npm run bench` (bench/run-all.ts): written as JSON to the file named by
// BENCH_RESULT_FILE when the orchestrator runs it, nothing when a benchmark runs alone.
import { writeFileSync } from 'node:fs';
import { spread, type Summary } from './stats';

/** One function: its zip and its cold start against a bare Node in the same run, beside the floor of its packages. */
export type FunctionFigure = {
  name: string;
  zipBytes: number;
  zipWithoutMapBytes: number;
  /** Median wall time of a fresh `node -e "require(handler)"`, and of `node -e 0`, in ms. */
  coldStartMs: number;
  bareNodeMs: number;
  ratio: number;
  /** The same for CPU time (user + system) the process used: less sensitive to a busy machine. */
  cpuRatio: number;
  goal: number;
  /** The bundle of only the packages it loads at start (same options), over the same bare Node. */
  floor: { packages: string[]; zipBytes: number; ratio: number; cpuRatio: number };
};

/** One kind of request of a flow, warm, as a client saw it. */
export type FlowFigure = {
  flow: string;
  kind: string;
  p50Ms: number;
  p99Ms: number;
  /** Sequential round trips the answer waited for, and all round trips (`6` or `5-6`), counted at the proxies. */
  criticalPath: number;
  roundTrips: string;
  /** The critical path the flow's code calls for, when the benchmark states it (bench/support/flow-bench.ts). */
  expectedCriticalPath?: number;
  /** The other kind's name and this kind's p50 over it, when the benchmark compares its kinds. */
  versus?: { kind: string; p50Ratio: number };
};

/** Any other figure: the cache levels, the broker, the cancellation lateness. */
export type OtherFigure = { benchmark: string; figure: string; value: string; comparison?: string };

export type Figures = { functions?: FunctionFigure[]; flows?: FlowFigure[]; figures?: OtherFigure[] };

export function publishFigures(figures: Figures): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (file) writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}

/**
 * The figures of a flow benchmark: per kind, its latency, its critical path and its round trips (`4`, or `4-5` when
 * requests differed), and the critical path its code calls for when given; every kind after the first is compared
 * with the first.
 */
export function flowFigures(
  flow: string,
  kinds: string[],
  latency: Record<string, Pick<Summary, 'p50' | 'p99'>>,
  shapes: Record<string, { critical: string[] }>,
  trips: Array<{ kind: string; calls: unknown[] }>,
  expectedCriticalPath?: Record<string, number>,
): FlowFigure[] {
  const [base] = kinds as [string];
  const p50 = (kind: string) => (latency[kind] as Summary).p50;
  return kinds.map((kind) => ({
    flow,
    kind,
    p50Ms: p50(kind),
    p99Ms: (latency[kind] as Summary).p99,
    criticalPath: shapes[kind]?.critical.length ?? NaN,
    roundTrips: spread(trips.filter((t) => t.kind === kind).map((t) => t.calls.length)),
    ...(expectedCriticalPath?.[kind] === undefined ? {} : { expectedCriticalPath: expectedCriticalPath[kind] }),
    ...(kind === base ? {} : { versus: { kind: base, p50Ratio: p50(kind) / p50(base) } }),
  }));
}
