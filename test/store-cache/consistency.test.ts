import type Redis from 'ioredis';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { cachedStoreCatalog } from '../../shared/adapters/redis/store-catalog';
import { putStore, refreshStoreCache, type EditStoreDeps } from '../../shared/use-cases/catalog/edit-store';
import { newOutboxEvent } from '../../shared/adapters/dynamodb/outbox';
import { startRedis } from '../../local/services/redis';
import type { RunningService } from '../../local/services/child-process';
import type { Store } from '../../shared/domain/catalog/store';
import type { StoreCatalog } from '../../shared/ports/store-repository';
import { container, countingCatalog, redisClient, uniqueNamespace } from './helpers';

const BOUND_MS = 200;
const clock = { now: () => new Date() };

function editDeps(cache: EditStoreDeps['cache']): EditStoreDeps {
  return {
    stores: dynamoStoreRepository,
    cache,
    announce: (body) => newOutboxEvent('StoreUpdated', body, new Date()),
    dispatch: async () => false,
    clock,
  };
}

const newStore = (id: string, name: string): Store => ({ id, name, address: 'Test Road 1', location: { lat: 31.2, lng: 121.4 }, openHours: '08:00-22:00', status: 'OPEN' });

/** Milliseconds until `read` returns a store named `name` (polling every 5 ms), or -1 after `limitMs`. */
async function msUntilSeen(read: () => Promise<Store | undefined>, name: string, limitMs = 5_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if ((await read())?.name === name) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 5));
  }
  return -1;
}

describe('store cache consistency', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = redisClient(process.env.REDIS_URL as string);
  });
  afterAll(() => redis.quit());

  it(`shows an edit on every container within the ${BOUND_MS} ms bound after the edit returns`, async () => {
    const namespace = uniqueNamespace();
    const storeId = `edit-${Date.now()}`;
    const writer = cachedStoreCatalog(dynamoStoreRepository, container(redis, namespace, { checkIntervalMs: BOUND_MS }));
    await putStore(editDeps(writer), { store: newStore(storeId, 'before') });
    const readers = Array.from({ length: 5 }, () => cachedStoreCatalog(dynamoStoreRepository, container(redis, namespace, { checkIntervalMs: BOUND_MS })));
    for (const reader of readers) expect((await reader.getStore(storeId))?.name).toBe('before');

    await putStore(editDeps(writer), { store: newStore(storeId, 'after') });
    const delays = await Promise.all(readers.map((reader) => msUntilSeen(() => reader.getStore(storeId), 'after')));

    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(BOUND_MS + 50);
    }
    expect(JSON.parse((await redis.get(`${namespace}:store:${storeId}`)) as string).value.name).toBe('after');
    expect((await dynamoStoreRepository.getStore(storeId))?.name).toBe('after');
  });

  it('repairs a failed Redis update through the StoreUpdated consumer', async () => {
    const namespace = uniqueNamespace();
    const storeId = `repair-${Date.now()}`;
    const catalog = () => cachedStoreCatalog(dynamoStoreRepository, container(redis, namespace, { checkIntervalMs: BOUND_MS }));
    const writer = catalog();
    await putStore(editDeps(writer), { store: newStore(storeId, 'v1') });
    const reader = catalog();
    expect((await reader.getStore(storeId))?.name).toBe('v1');

    await putStore(editDeps({ refreshStore: async () => Promise.reject(new Error('injected: redis write lost')) }), { store: newStore(storeId, 'v2') });
    await new Promise((r) => setTimeout(r, BOUND_MS + 20));
    expect((await reader.getStore(storeId))?.name).toBe('v1');

    await refreshStoreCache({ cache: catalog() }, { storeId });
    expect(await msUntilSeen(() => reader.getStore(storeId), 'v2')).toBeLessThanOrEqual(BOUND_MS + 50);
  });
});

describe('store cache with Redis down', () => {
  let service: RunningService;
  let redis: Redis;
  beforeAll(async () => {
    service = await startRedis();
    redis = redisClient(service.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await service.stop();
  });

  it('keeps answering correctly from DynamoDB, takes edits, and fills Redis again when it is back', async () => {
    const namespace = uniqueNamespace();
    const storeId = `down-${Date.now()}`;
    const { catalog: source, reads } = countingCatalog(dynamoStoreRepository);
    const catalog: StoreCatalog & EditStoreDeps['cache'] = cachedStoreCatalog(source, container(redis, namespace, { checkIntervalMs: BOUND_MS }));
    await putStore(editDeps(catalog), { store: newStore(storeId, 'up') });
    expect((await catalog.getStore(storeId))?.name).toBe('up');

    await service.stop();
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect((await catalog.listStores()).some((s) => s.id === 'store-001')).toBe(true);
      timings.push(Date.now() - started);
    }
    await putStore(editDeps(catalog), { store: newStore(storeId, 'edited while down') });
    expect(await msUntilSeen(() => catalog.getStore(storeId), 'edited while down')).toBeLessThanOrEqual(BOUND_MS + 50);
    expect(Math.max(...timings)).toBeLessThan(1_000);

    service = await startRedis({ port: service.port });
    await new Promise((r) => setTimeout(r, 700));
    const readsBefore = reads.getStore;
    await new Promise((r) => setTimeout(r, BOUND_MS));
    expect((await catalog.getStore(storeId))?.name).toBe('edited while down');
    expect(reads.getStore).toBe(readsBefore + 1);
    expect(JSON.parse((await redis.get(`${namespace}:store:${storeId}`)) as string).value.name).toBe('edited while down');
  });
});
