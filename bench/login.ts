// POST /auth/login latency (p50, p99, mean) for first and returning logins, end to end through the local API gateway,
// and the round trips on its critical path, counted by proxies in front of every dependency.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/login.ts [iterations]
//
// Two gateways serve the same handlers. Latency is timed through one in this process that talks to the services
// directly, so that the figures carry no instrumentation. Round trips are counted through a second gateway, in a
// child process, whose dependencies are reached through counting proxies (bench/support/instrumented-gateway.ts).
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { localDefaults } from '../local/stack';
import { startBacking } from '../local/services/backing';
import { tripsOf, type Shape, type Trips } from './support/critical-path';
import { allCalls, closeProxies, connectionCount, connectionDelta, startProxies, throughProxies, type Proxies } from './support/dependencies';
import { flowFigures, publishFigures } from './support/figures';
import { spawnInstrumentedGateway } from './support/instrumented-gateway';
import { printRoundTripReport, printTimeline } from './support/round-trip-report';
import { crossCheck, serverCounts } from './support/server-counts';
import { newCode, newCodes, postJson } from './support/shoppers';
import { ms, summarize } from './support/stats';

const iterations = Number(process.argv[2] ?? 200);
const WARMUP = 20;
/** Logins of each kind whose round trips are counted (through the proxies). */
const COUNTED = 20;
type Kind = 'first' | 'returning';
const KINDS: Kind[] = ['first', 'returning'];

/** One login as a client sees it; fails unless it answers 200 and is of the expected kind. */
async function login(apiUrl: string, code: string, kind: Kind): Promise<{ start: number; end: number }> {
  const start = performance.now();
  const { status, json } = await postJson(`${apiUrl}/auth/login`, { code });
  const end = performance.now();
  if (status !== 200) throw new Error(`POST /auth/login answered ${status}: ${JSON.stringify(json)}`);
  if (json?.user?.isNew !== (kind === 'first')) throw new Error(`expected a ${kind} login, got isNew=${String(json?.user?.isNew)}`);
  return { start, end };
}

type Login = { kind: Kind; start: number; end: number };

/**
 * `count` logins of each kind, alternating first and returning so that both see the same state of DynamoDB Local
 * (tables grow, the JVM warms up) and their ratio is fair. First logins use a fresh user each, returning logins one
 * user (`returningUser`, already registered) with a fresh code each.
 */
async function runLogins(apiUrl: string, wechatUrl: string, tag: string, count: number, returningUser: string): Promise<Login[]> {
  const users = Array.from({ length: count }, (_, i) => `${tag}-first-${i}`);
  const firstCodes = await newCodes(wechatUrl, users);
  const returningCodes = await newCodes(wechatUrl, users.map(() => returningUser));
  const logins: Login[] = [];
  for (let i = 0; i < count; i++) {
    logins.push({ kind: 'first', ...(await login(apiUrl, firstCodes[i] as string, 'first')) });
    logins.push({ kind: 'returning', ...(await login(apiUrl, returningCodes[i] as string, 'returning')) });
  }
  return logins;
}

// ------------------------------------------------------------------------------------------------------- printing

const durations = (logins: Login[], kind: Kind) => logins.filter((l) => l.kind === kind).map((l) => l.end - l.start);

type Latency = Record<Kind, ReturnType<typeof summarize>>;

function printLatency(logins: Login[]): Latency {
  console.log(`POST /auth/login end to end through the local API gateway (real handler, HTTP on 127.0.0.1, measured by the client with fetch)`);
  console.log(`${iterations} logins of each kind, alternating, after ${WARMUP} warm-up logins of each kind; no proxies in this path`);
  console.log('kind          p50 ms    p99 ms   mean ms');
  const stats = Object.fromEntries(KINDS.map((kind) => [kind, summarize(durations(logins, kind))])) as Latency;
  for (const kind of KINDS) console.log(`${kind.padEnd(10)} ${ms(stats[kind].p50)}  ${ms(stats[kind].p99)}  ${ms(stats[kind].mean)}`);
  const ratio = (key: 'p50' | 'p99' | 'mean') => (stats.returning[key] / stats.first[key]).toFixed(2);
  console.log(`returning / first: p50 ${ratio('p50')}x, p99 ${ratio('p99')}x, mean ${ratio('mean')}x`);
  return stats;
}

// ------------------------------------------------------------------------------------------------------- the phases

type Counted = {
  trips: Array<Trips<Login>>;
  cold: Trips<Login>;
  /** New connections per system, per stage (`DynamoDB 1, ...`). */
  connections: { cold: string; warmup: string; counted: string };
  checks: string[];
};

