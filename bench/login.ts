// POST /auth/login latency (p50, p99, mean) for first and returning logins, end to end through the local API gateway,
// and the round trips on its critical path, counted by proxies in front of every dependency.
// Starts its own backing services (DynamoDB Local, redis-server, MQ broker, WeChat stand-in).
// Run: npx tsx bench/login.ts [iterations]
//
// Two gateways serve the same handlers. Latency is timed through one in this process that talks to the services
// directly, so that the figures carry no instrumentation. Round trips are counted through a second gateway, in a
// child process, whose dependencies are reached through counting proxies: the handler modules read their endpoints
// once at load, so one process cannot serve both ways.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { localDefaults } from '../local/stack';
import { startBacking } from '../local/services/backing';
import { superviseChild } from '../local/services/child-process';
import { startHttpCountingProxy, startRedisCountingProxy, type CountingProxy, type HttpRequestSeen, type ProxiedCall } from './support/counting-proxy';

const INSTRUMENTED_GATEWAY = '--instrumented-gateway';
const iterations = Number(process.argv[2] ?? 200);
const WARMUP = 20;
/** Logins of each kind whose round trips are counted (through the proxies). */
const COUNTED = 20;
const SYSTEMS = ['WeChat', 'DynamoDB', 'Redis', 'MQ'] as const;
type System = (typeof SYSTEMS)[number];
type Kind = 'first' | 'returning';
const KINDS: Kind[] = ['first', 'returning'];

// ---------------------------------------------------------------------------------------------- naming round trips

const shortTable = (name: unknown) => String(name).replace(/^wx-shop-\w+-/, '');

/** `UpdateItem(users)`, `TransactWriteItems(users+outbox)`: the operation from x-amz-target, the tables from the body. */
function dynamoOp({ headers, body }: HttpRequestSeen): string {
  const operation = String(headers['x-amz-target'] ?? '?').split('.').pop();
  const request = JSON.parse(body.toString('utf8') || '{}') as { TableName?: string; TransactItems?: Array<Record<string, { TableName?: string }>> };
  const tables = request.TableName ? [request.TableName] : (request.TransactItems ?? []).flatMap((item) => Object.values(item).map((action) => action.TableName));
  return `${operation}(${tables.map(shortTable).join('+')})`;
}

/** The Aliyun MQ HTTP API: POST /topics/T/messages publishes, GET consumes, DELETE acks. */
function mqOp({ method, path }: HttpRequestSeen): string {
  const topic = /^\/topics\/([^/?]+)\/messages/.exec(path)?.[1];
  if (!topic) return `${method} ${path.split('?')[0]}`;
  const verb = { POST: 'publish', GET: 'consume', DELETE: 'ack' }[method] ?? method;
  return `${verb}(${topic})`;
}

/** WeChat's path names the API; its query holds the app secret, so it is never kept. */
const wechatOp = ({ path }: HttpRequestSeen) => path.split('?')[0]?.split('/').pop() ?? '?';

/** `SET(wx-shop:session)`: the command and its key without the last (per-item) segment. */
function redisOp(words: string[]): string {
  const command = (words[0] ?? '?').toUpperCase();
  const key = words[1];
  if (!key || ['INFO', 'PING', 'HELLO', 'SELECT'].includes(command)) return command;
  if (command === 'CLIENT') return `CLIENT ${key.toUpperCase()}`;
  return `${command}(${key.split(':').slice(0, -1).join(':')})`;
}

type Proxies = Record<System, CountingProxy>;

