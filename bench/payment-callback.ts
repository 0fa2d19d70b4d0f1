// POST /wxpay/notify, WeChat Pay's payment notification: latency (p50, p99, mean) of a first delivery (the order turns
// PAID) and of a repeat (the same notification again, answered from the Redis mark), end to end through the local API
// gateway, and the round trips on their critical path, counted by proxies in front of every dependency.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/payment-callback.ts [iterations]
//
// As in bench/login.ts, latency is timed through a gateway in this process that talks to the services directly, and
// round trips are counted through a second gateway, in a child process, whose dependencies are reached through
// counting proxies. The notifications are genuine: each order is placed through the API, its trade opened and paid on
// the WeChat stand-in, which signs and encrypts the notification as WeChat Pay does; it is captured
// (bench/support/notifications.ts) and its very bytes delivered to the webhook, so that only the webhook is timed.
import './support/silent-logs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { withBenchStack } from './support/stack';
import { getItem, scanWhere } from '../test/support/dynamo';
import { tripsOf, type Shape, type Timed, type Trips } from './support/critical-path';
import { allCalls, connectionCount, connectionDelta, throughProxies, type Proxies } from './support/dependencies';
import { flowFigures, publishFigures } from './support/figures';
import { spawnInstrumentedGateway } from './support/instrumented-gateway';
import { captureNotifications, type CapturedNotification } from './support/notifications';
import { placeOrder, putBenchProduct, type PlacedOrder } from './support/orders';
import { printRoundTripReport, printTimeline } from './support/round-trip-report';
import { crossCheck, serverCounts } from './support/server-counts';
import { inBatches, logIn, type Shopper } from './support/shoppers';
import { ms, summarize } from './support/stats';

const iterations = Number(process.argv[2] ?? 200);
const WARMUP = 20;
/** Callbacks of each kind whose round trips are counted (through the proxies). */
const COUNTED = 20;
const SHOPPERS = 10;
const PRODUCT = 'bench-pay-latte';
/** What issue 12 aims at for the critical path. */
const TARGET_ROUND_TRIPS = 3;
type Kind = 'first' | 'repeat';
const KINDS: Kind[] = ['first', 'repeat'];
type Callback = Timed & { kind: Kind };

/** Delivers a notification as WeChat Pay does; fails unless the webhook accepts it with 204. */
async function deliver(apiUrl: string, notification: CapturedNotification, kind: Kind): Promise<Callback> {
  const start = performance.now();
  const response = await fetch(`${apiUrl}/wxpay/notify`, { method: 'POST', headers: notification.headers, body: notification.body });
  const text = await response.text();
  const end = performance.now();
  if (response.status !== 204) throw new Error(`POST /wxpay/notify answered ${response.status} to a ${kind} delivery: ${text}`);
  return { kind, start, end };
}

type Prepared = { orders: PlacedOrder[]; notifications: CapturedNotification[] };

/** `count` unpaid orders placed through `orderApi` (the shoppers taking turns) and a captured notification for each. */
async function prepare(orderApi: string, shoppers: Shopper[], count: number): Promise<Prepared> {
  const shopperOf = (i: number) => shoppers[i % shoppers.length] as Shopper;
  const placed = await inBatches(
    Array.from({ length: count }, (_, i) => i),
    SHOPPERS,
    async (i) => ({ order: await placeOrder(orderApi, shopperOf(i), PRODUCT), shopper: shopperOf(i) }),
  );
  const payer = new Map(placed.map(({ order, shopper }) => [order.id, shopper.openid]));
  const orders = placed.map((p) => p.order);
  return { orders, notifications: await captureNotifications(orders, (order) => payer.get(order.id) as string) };
}

/** Each notification delivered once (first) and again at once (repeat), one at a time: both kinds see the same state. */
async function deliverAll(apiUrl: string, notifications: CapturedNotification[]): Promise<Callback[]> {
  const callbacks: Callback[] = [];
  for (const notification of notifications) {
    callbacks.push(await deliver(apiUrl, notification, 'first'));
    callbacks.push(await deliver(apiUrl, notification, 'repeat'));
  }
  return callbacks;
}

const durations = (callbacks: Callback[], kind: Kind) => callbacks.filter((c) => c.kind === kind).map((c) => c.end - c.start);

type Latency = Record<Kind, ReturnType<typeof summarize>>;

function printLatency(callbacks: Callback[], load: string): Latency {
  console.log('POST /wxpay/notify end to end through the local API gateway (real handler, HTTP on 127.0.0.1, measured by the client with fetch)');
  console.log(`${iterations} genuine notifications, each delivered twice (first: WAIT_PAY -> PAID; repeat: the same bytes again), after ${WARMUP} warm-up pairs; no proxies in this path`);
  console.log('kind          p50 ms    p99 ms   mean ms');
  const stats = Object.fromEntries(KINDS.map((kind) => [kind, summarize(durations(callbacks, kind))])) as Latency;
  for (const kind of KINDS) console.log(`${kind.padEnd(10)} ${ms(stats[kind].p50)}  ${ms(stats[kind].p99)}  ${ms(stats[kind].mean)}`);
  const ratio = (key: 'p50' | 'p99' | 'mean') => (stats.repeat[key] / stats.first[key]).toFixed(2);
  console.log(`repeat / first: p50 ${ratio('p50')}x, p99 ${ratio('p99')}x, mean ${ratio('mean')}x`);
  console.log(`machine load (1-minute average, ${cpus().length} cores): ${load}`);
  return stats;
}

