import type Redis from 'ioredis';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { cachedStoreCatalog } from '../../shared/adapters/redis/store-catalog';
import { countingCatalog, container, redisClient, uniqueNamespace } from './helpers';

let redis: Redis;
beforeAll(() => {
  redis = redisClient(process.env.REDIS_URL as string);
});
afterAll(() => redis.quit());

describe('multi-level store cache (real Redis and DynamoDB Local)', () => {
  it('lets 200 concurrent cold reads of one store, spread over 10 containers, reach DynamoDB once', async () => {
    const namespace = uniqueNamespace();
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const containers = Array.from({ length: 10 }, () => cachedStoreCatalog(source, container(redis, namespace)));

    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => containers[i % 10]!.getStore('store-001')));

    expect(reads.getStore).toBe(1);
    expect(new Set(results.map((s) => s?.name))).toEqual(new Set(['静安寺店']));
  });

  it('serves a second read in the same container from memory, and another container from Redis', async () => {
    const namespace = uniqueNamespace();
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const a = cachedStoreCatalog(source, container(redis, namespace));
    const b = cachedStoreCatalog(source, container(redis, namespace));

    await a.listProducts('store-002');
    const before = await redis.info('stats');
    await a.listProducts('store-002');
    const afterLocal = await redis.info('stats');
    await b.listProducts('store-002');

    expect(reads.listProducts).toBe(1);
    const hits = (info: string) => Number(/keyspace_hits:(\d+)/.exec(info)?.[1]);
    expect(hits(afterLocal)).toBe(hits(before));
    expect(await redis.exists(`${namespace}:products:store-002`)).toBe(1);
  });

  it('caches "no such store" so unknown ids do not reach DynamoDB every time', async () => {
    const namespace = uniqueNamespace();
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const a = cachedStoreCatalog(source, container(redis, namespace));
    const b = cachedStoreCatalog(source, container(redis, namespace));

    expect(await a.getStore('store-unknown')).toBeUndefined();
    expect(await b.getStore('store-unknown')).toBeUndefined();

    expect(reads.getStore).toBe(1);
    const ttl = await redis.pttl(`${namespace}:store:store-unknown`);
    expect(ttl).toBeGreaterThan(0.8 * 30_000 - 1_000);
    expect(ttl).toBeLessThanOrEqual(1.2 * 30_000);
  });

  it('sets Redis TTLs with jitter, within ±20 % of the configured TTL', async () => {
    const namespace = uniqueNamespace();
    const a = cachedStoreCatalog(dynamoStoreRepository, container(redis, namespace, { ttlSeconds: 100 }));
    await Promise.all([a.getStore('store-001'), a.getStore('store-002'), a.getStore('store-003'), a.listStores(), a.listProducts('store-001')]);

    const keys = await redis.keys(`${namespace}:*`);
    const ttls = await Promise.all(keys.filter((k) => !k.endsWith(':lease') && !k.endsWith(':version')).map((k) => redis.pttl(k)));
    expect(ttls).toHaveLength(5);
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(79_000);
      expect(ttl).toBeLessThanOrEqual(120_000);
    }
    expect(new Set(ttls.map((t) => Math.round(t / 1000))).size).toBeGreaterThan(1);
  });

  it('refuses to fill Redis with a value read before an edit that bumped the version', async () => {
    const namespace = uniqueNamespace();
    let releaseRead!: () => void;
    const slowSource = {
      ...dynamoStoreRepository,
      getStore: async () => {
        await new Promise<void>((r) => (releaseRead = r));
        return { id: 'x', name: 'OLD', address: 'a', location: { lat: 0, lng: 0 }, openHours: '08:00-22:00', status: 'OPEN' as const };
      },
    };
    const reader = cachedStoreCatalog(slowSource, container(redis, namespace));
    const writer = container(redis, namespace);

    const staleRead = reader.getStore('x');
    await new Promise((r) => setTimeout(r, 50));
    await writer.publish([{ key: 'store:x', value: { id: 'x', name: 'NEW' } }]);
    releaseRead();
    expect((await staleRead)?.name).toBe('OLD');

    expect(JSON.parse((await redis.get(`${namespace}:store:x`)) as string)).toEqual({ value: { id: 'x', name: 'NEW' } });
  });

  it('releases the fill lease, so the next miss on the key reads the source at once instead of waiting', async () => {
    const namespace = uniqueNamespace();
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const cache = container(redis, namespace);
    const a = cachedStoreCatalog(source, cache);
    await a.getStore('store-003');
    expect(await redis.exists(`${namespace}:store:store-003:lease`)).toBe(0);

    cache.clearLocal();
    await redis.del(`${namespace}:store:store-003`);
    const started = Date.now();
    await a.getStore('store-003');

    expect(Date.now() - started).toBeLessThan(250);
    expect(reads.getStore).toBe(2);
  });
});
