import type Redis from 'ioredis';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { cachedStoreCatalog } from '../../shared/adapters/redis/store-catalog';
import { startRedis } from '../../local/services/redis';
import { waitUntil } from '../../local/services/free-port';
import type { RunningService } from '../../local/services/child-process';
import { container, countingCatalog, redisClient, uniqueNamespace } from './helpers';

// What the in-process level saves: the Redis round trips of a warm read, and the DynamoDB reads it lets through when
// Redis cannot help (the cross-container fill lease also stops duplicates, so only with Redis stopped does the
// in-container single flight show on its own).
const CHECK_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The cache's Redis client, recording each command the cache sends through it (the cache only ever calls commands
 * on its client), so that a test can see which round trips a read cost.
 */
function recordingClient(client: Redis): { client: Redis; commands: unknown[][] } {
  const commands: unknown[][] = [];
  const recording = new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        commands.push([String(property), ...args]);
        return value.apply(target, args);
      };
    },
  });
  return { client: recording, commands };
}

describe('in-process level, Redis up', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = redisClient(process.env.REDIS_URL as string);
  });
  afterAll(() => redis.quit());

  it('keeps a warm entry through check intervals without edits, asking Redis only for the version key', async () => {
    const namespace = uniqueNamespace();
    // A namespace that has seen an edit: entries are confirmed against its version key.
    await redis.incr(`${namespace}:version`);
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const { client, commands } = recordingClient(redis);
    const reader = cachedStoreCatalog(source, container(client, namespace, { checkIntervalMs: CHECK_MS }));
    const first = await reader.getStore('store-001');

    for (let interval = 1; interval <= 3; interval++) {
      await sleep(CHECK_MS + 30);
      commands.length = 0;
      expect(await reader.getStore('store-001')).toEqual(first);
      expect(commands).toEqual([['get', `${namespace}:version`]]);
    }
    expect(reads.getStore).toBe(1);
  });
});

describe('in-process level, Redis stopped', () => {
  let service: RunningService;
  let redis: Redis;
  beforeAll(async () => {
    service = await startRedis();
    redis = redisClient(service.url);
    await redis.ping();
    await service.stop();
    await waitUntil('client to notice', async () => {
      if (redis.status === 'ready') throw new Error('still ready');
    }, 5_000, 10);
  });
  afterAll(async () => {
    // ioredis keeps jest from exiting if it is disconnected while reconnecting: let it reconnect first.
    service = await startRedis({ port: service.port });
    await waitUntil('client to reconnect', () => redis.ping(), 5_000);
    redis.disconnect();
    await service.stop();
  });

  it('lets concurrent misses on one key in one container share one DynamoDB read (single flight)', async () => {
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const reader = cachedStoreCatalog(source, container(redis, uniqueNamespace(), { checkIntervalMs: CHECK_MS }));

    const results = await Promise.all(Array.from({ length: 20 }, () => reader.getStore('store-002')));

    expect(reads.getStore).toBe(1);
    expect(new Set(results.map((store) => store?.id))).toEqual(new Set(['store-002']));
  });
});
