import * as z from 'zod';
import type { StoreCacheRefresher, StoreCatalog } from '../../ports/store-repository';
import { configSection, envPositiveInt } from '../../config/env';
import { dynamoStoreRepository } from '../dynamodb/store-repository';
import { MultiLevelCache } from './multi-level-cache';
import { redis } from './client';

const keys = {
  list: 'stores',
  store: (storeId: string) => `store:${storeId}`,
  products: (storeId: string) => `products:${storeId}`,
};

/**
 * Stores and products read through the multi-level cache (in-process, then Redis, then `source`). Edits call
 * `refreshStore`, which re-reads the store from the source and replaces the cached copies everywhere at once.
 */
export function cachedStoreCatalog(source: StoreCatalog, cache: MultiLevelCache): StoreCatalog & StoreCacheRefresher {
  return {
    listStores: async () => (await cache.get(keys.list, () => source.listStores())) ?? [],
    getStore: (storeId) => cache.get(keys.store(storeId), () => source.getStore(storeId)),
    listProducts: async (storeId) => (await cache.get(keys.products(storeId), () => source.listProducts(storeId))) ?? [],
    async refreshStore(storeId) {
      const [store, products] = await Promise.all([source.getStore(storeId), source.listProducts(storeId)]);
      await cache.publish([
        { key: keys.store(storeId), value: store },
        { key: keys.products(storeId), value: products },
        // The list is rebuilt by the next reader rather than here: a scan per edit buys nothing.
        { key: keys.list, value: undefined },
      ]);
    },
    clearLocal: () => cache.clearLocal(),
  };
}

export const storeCacheConfig = configSection('Store cache', {
  /** The staleness bound: how often a container re-checks the cache version in Redis. */
  STORE_CACHE_CHECK_MS: envPositiveInt.default(1_000),
  STORE_CACHE_TTL_SECONDS: envPositiveInt.default(300),
  STORE_CACHE_NEGATIVE_TTL_SECONDS: envPositiveInt.default(30),
  STORE_CACHE_NAMESPACE: z.string().min(1).default('wx-shop:store-cache:v1'),
});

const config = storeCacheConfig();

/** The container's store catalog: DynamoDB behind the shared multi-level cache. */
export const storeCatalog = cachedStoreCatalog(
  dynamoStoreRepository,
  new MultiLevelCache({
    redis,
    namespace: config.STORE_CACHE_NAMESPACE,
    checkIntervalMs: config.STORE_CACHE_CHECK_MS,
    ttlSeconds: config.STORE_CACHE_TTL_SECONDS,
    negativeTtlSeconds: config.STORE_CACHE_NEGATIVE_TTL_SECONDS,
  }),
);
