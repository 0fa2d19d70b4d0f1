import { randomUUID } from 'node:crypto';
import { startRedis } from '../../local/services/redis';
import type { RunningService } from '../../local/services/child-process';
import { newLoginCode, startApi } from '../support/api';
import { overrideEnv } from '../support/env';

// A frozen Redis (SIGSTOP: the socket stays open, nothing answers) costs the first requests their command timeout and
// the later ones nothing: the breaker skips Redis and the sessions come from DynamoDB. Once Redis answers again and
// the breaker's open time has passed, Redis is used again. The command timeout is raised to 1 s here so that waiting
// for it and skipping Redis cannot be confused. Each timed request uses a session of its own: a container keeps the
// sessions it looked up in the last minute in memory, and only a session it has not seen yet is asked of Redis.
const COMMAND_TIMEOUT_MS = 1_000;
const OPEN_MS = 1_500;
let redisServer: RunningService;
let restoreEnv: () => void;
let api: Awaited<ReturnType<typeof startApi>>;
let tokens: string[];

async function timedCoupons(): Promise<number> {
  const token = tokens.shift() as string;
  const started = Date.now();
  const response = await api.call('GET', '/me/coupons', { token });
  expect(response.status).toBe(200);
  return Date.now() - started;
}

beforeAll(async () => {
  redisServer = await startRedis();
  restoreEnv = overrideEnv({ REDIS_URL: redisServer.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), REDIS_BREAKER_OPEN_MS: String(OPEN_MS) });
  api = await startApi();
  tokens = [];
  for (let i = 0; i < 13; i++) {
    const { code } = await newLoginCode(`frozen-redis-${randomUUID()}`);
    tokens.push((await api.call('POST', '/auth/login', { body: { code } })).body.token);
  }
  await timedCoupons();
});

afterAll(async () => {
  await api.close();
  await redisServer.stop();
  restoreEnv();
});

it('waits for Redis only until the breaker opens, then serves from DynamoDB without waiting, and uses Redis again once it is back', async () => {
  const { redis } = await import('../../shared/adapters/redis/client');
  process.kill(redisServer.pid as number, 'SIGSTOP');
  try {
    const durations: number[] = [];
    for (let i = 0; i < 10; i++) durations.push(await timedCoupons());
    // The first request waits out the command timeout; by the second failure the breaker is open.
    expect(durations[0]).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 50);
    expect(redis.circuitClosed).toBe(false);
    const afterBreaker = durations.slice(2);
    expect(Math.max(...afterBreaker)).toBeLessThan(COMMAND_TIMEOUT_MS / 4);
  } finally {
    process.kill(redisServer.pid as number, 'SIGCONT');
  }
  await new Promise((resolve) => setTimeout(resolve, OPEN_MS + 100));
  await timedCoupons();
  expect(redis.circuitClosed).toBe(true);
  expect(await redis.dbsize()).toBeGreaterThan(0);
});