async function startProxies(env: Record<string, string>): Promise<Proxies> {
  const target = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} missing from the backing environment`);
    return value;
  };
  return {
    WeChat: await startHttpCountingProxy({ system: 'WeChat', target: target('WX_API_BASE_URL'), describe: wechatOp }),
    DynamoDB: await startHttpCountingProxy({ system: 'DynamoDB', target: target('DYNAMODB_ENDPOINT'), describe: dynamoOp }),
    Redis: await startRedisCountingProxy({ system: 'Redis', target: target('REDIS_URL'), describe: redisOp }),
    MQ: await startHttpCountingProxy({ system: 'MQ', target: target('MQ_ENDPOINT'), describe: mqOp }),
  };
}

const allCalls = (proxies: Proxies) => SYSTEMS.flatMap((system) => proxies[system].calls);

// ------------------------------------------------------------------------------------------------ gateways, logins

/** Child mode: serve the handlers with the environment the parent gave (endpoints = proxies) until killed. */
async function serveInstrumentedGateway(): Promise<void> {
  const { startGateway } = await import('../local/gateway/server');
  const gateway = await startGateway(0);
  process.stdout.write(`${JSON.stringify({ url: gateway.url })}\n`);
}

async function spawnInstrumentedGateway(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  // process.execArgv carries tsx's loader, so the child runs this same TypeScript file.
  const child = spawn(process.execPath, [...process.execArgv, __filename, INSTRUMENTED_GATEWAY], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = superviseChild(child, 'instrumented gateway');
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const line = output.split('\n')[0];
        if (output.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`instrumented gateway exited with ${code}`)));
      child.once('error', reject);
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** wx.login on the stand-in: a single-use code for a test user (same user, same openid). */
async function newCode(wechatUrl: string, user: string): Promise<string> {
  const { status, json } = await postJson(`${wechatUrl}/__sandbox/login-codes`, { user });
  if (status !== 200 || typeof json?.code !== 'string') throw new Error(`login-codes answered ${status}`);
  return json.code as string;
}

/** Codes for many users, made ahead so that no timed login waits for one. */
async function newCodes(wechatUrl: string, users: string[]): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < users.length; i += 50) codes.push(...(await Promise.all(users.slice(i, i + 50).map((user) => newCode(wechatUrl, user)))));
  return codes;
}

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

// ----------------------------------------------------------------------------------------------------- statistics

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const durations = (logins: Login[], kind: Kind) => logins.filter((l) => l.kind === kind).map((l) => l.end - l.start);

/** The most frequent value and how many times it occurred. */
function mode<T>(values: T[], key: (value: T) => string): { value: T; count: number } {
  const counts = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    const entry = counts.get(key(value)) ?? { value, count: 0 };
    entry.count++;
    counts.set(key(value), entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0] as { value: T; count: number };
}

// ---------------------------------------------------------------------------------------------- the critical path

/** The round trips that started while a login was under way (logins run one at a time, nothing else runs). */
type LoginTrips = Login & { calls: ProxiedCall[] };

const tripsOf = (login: Login, calls: ProxiedCall[]): LoginTrips => ({ ...login, calls: calls.filter((c) => c.start >= login.start && c.start <= login.end) });

const perSystem = (calls: ProxiedCall[]) => Object.fromEntries(SYSTEMS.map((system) => [system, calls.filter((c) => c.system === system).length])) as Record<System, number>;

/** One login's round trips by name; a name seen twice in a login becomes `name#2`. */
function byName(calls: ProxiedCall[]): Map<string, ProxiedCall> {
  const named = new Map<string, ProxiedCall>();
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    let name = call.op;
    for (let n = 2; named.has(name); n++) name = `${call.op}#${n}`;
    named.set(name, call);
  }
  return named;
}

type Shape = {
  /** What each round trip waited for; undefined: only the request. */
  parents: Map<string, string | undefined>;
  systems: Map<string, System>;
  /** Logins that had exactly these round trips, out of `of`. */
  logins: number;
  of: number;
  /** The chain the response waited for (it ended last in `criticalIn` of the logins). */
  critical: string[];
  criticalIn: number;
};

/**
 * Rebuilds what each round trip waited for from the timestamps of many logins of one kind. One login cannot tell a
 * dependency from a coincidence (a parallel call that happens to end first, or a next call delayed by CPU work in
 * between), many can:
 *  - two round trips are parallel if they overlapped in any login;
 *  - B waited for A if A ended before B started in every login; B's cause is the latest such A (the one all others
 *    end before); if several qualify, the one B follows closest (median gap), since a handler sends its next call as
 *    soon as the answer it awaits arrives.
 */
