import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { StoreCatalog } from '../../shared/ports/store-repository';
import { MultiLevelCache, type MultiLevelCacheOptions } from '../../shared/adapters/redis/multi-level-cache';

/** A fresh Redis connection with the options production uses (fail fast, bounded reconnects). */
export function redisClient(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, commandTimeout: 500, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 500) });
  client.on('error', () => undefined);
  return client;
}

/** One Lambda container's view: its own in-process level over the shared Redis. */
export function container(redis: Redis, namespace: string, options: Partial<MultiLevelCacheOptions> = {}): MultiLevelCache {
  return new MultiLevelCache({ redis, namespace, checkIntervalMs: 200, ttlSeconds: 300, negativeTtlSeconds: 30, ...options });
}

export const uniqueNamespace = () => `test:store-cache:${randomUUID()}`;

/** Wraps a catalog and counts the reads that reach it (DynamoDB reads, when it is the repository). */
export function countingCatalog(source: StoreCatalog) {
  const reads = { listStores: 0, getStore: 0, listProducts: 0 };
  const catalog: StoreCatalog = {
    listStores: () => (reads.listStores++, source.listStores()),
    getStore: (id) => (reads.getStore++, source.getStore(id)),
    listProducts: (id) => (reads.listProducts++, source.listProducts(id)),
  };
  return { catalog, reads };
}