/**
 * Counts round trips through the instrumented gateway: one cold login (it also registers the returning user), a
 * warm-up as long as the timed one, then COUNTED logins of each kind. A round trip belongs to the login it started
 * during: logins run one at a time and nothing else talks to the proxies.
 */
async function countRoundTrips(env: Record<string, string>, proxies: Proxies): Promise<Counted> {
  const gateway = await spawnInstrumentedGateway(throughProxies(proxies));
  // Our own connection for INFO commandstats, straight to redis-server, not through the proxy.
  const redis = new Redis(env.REDIS_URL as string, { lazyConnect: true });
  try {
    const wechatUrl = env.WX_API_BASE_URL as string;
    const atStart = connectionCount(proxies);
    const cold = tripsOf<Login>({ kind: 'first', ...(await login(gateway.url, await newCode(wechatUrl, 'counted-returning'), 'first')) }, allCalls(proxies));
    const afterCold = connectionCount(proxies);
    await runLogins(gateway.url, wechatUrl, 'counted-warmup', WARMUP, 'counted-returning');
    const afterWarmup = connectionCount(proxies);

    await redis.connect();
    const before = await serverCounts(env, redis);
    const logins = await runLogins(gateway.url, wechatUrl, 'counted', COUNTED, 'counted-returning');
    const after = await serverCounts(env, redis);
    const calls = allCalls(proxies).filter((c) => c.start >= (logins[0] as Login).start);
    const trips = logins.map((l) => tripsOf(l, calls));
    const unattributed = calls.length - trips.reduce((n, t) => n + t.calls.length, 0);
    const late = trips.reduce((n, t) => n + t.calls.filter((c) => !(c.end <= t.end)).length, 0);
    return {
      trips,
      cold,
      connections: { cold: connectionDelta(atStart, afterCold), warmup: connectionDelta(afterCold, afterWarmup), counted: connectionDelta(afterWarmup, connectionCount(proxies)) },
      checks: [...crossCheck(before, after, calls), `round trips outside any login: ${unattributed}; still running when the client got its answer: ${late}`],
    };
  } finally {
    redis.disconnect();
    await gateway.stop();
  }
}

function printRoundTrips({ trips, cold, connections, checks }: Counted): Record<string, Shape> {
  const shapes = printRoundTripReport(trips, { noun: 'login', kinds: KINDS });
  console.log('');
  console.log('Cold container (fresh gateway process, its first request):');
  printTimeline('first login', cold);
  console.log(`  new connections: cold login ${connections.cold}; warm-up ${connections.warmup}; counted logins ${connections.counted}`);
  console.log('');
  console.log('Checks:');
  for (const line of checks) console.log(`  ${line}`);
  const instrumented = (kind: Kind) => summarize(durations(trips, kind)).p50.toFixed(2);
  console.log(`  the counted logins, through the proxies, took p50 ${instrumented('first')} ms (first), ${instrumented('returning')} ms (returning): the latency figures above are without them`);
  return shapes;
}

/** Times logins through a gateway in this process that reaches the services directly. */
async function timeLogins(env: Record<string, string>): Promise<Latency> {
  const { startGateway } = await import('../local/gateway/server');
  const gateway = await startGateway(0);
  try {
    const wechatUrl = env.WX_API_BASE_URL as string;
    await login(gateway.url, await newCode(wechatUrl, 'timed-returning'), 'first');
    await runLogins(gateway.url, wechatUrl, 'timed-warmup', WARMUP, 'timed-returning'); // module init, connections, JIT (ours and the JVM's)
    const logins = await runLogins(gateway.url, wechatUrl, 'timed', iterations, 'timed-returning');
    return printLatency(logins);
  } finally {
    await gateway.close();
    const { redis } = await import('../shared/adapters/redis/client');
    redis.disconnect();
    const { dynamo } = await import('../shared/adapters/dynamodb/client');
    dynamo().destroy();
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive integer, not ${process.argv[2]}`);
  Object.assign(process.env, localDefaults, { LOG_LEVEL: 'SILENT' });
  const backing = await startBacking({ quiet: true });
  let proxies: Proxies | undefined;
  try {
    Object.assign(process.env, backing.env);
    proxies = await startProxies(backing.env);
    const latency = await timeLogins(backing.env);
    const counted = await countRoundTrips(backing.env, proxies);
    publishFigures({ flows: flowFigures('POST /auth/login', KINDS, latency, printRoundTrips(counted), counted.trips) });
  } finally {
    await closeProxies(proxies);
    await backing.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