function consensusShape(logins: LoginTrips[]): Shape {
  const named = logins.map((l) => byName(l.calls));
  const signature = (m: Map<string, ProxiedCall>) => [...m.keys()].sort().join('\n');
  const common = mode(named, signature).value;
  const same = named.filter((m) => signature(m) === signature(common));
  const names = [...common.keys()];
  const call = (m: Map<string, ProxiedCall>, name: string) => m.get(name) as ProxiedCall;
  const before = (a: string, b: string) => a !== b && same.every((m) => call(m, a).end <= call(m, b).start);
  const gap = (a: string, b: string) => summarize(same.map((m) => call(m, b).start - call(m, a).end)).p50;
  const parents = new Map<string, string | undefined>();
  for (const b of names) {
    const waitedFor = names.filter((a) => before(a, b));
    const latest = waitedFor.filter((a) => !waitedFor.some((c) => before(a, c)));
    parents.set(b, latest.sort((x, y) => gap(x, b) - gap(y, b))[0]);
  }
  const lastEnding = mode(
    same.map((m) => names.reduce((latest, name) => (call(m, name).end > call(m, latest).end ? name : latest))),
    (name) => name,
  );
  const critical: string[] = [];
  for (let name: string | undefined = lastEnding.value; name; name = parents.get(name)) critical.unshift(name);
  return {
    parents,
    systems: new Map(names.map((name) => [name, call(common, name).system as System])),
    logins: same.length,
    of: named.length,
    critical,
    criticalIn: lastEnding.count,
  };
}

/** `a -> b -> [c -> d || e -> f]`, parallel branches sorted so that the same shape always prints the same. */
function render(shape: Shape, after?: string): string {
  const next = [...shape.parents].filter(([, parent]) => parent === after).map(([name]) => name);
  const chain = (name: string) => {
    const rest = render(shape, name);
    return rest ? `${name} -> ${rest}` : name;
  };
  if (next.length <= 1) return next[0] === undefined ? '' : chain(next[0]);
  return `[${next.map(chain).sort().join(' || ')}]`;
}

// ------------------------------------------------------------------------------------------------- cross-checks

async function wechatJscode2session(wechatUrl: string): Promise<number> {
  const stats = (await (await fetch(`${wechatUrl}/__sandbox/stats`)).json()) as { requests: Record<string, number> };
  return stats.requests.jscode2session ?? 0;
}

async function mqMessages(mqUrl: string): Promise<number> {
  const { topics } = (await (await fetch(`${mqUrl}/__admin/topics`)).json()) as { topics: Array<{ messages: number }> };
  return topics.reduce((sum, topic) => sum + topic.messages, 0);
}

/** Calls per command from INFO commandstats (`cmdstat_set:calls=41,...`). */
async function redisCommandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [String(m[1]).toUpperCase(), Number(m[2])]));
}

type ServerCounts = { jscode2session: number; mqMessages: number; redis: Record<string, number> };

async function serverCounts(env: Record<string, string>, redis: Redis): Promise<ServerCounts> {
  return {
    jscode2session: await wechatJscode2session(env.WX_API_BASE_URL as string),
    mqMessages: await mqMessages(env.MQ_ENDPOINT as string),
    redis: await redisCommandCalls(redis),
  };
}

/** What the services themselves counted over the counted phase, against what the proxies saw. */
function crossCheck(before: ServerCounts, after: ServerCounts, calls: ProxiedCall[]): string[] {
  const proxied = (system: System, match: (op: string) => boolean) => calls.filter((c) => c.system === system && match(c.op)).length;
  const redisDelta = Object.entries(after.redis)
    // The INFO that took the `before` snapshot is ours, not the handler's.
    .map(([command, n]) => [command, n - (before.redis[command] ?? 0) - (command === 'INFO' ? 1 : 0)] as const)
    .filter(([, n]) => n > 0);
  const redisProxied = (command: string) => proxied('Redis', (op) => op.split('(')[0] === command);
  return [
    `WeChat stand-in stats: jscode2session +${after.jscode2session - before.jscode2session} (proxy: ${proxied('WeChat', (op) => op === 'jscode2session')})`,
    `MQ broker topic stats: messages +${after.mqMessages - before.mqMessages} (proxy: ${proxied('MQ', (op) => op.startsWith('publish'))} publishes)`,
    `redis INFO commandstats: ${redisDelta.map(([command, n]) => `${command} +${n} (proxy: ${redisProxied(command)})`).join(', ') || 'nothing'}`,
    `DynamoDB Local keeps no request counts: the proxy is the only count (${proxied('DynamoDB', () => true)} requests)`,
  ];
}

