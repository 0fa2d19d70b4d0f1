// The dependencies a handler talks to (WeChat, DynamoDB, Redis, MQ), each behind a counting proxy whose round trips
// are named after what they did: `UpdateItem(users)`, `publish(wx_shop_user)`, `GET(wx-shop:session)`.
import { startHttpCountingProxy, startRedisCountingProxy, type CountingProxy, type HttpRequestSeen, type ProxiedCall } from './counting-proxy';

export const SYSTEMS = ['WeChat', 'DynamoDB', 'Redis', 'MQ'] as const;
export type System = (typeof SYSTEMS)[number];
export type Proxies = Record<System, CountingProxy>;

const shortTable = (name: unknown) => String(name).replace(/^wx-shop-\w+-/, '');

/** `UpdateItem(users)`, `TransactWriteItems(users+outbox)`: the operation from x-amz-target, the tables from the body. */
function dynamoOp({ headers, body }: HttpRequestSeen): string {
  const operation = String(headers['x-amz-target'] ?? '?').split('.').pop();
  const request = JSON.parse(body.toString('utf8') || '{}') as { TableName?: string; TransactItems?: Array<Record<string, { TableName?: string }>> };
  const tables = request.TableName ? [request.TableName] : (request.TransactItems ?? []).flatMap((item) => Object.values(item).map((action) => action.TableName));
  return `${operation}(${[...new Set(tables.map(shortTable))].join('+')})`;
}

/**
 * The Aliyun MQ HTTP API: POST /topics/T/messages publishes, GET consumes, DELETE acks. A transactional message's
 * half (a publish carrying `__TransCheckT`) is `publish half`, and its decision (a DELETE with `trans=commit` or
 * `trans=rollback`) `commit` or `rollback`.
 */
function mqOp({ method, path, body }: HttpRequestSeen): string {
  const topic = /^\/topics\/([^/?]+)\/messages/.exec(path)?.[1];
  if (!topic) return `${method} ${path.split('?')[0]}`;
  const decision = /[?&]trans=(commit|rollback)(&|$)/.exec(path)?.[1];
  if (method === 'DELETE' && decision) return `${decision}(${topic})`;
  if (method === 'POST' && body.includes('__TransCheckT')) return `publish half(${topic})`;
  const verb = { POST: 'publish', GET: 'consume', DELETE: 'ack' }[method] ?? method;
  return `${verb}(${topic})`;
}

/** WeChat Pay's API v3, named as the stand-in counts them (`GET /__sandbox/stats`), so that the cross-check pairs them. */
const WECHAT_PAY_OPS: Array<[method: string, path: RegExp, op: string]> = [
  ['POST', /^\/v3\/pay\/transactions\/jsapi$/, 'pay.prepay'],
  ['GET', /^\/v3\/pay\/transactions\/(out-trade-no|id)\/[^/]+$/, 'pay.query'],
  ['POST', /^\/v3\/pay\/transactions\/out-trade-no\/[^/]+\/close$/, 'pay.close'],
  ['POST', /^\/v3\/refund\/domestic\/refunds$/, 'refund.create'],
  ['GET', /^\/v3\/refund\/domestic\/refunds\/[^/]+$/, 'refund.query'],
];

/**
 * WeChat's path names the API (its query holds the app secret, so it is never kept); WeChat Pay's paths hold the
 * order's number, so they are named by the table above.
 */
function wechatOp({ method, path }: HttpRequestSeen): string {
  const bare = path.split('?')[0] ?? '';
  const pay = WECHAT_PAY_OPS.find(([m, pattern]) => m === method && pattern.test(bare));
  return pay ? pay[2] : (bare.split('/').pop() ?? '?');
}

/** `SET(wx-shop:session)`: the command and its key without the last (per-item) segment. */
function redisOp(words: string[]): string {
  const command = (words[0] ?? '?').toUpperCase();
  const key = words[1];
  if (!key || ['INFO', 'PING', 'HELLO', 'SELECT', 'MULTI', 'EXEC'].includes(command)) return command;
  if (command === 'CLIENT') return `CLIENT ${key.toUpperCase()}`;
  return `${command}(${key.split(':').slice(0, -1).join(':')})`;
}

/** A counting proxy in front of each dependency named in `env` (the backing services' environment). */
export async function startProxies(env: Record<string, string>): Promise<Proxies> {
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

/** The environment that points a process's handlers at the proxies instead of the services. */
export const throughProxies = (proxies: Proxies): Record<string, string> => ({
  DYNAMODB_ENDPOINT: proxies.DynamoDB.url,
  REDIS_URL: proxies.Redis.url,
  MQ_ENDPOINT: proxies.MQ.url,
  WX_API_BASE_URL: proxies.WeChat.url,
  WXPAY_BASE_URL: proxies.WeChat.url,
});

export const closeProxies = async (proxies: Proxies | undefined) => {
  await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
};

export const allCalls = (proxies: Proxies): ProxiedCall[] => SYSTEMS.flatMap((system) => proxies[system].calls);

export const connectionCount = (proxies: Proxies) => Object.fromEntries(SYSTEMS.map((s) => [s, proxies[s].connections.length])) as Record<System, number>;

/** New connections per system between two counts: `WeChat 0, DynamoDB 2, Redis 0, MQ 1`. */
export const connectionDelta = (from: Record<System, number>, to: Record<System, number>) => SYSTEMS.map((s) => `${s} ${to[s] - from[s]}`).join(', ');