/** Every order PAID, with exactly one payment record, however often its notification came. */
async function checkPaidOnce(orders: PlacedOrder[]): Promise<string> {
  const statuses = await inBatches(orders, 20, async (order) => (await getItem('orders', { orderId: order.id }))?.status as string);
  const ids = new Set(orders.map((o) => o.id));
  const payments = await scanWhere('payments', (item) => ids.has(item.orderId as string));
  const notPaid = statuses.filter((status) => status !== 'PAID').length;
  const verdict = notPaid === 0 && payments.length === orders.length ? 'each paid once' : 'MISMATCH';
  return `orders delivered twice: ${orders.length}; not PAID: ${notPaid}; payment records: ${payments.length}: ${verdict}`;
}

type Counted = {
  trips: Array<Trips<Callback>>;
  cold: Trips<Callback>;
  connections: { cold: string; warmup: string; counted: string };
  checks: string[];
};

/**
 * Counts round trips through the instrumented gateway: one cold pair, a warm-up, then COUNTED pairs. Orders are placed
 * and notifications captured through the timed gateway beforehand, so that only deliveries cross the proxies; a round
 * trip belongs to the callback it started during (callbacks run one at a time, nothing else talks to the proxies).
 */
async function countRoundTrips(env: Record<string, string>, proxies: Proxies, orderApi: string, shoppers: Shopper[]): Promise<Counted> {
  const gateway = await spawnInstrumentedGateway(throughProxies(proxies));
  // Our own connection for INFO commandstats, straight to redis-server, not through the proxy.
  const redis = new Redis(env.REDIS_URL as string, { lazyConnect: true });
  try {
    const coldOne = await prepare(orderApi, shoppers, 1);
    const atStart = connectionCount(proxies);
    const [coldFirst] = await deliverAll(gateway.url, coldOne.notifications);
    const cold = tripsOf(coldFirst as Callback, allCalls(proxies));
    const afterCold = connectionCount(proxies);
    await deliverAll(gateway.url, (await prepare(orderApi, shoppers, WARMUP)).notifications);
    const afterWarmup = connectionCount(proxies);

    const { notifications } = await prepare(orderApi, shoppers, COUNTED);
    await redis.connect();
    const before = await serverCounts(env, redis);
    const callbacks = await deliverAll(gateway.url, notifications);
    const after = await serverCounts(env, redis);
    const calls = allCalls(proxies).filter((c) => c.start >= (callbacks[0] as Callback).start);
    const trips = callbacks.map((c) => tripsOf(c, calls));
    const unattributed = calls.length - trips.reduce((n, t) => n + t.calls.length, 0);
    const late = trips.reduce((n, t) => n + t.calls.filter((c) => !(c.end <= t.end)).length, 0);
    return {
      trips,
      cold,
      connections: { cold: connectionDelta(atStart, afterCold), warmup: connectionDelta(afterCold, afterWarmup), counted: connectionDelta(afterWarmup, connectionCount(proxies)) },
      checks: [...crossCheck(before, after, calls), `round trips outside any callback: ${unattributed}; still running when WeChat Pay got its answer: ${late}`],
    };
  } finally {
    redis.disconnect();
    await gateway.stop();
  }
}

function printRoundTrips({ trips, cold, connections, checks }: Counted): Record<string, Shape> {
  const shapes = printRoundTripReport(trips, { noun: 'callback', kinds: KINDS });
  console.log('');
  console.log(`Target (issue 12): ${TARGET_ROUND_TRIPS} or fewer sequential round trips on the critical path. Measured: ${KINDS.map((kind) => `${kind} ${shapes[kind]?.critical.length}`).join(', ')}.`);
  console.log('');
  console.log('Cold container (fresh gateway process, its first request):');
  printTimeline('first callback', cold);
  console.log(`  new connections: cold callback ${connections.cold}; warm-up ${connections.warmup}; counted callbacks ${connections.counted}`);
  console.log('');
  console.log('Checks:');
  for (const line of checks) console.log(`  ${line}`);
  const instrumented = (kind: Kind) => summarize(durations(trips, kind)).p50.toFixed(2);
  console.log(`  the counted callbacks, through the proxies, took p50 ${instrumented('first')} ms (first), ${instrumented('repeat')} ms (repeat): the latency figures above are without them`);
  return shapes;
}

async function main(): Promise<void> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive integer, not ${process.argv[2]}`);
  await withBenchStack({}, async ({ backing, proxies, gateway }) => {
    // The benchmark captures notifications instead of receiving them.
    const wechatUrl = backing.env.WX_API_BASE_URL as string;
    const orders = 1 + WARMUP + iterations + 1 + WARMUP + COUNTED;
    await putBenchProduct(gateway.url, backing.env.ADMIN_API_KEY as string, PRODUCT, orders + 100);
    const shoppers = await inBatches(
      Array.from({ length: SHOPPERS }, (_, i) => `bench-payer-${i}`),
      SHOPPERS,
      (user) => logIn(gateway.url, wechatUrl, user),
    );
    await deliverAll(gateway.url, (await prepare(gateway.url, shoppers, 1)).notifications); // module init, connections
    await deliverAll(gateway.url, (await prepare(gateway.url, shoppers, WARMUP)).notifications); // JIT (ours and the JVM's)
    const timed = await prepare(gateway.url, shoppers, iterations);
    const loadAtStart = (loadavg()[0] as number).toFixed(1);
    const callbacks = await deliverAll(gateway.url, timed.notifications);
    const latency = printLatency(callbacks, `${loadAtStart} at the start, ${(loadavg()[0] as number).toFixed(1)} at the end`);
    const counted = await countRoundTrips(backing.env, proxies, gateway.url, shoppers);
    const shapes = printRoundTrips(counted);
    console.log(`  ${await checkPaidOnce(timed.orders)}`);
    publishFigures({ flows: flowFigures('POST /wxpay/notify', KINDS, latency, shapes, counted.trips) });
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