// ------------------------------------------------------------------------------------------------------- printing

const ms = (value: number) => value.toFixed(2).padStart(8);

function printLatency(logins: Login[]): void {
  console.log(`POST /auth/login end to end through the local API gateway (real handler, HTTP on 127.0.0.1, measured by the client with fetch)`);
  console.log(`${iterations} logins of each kind, alternating, after ${WARMUP} warm-up logins of each kind; no proxies in this path`);
  console.log('kind          p50 ms    p99 ms   mean ms');
  const stats = Object.fromEntries(KINDS.map((kind) => [kind, summarize(durations(logins, kind))])) as Record<Kind, ReturnType<typeof summarize>>;
  for (const kind of KINDS) console.log(`${kind.padEnd(10)} ${ms(stats[kind].p50)}  ${ms(stats[kind].p99)}  ${ms(stats[kind].mean)}`);
  const ratio = (key: 'p50' | 'p99' | 'mean') => (stats.returning[key] / stats.first[key]).toFixed(2);
  console.log(`returning / first: p50 ${ratio('p50')}x, p99 ${ratio('p99')}x, mean ${ratio('mean')}x`);
}

/** `3` when every login agreed, else `2-4`. */
function spread(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}-${high}`;
}

function printTripTable(trips: LoginTrips[], shapes: Record<Kind, Shape>): void {
  const totals = (kind: Kind, system?: System) =>
    spread(trips.filter((t) => t.kind === kind).map((t) => (system ? perSystem(t.calls)[system] : t.calls.length)));
  const critical = (kind: Kind, system?: System) => String(shapes[kind].critical.filter((name) => !system || shapes[kind].systems.get(name) === system).length);
  console.log('');
  console.log(`Round trips per login, counted by proxies in front of each dependency (${COUNTED} logins of each kind, warm container)`);
  console.log('system       first: total  critical path   returning: total  critical path');
  for (const system of [...SYSTEMS, undefined]) {
    const cells = KINDS.map((kind) => `${totals(kind, system).padStart(12)}  ${critical(kind, system).padStart(13)}`);
    console.log(`${(system ?? 'all').padEnd(10)} ${cells.join('  ')}`);
  }
}

function printShapes(shapes: Record<Kind, Shape>): void {
  console.log('');
  console.log('Critical path, derived from the proxies\' timestamps over all counted logins of a kind: round trips that overlapped');
  console.log('in any login are parallel (||); one waited for another if it always started after that one ended.');
  for (const kind of KINDS) {
    const shape = shapes[kind];
    const branches = shape.critical.length < shape.parents.size ? ` (ends last in ${shape.criticalIn}/${shape.logins} logins)` : '';
    console.log(`${kind} login: ${shape.critical.length} sequential round trips on the critical path${branches}`);
    console.log(`  all round trips: ${render(shape)}`);
    console.log(`  critical path:   ${shape.critical.join(' -> ')}`);
    if (shape.logins < shape.of) console.log(`  ${shape.of - shape.logins}/${shape.of} logins made other round trips and were left out of this shape`);
  }
}

/** When each round trip of one login started and ended, from the moment the client sent the request. */
function printTimeline(title: string, trip: LoginTrips): void {
  console.log(`  ${title}, ${(trip.end - trip.start).toFixed(1)} ms:`);
  for (const c of [...trip.calls].sort((a, b) => a.start - b.start)) {
    console.log(`    ${(c.start - trip.start).toFixed(1).padStart(6)} -> ${(c.end - trip.start).toFixed(1).padStart(6)} ms  ${c.system.padEnd(9)} ${c.op}`);
  }
}

/** The login whose latency is the median of its kind: a representative one. */
function medianLogin(trips: LoginTrips[], kind: Kind): LoginTrips {
  const mine = trips.filter((t) => t.kind === kind).sort((a, b) => a.end - a.start - (b.end - b.start));
  return mine[Math.floor(mine.length / 2)] as LoginTrips;
}

/** Median time of each kind of round trip as the proxy saw it (one loopback hop more than the handler sees). */
function printOpTimes(trips: LoginTrips[]): void {
  console.log('');
  console.log('Round trip times at the proxies, median ms (first / returning):');
  const ops = [...new Set(trips.flatMap((t) => t.calls.map((c) => `${c.system}\t${c.op}`)))];
  for (const key of ops) {
    const [system, op] = key.split('\t') as [string, string];
    const median = (kind: Kind) => {
      const values = trips.filter((t) => t.kind === kind).flatMap((t) => t.calls.filter((c) => c.system === system && c.op === op).map((c) => c.end - c.start));
      return values.length ? summarize(values).p50.toFixed(2) : '-';
    };
    console.log(`  ${system.padEnd(9)} ${op.padEnd(36)} ${median('first').padStart(6)} / ${median('returning').padStart(6)}`);
  }
}

// ------------------------------------------------------------------------------------------------------- the phases

const connectionCount = (proxies: Proxies) => Object.fromEntries(SYSTEMS.map((s) => [s, proxies[s].connections.length])) as Record<System, number>;
const connectionDelta = (from: Record<System, number>, to: Record<System, number>) => SYSTEMS.map((s) => `${s} ${to[s] - from[s]}`).join(', ');

type Counted = {
  trips: LoginTrips[];
  cold: LoginTrips;
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
  const gateway = await spawnInstrumentedGateway({
    DYNAMODB_ENDPOINT: proxies.DynamoDB.url,
    REDIS_URL: proxies.Redis.url,
    MQ_ENDPOINT: proxies.MQ.url,
    WX_API_BASE_URL: proxies.WeChat.url,
  });
  // Our own connection for INFO commandstats, straight to redis-server, not through the proxy.
  const redis = new Redis(env.REDIS_URL as string, { lazyConnect: true });
  try {
    const wechatUrl = env.WX_API_BASE_URL as string;
    const atStart = connectionCount(proxies);
    const cold = tripsOf({ kind: 'first', ...(await login(gateway.url, await newCode(wechatUrl, 'counted-returning'), 'first')) }, allCalls(proxies));
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

function printRoundTrips({ trips, cold, connections, checks }: Counted): void {
  const shapes = Object.fromEntries(KINDS.map((kind) => [kind, consensusShape(trips.filter((t) => t.kind === kind))])) as Record<Kind, Shape>;
  printTripTable(trips, shapes);
  printShapes(shapes);
  console.log('');
  console.log('Representative logins (the median of each kind), times at the proxies from when the client sent the request:');
  for (const kind of KINDS) printTimeline(`${kind} login`, medianLogin(trips, kind));
  printOpTimes(trips);
  console.log('');
  console.log('Cold container (fresh gateway process, its first request):');
  printTimeline('first login', cold);
  console.log(`  new connections: cold login ${connections.cold}; warm-up ${connections.warmup}; counted logins ${connections.counted}`);
  console.log('');
  console.log('Checks:');
  for (const line of checks) console.log(`  ${line}`);
  const instrumented = (kind: Kind) => summarize(durations(trips, kind)).p50.toFixed(2);
  console.log(`  the counted logins, through the proxies, took p50 ${instrumented('first')} ms (first), ${instrumented('returning')} ms (returning): the latency figures above are without them`);
}

/** Times logins through a gateway in this process that reaches the services directly. */
async function timeLogins(env: Record<string, string>): Promise<void> {
  const { startGateway } = await import('../local/gateway/server');
  const gateway = await startGateway(0);
  try {
    const wechatUrl = env.WX_API_BASE_URL as string;
    await login(gateway.url, await newCode(wechatUrl, 'timed-returning'), 'first');
    await runLogins(gateway.url, wechatUrl, 'timed-warmup', WARMUP, 'timed-returning'); // module init, connections, JIT (ours and the JVM's)
    const logins = await runLogins(gateway.url, wechatUrl, 'timed', iterations, 'timed-returning');
    printLatency(logins);
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
    await timeLogins(backing.env);
    printRoundTrips(await countRoundTrips(backing.env, proxies));
  } finally {
    await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
    await backing.stop();
  }
}

const run = process.argv.includes(INSTRUMENTED_GATEWAY) ? serveInstrumentedGateway : main;
run().then(
  () => {
    // The child keeps serving until the parent stops it; the benchmark itself is done.
    if (run === main) process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
