// One flow benchmark in the shape of create-order.ts and payment-callback.ts, for the flows whose requests need orders
// in a given state first (unpaid, prepaid, paid, refunding): the benchmark names its kinds of request, how to prepare
// the items they act on and how to send each; this runs the rest. Latency is timed through a gateway in this process
// that talks to the services directly; round trips are counted through a second gateway, in a child process, whose
// dependencies are reached through counting proxies (instrumented-gateway.ts). Items are always prepared through the
// timed gateway, so that only the measured requests cross the proxies.
//
// Unlike the first flow benchmarks, the counted requests wait for the proxies to fall quiet after each one (every
// round trip ended, none new for QUIET_MS), and a request owns every round trip that started from when it was sent
// until the next one was: a write left running in the background after the answer (an outbox mark) is counted with
// the request that caused it, never with the next one, and is off the critical path (on a machine busy enough to hold
// a background write back for QUIET_MS, it may still land with the next request: the report's shapes then say that
// some requests made other round trips). Timed requests run back to back.
import './silent-logs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { withBenchStack } from './stack';
import type { Shape, Timed, Trips } from './critical-path';
import type { ProxiedCall } from './counting-proxy';
import { allCalls, connectionCount, connectionDelta, throughProxies, type Proxies } from './dependencies';
import { flowFigures, publishFigures } from './figures';
import { spawnInstrumentedGateway } from './instrumented-gateway';
import { putBenchProduct } from './orders';
import { printRoundTripReport, printTimeline } from './round-trip-report';
import { crossCheck, serverCounts } from './server-counts';
import { inBatches, logIn, type Shopper } from './shoppers';
import { ms, summarize, type Summary } from './stats';

const WARMUP = 20;
/** Items whose requests' round trips are counted (through the proxies). */
const COUNTED = 20;
const SHOPPERS = 10;
/**
 * How long the proxies must have seen nothing before the next counted request is sent: a background write starts a
 * few ms after the answer on a quiet machine, later on a busy one (2 shared cores).
 */
const QUIET_MS = 100;

/** What a benchmark's items are prepared with: the services, the timed gateway, logged-in shoppers, its product. */
export type FlowContext = { env: Record<string, string>; api: string; adminKey: string; shoppers: Shopper[]; product: string; stockAtStart: number };

/** A shopper for the i-th item: they take turns. */
export const shopperOf = (ctx: FlowContext, i: number) => ctx.shoppers[i % ctx.shoppers.length] as Shopper;

/**
 * What the flow's code makes a request of a kind do, round trip by round trip, named as the proxies name them.
 * `critical`: the round trips the answer must wait for, in order; a list at a position is "whichever of these ends
 * last" (parallel round trips). `others`: the rest, in parallel or left running after the answer.
 */
export type Expected = { critical: Array<string | string[]>; others: string[]; source: string };

export type FlowSpec<Item> = {
  /** `POST /orders/{id}/pay`, as the report's flow table names it. */
  flow: string;
  /** One request: `payment`, `callback`. */
  noun: string;
  /** The kinds of request sent for each item, in this order (`first`, `repeat`). */
  kinds: string[];
  /** The latency header's account of the items: `orders, each asked to pay twice (first: ...; repeat: ...)`. */
  items: string;
  product: string;
  shopperPrefix: string;
  /** `count` items, prepared through `ctx.api` (the timed gateway), never through the proxies. */
  prepare(ctx: FlowContext, count: number): Promise<Item[]>;
  /** Sends one request of `kind` for `item` to `api` and reads the whole answer; throws unless it is the expected one. */
  send(ctx: FlowContext, api: string, kind: string, item: Item): Promise<void>;
  expected: Record<string, Expected>;
  /** After the counting: what the timed items should have come to (stock, statuses, records). */
  checks?(ctx: FlowContext, timed: Item[]): Promise<string[]>;
};

