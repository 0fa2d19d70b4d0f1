import { configSection, envPositiveInt, envString } from '../config/env';
import * as z from '../schemas/zod';
import { dynamoStoreRepository } from '../adapters/dynamodb/store-repository';
import { redis } from '../adapters/redis/client';
import { MultiLevelCache } from '../adapters/redis/multi-level-cache';
import { cachedStoreCatalog } from '../adapters/redis/store-catalog';

export const storeCacheConfig = configSection('Store cache', {
  /** The staleness bound: how often a container re-checks the cache version in Redis. */
  STORE_CACHE_CHECK_MS: z._default(envPositiveInt, 1_000),
  STORE_CACHE_TTL_SECONDS: z._default(envPositiveInt, 300),
  STORE_CACHE_NEGATIVE_TTL_SECONDS: z._default(envPositiveInt, 30),
  /** Bounds of each container's in-process level. */
  STORE_CACHE_MAX_ENTRIES: z._default(envPositiveInt, 1_000),
  STORE_CACHE_MAX_BYTES: z._default(envPositiveInt, 8 * 1024 * 1024),
  STORE_CACHE_NAMESPACE: z._default(envString, 'wx-shop:store-cache:v1'),
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
    maxEntries: config.STORE_CACHE_MAX_ENTRIES,
    maxBytes: config.STORE_CACHE_MAX_BYTES,
  }),
);
