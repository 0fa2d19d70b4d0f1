// What the services count themselves (the WeChat stand-in's stats, the broker's topics, redis' commandstats), to
// cross-check the counting proxies over a phase of a benchmark.
import type Redis from 'ioredis';
import type { ProxiedCall } from './counting-proxy';
import type { System } from './dependencies';

export type ServerCounts = { wechat: Record<string, number>; mqMessages: number; redis: Record<string, number> };

async function wechatRequests(wechatUrl: string): Promise<Record<string, number>> {
  return ((await (await fetch(`${wechatUrl}/__sandbox/stats`)).json()) as { requests: Record<string, number> }).requests;
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

/** `redis` must reach redis-server directly, not through the proxy. */
export async function serverCounts(env: Record<string, string>, redis: Redis): Promise<ServerCounts> {
  return {
    wechat: await wechatRequests(env.WX_API_BASE_URL as string),
    mqMessages: await mqMessages(env.MQ_ENDPOINT as string),
    redis: await redisCommandCalls(redis),
  };
}

const increases = (before: Record<string, number>, after: Record<string, number>, ours: Record<string, number> = {}) =>
  Object.entries(after)
    .map(([name, n]) => [name, n - (before[name] ?? 0) - (ours[name] ?? 0)] as const)
    .filter(([, n]) => n > 0);

/** What the services themselves counted over a phase, against what the proxies saw in it. */
export function crossCheck(before: ServerCounts, after: ServerCounts, calls: ProxiedCall[]): string[] {
  const proxied = (system: System, match: (op: string) => boolean) => calls.filter((c) => c.system === system && match(c.op)).length;
  // A pipeline is one round trip of several commands; redis counts the commands.
  const redisCommands = calls.filter((c) => c.system === 'Redis').flatMap((c) => c.commands ?? [c.op]);
  const redisProxied = (command: string) => redisCommands.filter((op) => op.split('(')[0] === command).length;
  // The INFO that took the `before` snapshot is ours, not the handler's.
  const redisDelta = increases(before.redis, after.redis, { INFO: 1 });
  const wechatDelta = increases(before.wechat, after.wechat);
  const wechatLine = wechatDelta.map(([op, n]) => `${op} +${n} (proxy: ${proxied('WeChat', (name) => name === op)})`).join(', ');
  return [
    `WeChat stand-in stats: ${wechatLine || `nothing (proxy: ${proxied('WeChat', () => true)} requests)`}`,
    `MQ broker topic stats: messages +${after.mqMessages - before.mqMessages} (proxy: ${proxied('MQ', (op) => op.startsWith('publish'))} publishes)`,
    `redis INFO commandstats: ${redisDelta.map(([command, n]) => `${command} +${n} (proxy: ${redisProxied(command)})`).join(', ') || 'nothing'}`,
    `DynamoDB Local keeps no request counts: the proxy is the only count (${proxied('DynamoDB', () => true)} requests)`,
  ];
}