/** Every item's requests, one at a time, kinds in order; `pause` after each one (the counted phase waits for quiet). */
async function sendAll<Item>(spec: FlowSpec<Item>, ctx: FlowContext, api: string, items: Item[], pause?: () => Promise<void>): Promise<Timed[]> {
  const requests: Timed[] = [];
  for (const item of items) {
    for (const kind of spec.kinds) {
      const start = performance.now();
      await spec.send(ctx, api, kind, item);
      requests.push({ kind, start, end: performance.now() });
      if (pause) await pause();
    }
  }
  return requests;
}

/** Resolves once every round trip the proxies saw has ended and none has started or ended for QUIET_MS (from now). */
async function quiet(proxies: Proxies, timeoutMs = 10_000): Promise<void> {
  const begun = performance.now();
  const deadline = begun + timeoutMs;
  for (;;) {
    let last = begun;
    let running = false;
    for (const call of allCalls(proxies)) {
      if (Number.isNaN(call.end)) running = true;
      else last = Math.max(last, call.start, call.end);
    }
    if (!running && performance.now() - last >= QUIET_MS) return;
    if (performance.now() > deadline) throw new Error(`the proxies did not fall quiet within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Each request with the round trips that started from when it was sent until the next one was. */
function owned(requests: Timed[], calls: ProxiedCall[]): Trips[] {
  return requests.map((request, i) => {
    const until = requests[i + 1]?.start ?? Infinity;
    return { ...request, calls: calls.filter((c) => c.start >= request.start && c.start < until) };
  });
}

type Latency = Record<string, Summary>;
const durations = (requests: Timed[], kind: string) => requests.filter((r) => r.kind === kind).map((r) => r.end - r.start);
const loadAverage = () => (loadavg()[0] as number).toFixed(1);

function printLatency<Item>(spec: FlowSpec<Item>, requests: Timed[], iterations: number, load: string): Latency {
  console.log(`${spec.flow} end to end through the local API gateway (real handler, HTTP on 127.0.0.1, measured by the client with fetch)`);
  console.log(`${iterations} ${spec.items}, after ${WARMUP} warm-up ones; no proxies in this path`);
  console.log(`${'kind'.padEnd(10)}    p50 ms    p99 ms   mean ms`);
  const stats = Object.fromEntries(spec.kinds.map((kind) => [kind, summarize(durations(requests, kind))])) as Latency;
  const of = (kind: string) => stats[kind] as Summary;
  for (const kind of spec.kinds) console.log(`${kind.padEnd(10)} ${ms(of(kind).p50)}  ${ms(of(kind).p99)}  ${ms(of(kind).mean)}`);
  const [base, ...others] = spec.kinds as [string, ...string[]];
  for (const kind of others) {
    const ratio = (key: 'p50' | 'p99' | 'mean') => (of(kind)[key] / of(base)[key]).toFixed(2);
    console.log(`${kind} / ${base}: p50 ${ratio('p50')}x, p99 ${ratio('p99')}x, mean ${ratio('mean')}x`);
  }
  console.log(`machine load (1-minute average, ${cpus().length} cores): ${load}`);
  return stats;
}

type Counted = { trips: Trips[]; cold: Trips[]; connections: { cold: string; warmup: string; counted: string }; checks: string[] };

/** One cold item (a fresh gateway process), a warm-up, then COUNTED items, through the instrumented gateway. */
async function countRoundTrips<Item>(spec: FlowSpec<Item>, ctx: FlowContext, proxies: Proxies): Promise<Counted> {
  const gateway = await spawnInstrumentedGateway(throughProxies(proxies));
  // Our own connection for INFO commandstats, straight to redis-server, not through the proxy.
  const redis = new Redis(ctx.env.REDIS_URL as string, { lazyConnect: true });
  const pause = () => quiet(proxies);
  try {
    const coldItems = await spec.prepare(ctx, 1);
    const atStart = connectionCount(proxies);
    const coldRequests = await sendAll(spec, ctx, gateway.url, coldItems, pause);
    const cold = owned(coldRequests, allCalls(proxies));
    const afterCold = connectionCount(proxies);
    await sendAll(spec, ctx, gateway.url, await spec.prepare(ctx, WARMUP), pause);
    const afterWarmup = connectionCount(proxies);

    const items = await spec.prepare(ctx, COUNTED);
    await redis.connect();
    const before = await serverCounts(ctx.env, redis);
    const requests = await sendAll(spec, ctx, gateway.url, items, pause);
    const after = await serverCounts(ctx.env, redis);
    const calls = allCalls(proxies).filter((c) => c.start >= (requests[0] as Timed).start);
    const trips = owned(requests, calls);
    const late = trips.reduce((n, t) => n + t.calls.filter((c) => !(c.end <= t.end)).length, 0);
    return {
      trips,
      cold,
      connections: { cold: connectionDelta(atStart, afterCold), warmup: connectionDelta(afterCold, afterWarmup), counted: connectionDelta(afterWarmup, connectionCount(proxies)) },
      checks: [...crossCheck(before, after, calls), `round trips left running after the client had its answer (counted with their request, off the critical path): ${late}`],
    };
  } finally {
    redis.disconnect();
    await gateway.stop();
  }
}

const bare = (name: string) => name.replace(/#\d+$/, '');
const signature = (names: string[]) => names.map(bare).sort().join('\n');

/** What is in `a` and not in `b`, as multisets. */
function minus(a: string[], b: string[]): string[] {
  const rest = [...b];
  return a.filter((name) => {
    const at = rest.indexOf(name);
    if (at < 0) return true;
    rest.splice(at, 1);
    return false;
  });
}

/** The measured critical path and round trips against what the code calls for; `OVER` where more were measured. */
function compareWithCode(kind: string, noun: string, expected: Expected, shape: Shape): string[] {
  const chain = expected.critical.map((step) => (Array.isArray(step) ? `(${step.join(' | ')})` : step)).join(' -> ');
  const alternatives = expected.critical.flatMap((step) => (Array.isArray(step) ? step : [step]));
  // Parallel alternatives are all made: whichever ends last is on the critical path.
  const wanted = [...alternatives, ...expected.others];
  const expectedAll = wanted.length;
  const measured = [...shape.parents.keys()].map(bare);
  const extra = minus(measured, wanted);
  const missing = minus(wanted, measured);
  const length = shape.critical.length;
  const offChain = shape.critical.map(bare).filter((name, i) => {
    const step = expected.critical[i];
    return step === undefined || (Array.isArray(step) ? !step.includes(name) : step !== name);
  });
  const verdict =
    length > expected.critical.length
      ? `OVER: ${length} on the critical path, ${length - expected.critical.length} more than the code needs`
      : length < expected.critical.length
        ? `${length} on the critical path, fewer than expected`
        : `${length} on the critical path, as expected`;
  // The shape is that of the requests that agreed (the most common set of round trips); the others are listed apart.
  const all = measured.length;
  const totalVerdict = all > expectedAll ? `OVER: ${all} round trips in all, ${all - expectedAll} more than the code makes` : `${all} round trips in all (the code makes ${expectedAll})`;
  return [
    `${kind} ${noun} (${expected.source}):`,
    `  expected critical path, ${expected.critical.length}: ${chain}`,
    `  expected besides: ${expected.others.join(', ') || 'nothing'}`,
    `  measured: ${verdict}; ${totalVerdict}`,
    ...(offChain.length ? [`  measured critical path differs from the expected one at: ${offChain.join(', ')}`] : []),
    ...(extra.length ? [`  round trips the code was not expected to make: ${extra.join(', ')}`] : []),
    ...(missing.length ? [`  expected round trips not seen: ${missing.join(', ')}`] : []),
  ];
}

function printRoundTrips<Item>(spec: FlowSpec<Item>, { trips, cold, connections, checks }: Counted): Record<string, Shape> {
  const shapes = printRoundTripReport(trips, { noun: spec.noun, kinds: spec.kinds });
  console.log('');
  console.log("Expected from the flow's code, against the critical path and round trips measured above:");
  for (const kind of spec.kinds) for (const line of compareWithCode(kind, spec.noun, spec.expected[kind] as Expected, shapes[kind] as Shape)) console.log(`  ${line}`);
  const odd = spec.kinds.flatMap((kind) => {
    const usual = signature([...(shapes[kind] as Shape).parents.keys()]);
    return trips.filter((t) => t.kind === kind && signature(t.calls.map((c) => c.op)) !== usual);
  });
  if (odd.length) {
    console.log('');
    console.log(`The ${odd.length} counted ${spec.noun}s whose round trips differ from the usual set of their kind, left out of the shapes above (most`);
    console.log('often a background write that a busy machine held back past the quiet period, so that it landed with the next request):');
    for (const trip of odd.slice(0, 4)) printTimeline(`${trip.kind} ${spec.noun}`, trip);
  }
  console.log('');
  console.log(`Cold container (fresh gateway process, its first ${spec.noun}${cold.length > 1 ? ` and what followed for the same item` : ''}):`);
  for (const trip of cold) printTimeline(`${trip.kind} ${spec.noun}`, trip);
  console.log(`  new connections: cold ${spec.noun} ${connections.cold}; warm-up ${connections.warmup}; counted ${spec.noun}s ${connections.counted}`);
  console.log('');
  console.log('Checks:');
  for (const line of checks) console.log(`  ${line}`);
  const instrumented = spec.kinds.map((kind) => `${summarize(durations(trips, kind)).p50.toFixed(2)} ms (${kind})`).join(', ');
  console.log(`  the counted ${spec.noun}s, through the proxies, took p50 ${instrumented}: the latency figures above are without them`);
  return shapes;
}

/** Runs the benchmark: `npx tsx bench/<name>.ts [iterations]`; exits 1 on any failure. */
export function runFlowBenchmark<Item>(spec: FlowSpec<Item>): void {
  const iterations = Number(process.argv[2] ?? 200);
  main(spec, iterations).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

async function main<Item>(spec: FlowSpec<Item>, iterations: number): Promise<void> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive integer, not ${process.argv[2]}`);
  await withBenchStack({}, async ({ backing, proxies, gateway }) => {
    const adminKey = backing.env.ADMIN_API_KEY as string;
    const items = 1 + WARMUP + iterations + 1 + WARMUP + COUNTED;
    const stockAtStart = items + 100;
    await putBenchProduct(gateway.url, adminKey, spec.product, stockAtStart);
    const shoppers = await inBatches(
      Array.from({ length: SHOPPERS }, (_, i) => `${spec.shopperPrefix}-${i}`),
      SHOPPERS,
      (user) => logIn(gateway.url, backing.env.WX_API_BASE_URL as string, user),
    );
    const ctx: FlowContext = { env: backing.env, api: gateway.url, adminKey, shoppers, product: spec.product, stockAtStart };
    await sendAll(spec, ctx, gateway.url, await spec.prepare(ctx, 1)); // module init, connections
    await sendAll(spec, ctx, gateway.url, await spec.prepare(ctx, WARMUP)); // JIT (ours and the JVM's)
    const timed = await spec.prepare(ctx, iterations);
    const loadAtStart = loadAverage();
    const requests = await sendAll(spec, ctx, gateway.url, timed);
    const latency = printLatency(spec, requests, iterations, `${loadAtStart} at the start, ${loadAverage()} at the end`);
    const counted = await countRoundTrips(spec, ctx, proxies);
    const shapes = printRoundTrips(spec, counted);
    for (const line of (await spec.checks?.(ctx, timed)) ?? []) console.log(`  ${line}`);
    const expected = Object.fromEntries(spec.kinds.map((kind) => [kind, (spec.expected[kind] as Expected).critical.length]));
    publishFigures({ flows: flowFigures(spec.flow, spec.kinds, latency, shapes, counted.trips, expected) });
  });
}
