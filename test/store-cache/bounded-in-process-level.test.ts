import { createServer, type Server } from 'node:net';
import Redis from 'ioredis';
import { seedStores } from '../../local/seed-data';
import { cachedStoreCatalog } from '../../shared/adapters/redis/store-catalog';
import { inMemoryStoreRepository } from '../../shared/testing/in-memory-store-repository';
import { container, countingCatalog, uniqueNamespace } from './helpers';

// Hostile input must not grow a warm container: 100,000 GETs of unique unknown store ids leave the in-process level
// within its bounds, "not found" entries included, and least recently used entries are the ones that go. Redis is
// unreachable here (a port that refuses), which is also when the in-process level is all there is.
const MAX_ENTRIES = 500;
const MAX_BYTES = 64 * 1024;
let refusing: Server;
let redis: Redis;

beforeAll(async () => {
  refusing = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  // No reconnects: after the first refusal the client ends, and the cache treats Redis as absent.
  redis = new Redis((refusing.address() as { port: number }).port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
});
afterAll(async () => {
  if (redis.status !== 'end') redis.disconnect();
  await new Promise((resolve) => refusing.close(resolve));
});

it('stays within its entry and byte bounds after 100,000 unique unknown ids, evicting the least recently used', async () => {
  const { repository } = inMemoryStoreRepository(seedStores);
  const { catalog: source, reads } = countingCatalog(repository);
  const cache = container(redis, uniqueNamespace(), { checkIntervalMs: 60_000, maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES });
  const catalog = cachedStoreCatalog(source, cache);

  await catalog.getStore('store-001');
  for (let i = 0; i < 100_000; i++) {
    expect(await catalog.getStore(`no-such-store-${i}`)).toBeUndefined();
    // A store read often stays: the least recently used go first.
    if (i % 100 === 0) await catalog.getStore('store-001');
  }

  const usage = cache.localUsage();
  expect(usage.entries).toBeLessThanOrEqual(MAX_ENTRIES);
  expect(usage.bytes).toBeLessThanOrEqual(MAX_BYTES);
  expect(reads.getStore).toBe(100_001);
  // The recent unknown id is still cached, the first ones are gone, and the hot store was never evicted.
  await catalog.getStore('no-such-store-99999');
  await catalog.getStore('store-001');
  expect(reads.getStore).toBe(100_001);
  await catalog.getStore('no-such-store-0');
  expect(reads.getStore).toBe(100_002);
});

it('bounds the bytes too: a few large values push out older ones before the entry limit is reached', async () => {
  const big = 'x'.repeat(20_000);
  const cache = container(redis, uniqueNamespace(), { checkIntervalMs: 60_000, maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES });
  for (let i = 0; i < 10; i++) await cache.get(`big-${i}`, async () => ({ big }));
  const usage = cache.localUsage();
  expect(usage.bytes).toBeLessThanOrEqual(MAX_BYTES);
  expect(usage.entries).toBeLessThanOrEqual(3);
});
