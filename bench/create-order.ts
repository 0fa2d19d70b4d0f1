// POST /orders latency (p50, p99, mean) for orders without and with a coupon, end to end through the local API
// gateway, and the round trips on their critical path, counted by proxies in front of every dependency.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/create-order.ts [iterations]
//
// As in bench/login.ts, latency is timed through a gateway in this process that talks to the services directly, and
// round trips are counted through a second gateway, in a child process, whose dependencies are reached through
// counting proxies (bench/support/instrumented-gateway.ts). Every order is one unit of a product of the benchmark's
// own, placed by one of a few logged-in shoppers with a requestId of its own; a coupon order takes a coupon granted
// just for it.
import { cpus, loadavg } from 'node:os';
import Redis from 'ioredis';
import { withBenchStack } from './support/stack';
import { giveCoupon } from '../test/support/shop';
import { tripsOf, type Shape, type Timed, type Trips } from './support/critical-path';
import { allCalls, connectionCount, connectionDelta, throughProxies, type Proxies } from './support/dependencies';
import { flowFigures, publishFigures } from './support/figures';
import { spawnInstrumentedGateway } from './support/instrumented-gateway';
import { placeOrder, putBenchProduct, stockOf } from './support/orders';
import { printRoundTripReport, printTimeline } from './support/round-trip-report';
import { crossCheck, serverCounts } from './support/server-counts';
import { inBatches, logIn, requestJson, type Shopper } from './support/shoppers';
import { ms, summarize } from './support/stats';

const iterations = Number(process.argv[2] ?? 200);
const WARMUP = 20;
/** Orders of each kind whose round trips are counted (through the proxies). */
const COUNTED = 20;
const SHOPPERS = 10;
const PRODUCT = 'bench-latte';
/** What the issue asks of the critical path. */
const TARGET_ROUND_TRIPS = 3;
type Kind = 'plain' | 'coupon';
const KINDS: Kind[] = ['plain', 'coupon'];
type Order = Timed & { kind: Kind };

/** Fills each shopper's session into Redis (the first lookup of a session reads DynamoDB and caches it). */
async function touchSessions(apiUrl: string, shoppers: Shopper[]): Promise<void> {
  await Promise.all(shoppers.map((s) => requestJson(`${apiUrl}/cart`, { headers: { authorization: `Bearer ${s.token}` } })));
}

/**
 * `count` orders of each kind, alternating plain and coupon so that both see the same state of DynamoDB Local (tables
 * grow, the JVM warms up), one at a time, the shoppers taking turns. Coupons are granted beforehand, one per order.
 */
async function runOrders(apiUrl: string, shoppers: Shopper[], count: number): Promise<Order[]> {
  const shopperOf = (i: number) => shoppers[i % shoppers.length] as Shopper;
  const coupons = await inBatches(
    Array.from({ length: count }, (_, i) => i),
    20,
    (i) => giveCoupon(shopperOf(i).userId),
  );
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) {
    const { start, end } = await placeOrder(apiUrl, shopperOf(i), PRODUCT);
    orders.push({ kind: 'plain', start, end });
    const withCoupon = await placeOrder(apiUrl, shopperOf(i), PRODUCT, coupons[i]);
    orders.push({ kind: 'coupon', start: withCoupon.start, end: withCoupon.end });
  }
  return orders;
}

const durations = (orders: Order[], kind: Kind) => orders.filter((o) => o.kind === kind).map((o) => o.end - o.start);

const loadAverage = () => (loadavg()[0] as number).toFixed(1);

type Latency = Record<Kind, ReturnType<typeof summarize>>;

function printLatency(orders: Order[], load: string): Latency {
  console.log('POST /orders end to end through the local API gateway (real handler, HTTP on 127.0.0.1, measured by the client with fetch)');
  console.log(`${iterations} orders of each kind (one unit each, ${SHOPPERS} shoppers taking turns), alternating, after ${WARMUP} warm-up orders of each kind; no proxies in this path`);
  console.log('kind          p50 ms    p99 ms   mean ms');
  const stats = Object.fromEntries(KINDS.map((kind) => [kind, summarize(durations(orders, kind))])) as Latency;
  for (const kind of KINDS) console.log(`${kind.padEnd(10)} ${ms(stats[kind].p50)}  ${ms(stats[kind].p99)}  ${ms(stats[kind].mean)}`);
  const ratio = (key: 'p50' | 'p99' | 'mean') => (stats.coupon[key] / stats.plain[key]).toFixed(2);
  console.log(`coupon / plain: p50 ${ratio('p50')}x, p99 ${ratio('p99')}x, mean ${ratio('mean')}x`);
  console.log(`machine load (1-minute average, ${cpus().length} cores): ${load}`);
  return stats;
}

type Counted = {
  trips: Array<Trips<Order>>;
  cold: Trips<Order>;
  /** A shopper's first request: the session is not in Redis yet. */
  uncachedSession: Trips<Order>;
  connections: { cold: string; warmup: string; counted: string };
  checks: string[];
};

/** One order through the instrumented gateway, with the round trips it caused. */
async function countedOrder(apiUrl: string, proxies: Proxies, shopper: Shopper): Promise<Trips<Order>> {
  const { start, end } = await placeOrder(apiUrl, shopper, PRODUCT);
  return tripsOf<Order>({ kind: 'plain', start, end }, allCalls(proxies));
}

/**
 * Counts round trips through the instrumented gateway: one cold order, one order by a shopper whose session is not
 * cached yet, a warm-up, then COUNTED orders of each kind. A round trip belongs to the order it started during:
 * orders run one at a time and nothing else talks to the proxies.
 */
async function countRoundTrips(env: Record<string, string>, proxies: Proxies, timedApiUrl: string, shoppers: Shopper[]): Promise<Counted> {
  const gateway = await spawnInstrumentedGateway(throughProxies(proxies));
  // Our own connection for INFO commandstats, straight to redis-server, not through the proxy.
  const redis = new Redis(env.REDIS_URL as string, { lazyConnect: true });
  try {
    const atStart = connectionCount(proxies);
    const cold = await countedOrder(gateway.url, proxies, shoppers[0] as Shopper);
    const afterCold = connectionCount(proxies);
    // Logged in through the other gateway, so that its login is not among the proxies' round trips.
    const uncachedSession = await countedOrder(gateway.url, proxies, await logIn(timedApiUrl, env.WX_API_BASE_URL as string, 'counted-new-shopper'));
    await runOrders(gateway.url, shoppers, WARMUP);
    const afterWarmup = connectionCount(proxies);

    await redis.connect();
    const before = await serverCounts(env, redis);
    const orders = await runOrders(gateway.url, shoppers, COUNTED);
    const after = await serverCounts(env, redis);
    const calls = allCalls(proxies).filter((c) => c.start >= (orders[0] as Order).start);
    const trips = orders.map((o) => tripsOf(o, calls));
    const unattributed = calls.length - trips.reduce((n, t) => n + t.calls.length, 0);
    const late = trips.reduce((n, t) => n + t.calls.filter((c) => !(c.end <= t.end)).length, 0);
    return {
      trips,
      cold,
      uncachedSession,
      connections: { cold: connectionDelta(atStart, afterCold), warmup: connectionDelta(afterCold, afterWarmup), counted: connectionDelta(afterWarmup, connectionCount(proxies)) },
      checks: [...crossCheck(before, after, calls), `round trips outside any order: ${unattributed}; still running when the client got its answer: ${late}`],
    };
  } finally {
    redis.disconnect();
    await gateway.stop();
  }
}

function printRoundTrips({ trips, cold, uncachedSession, connections, checks }: Counted): Record<string, Shape> {
  const shapes = printRoundTripReport(trips, { noun: 'order', kinds: KINDS });
  console.log('');
  console.log(`Target: ${TARGET_ROUND_TRIPS} or fewer sequential round trips on the critical path. Measured: ${KINDS.map((kind) => `${kind} ${shapes[kind]?.critical.length}`).join(', ')}.`);
  console.log('');
  console.log('Cold container (fresh gateway process, its first request):');
  printTimeline('plain order', cold);
  console.log(`  new connections: cold order ${connections.cold}; warm-up ${connections.warmup}; counted orders ${connections.counted}`);
  console.log('');
  console.log("A shopper's first request after logging in (warm container; the session is not in Redis yet):");
  printTimeline('plain order', uncachedSession);
  console.log('');
  console.log('Checks:');
  for (const line of checks) console.log(`  ${line}`);
  const instrumented = (kind: Kind) => summarize(durations(trips, kind)).p50.toFixed(2);
  console.log(`  the counted orders, through the proxies, took p50 ${instrumented('plain')} ms (plain), ${instrumented('coupon')} ms (coupon): the latency figures above are without them`);
  return shapes;
}

async function main(): Promise<void> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive integer, not ${process.argv[2]}`);
  await withBenchStack({ LOG_LEVEL: 'SILENT' }, async ({ backing, proxies, gateway }) => {
    const wechatUrl = backing.env.WX_API_BASE_URL as string;
    const placed = 1 + 2 * (WARMUP + iterations) + 2 + 2 * (WARMUP + COUNTED);
    const stock = placed + 100;
    await putBenchProduct(gateway.url, backing.env.ADMIN_API_KEY as string, PRODUCT, stock);
    const shoppers = await inBatches(
      Array.from({ length: SHOPPERS }, (_, i) => `bench-shopper-${i}`),
      SHOPPERS,
      (user) => logIn(gateway.url, wechatUrl, user),
    );
    await touchSessions(gateway.url, shoppers);
    await placeOrder(gateway.url, shoppers[0] as Shopper, PRODUCT); // module init, connections
    await runOrders(gateway.url, shoppers, WARMUP); // JIT (ours and the JVM's)
    const loadAtStart = loadAverage();
    const timed = await runOrders(gateway.url, shoppers, iterations);
    const latency = printLatency(timed, `${loadAtStart} at the start, ${loadAverage()} at the end`);
    const counted = await countRoundTrips(backing.env, proxies, gateway.url, shoppers);
    const shapes = printRoundTrips(counted);
    const left = await stockOf(PRODUCT);
    console.log(`  stock: ${stock} at the start, ${left} at the end, ${placed} orders placed: ${stock - left === placed ? 'each took its unit once' : 'MISMATCH'}`);
    publishFigures({ flows: flowFigures('POST /orders', KINDS, latency, shapes, counted.trips) });
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
