import Redis from 'ioredis';
import * as z from 'zod';
import { configSection } from '../../config/env';
import { logger } from '../../logging/logger';
import { onLocalInvocationEnd } from '../../lambda/local-invocation';

const redisConfig = configSection('Redis', {
  REDIS_URL: z.string().regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL'),
});

const config = redisConfig();

/**
 * The container's one Redis connection. Redis is only ever a fast path here, so every command must fail within a
 * fraction of a second when Redis is down, letting the caller fall back to DynamoDB instead of using up the Lambda's
 * time: a short connect timeout, a command timeout, one retry per command, and a bounded reconnect backoff.
 */
export const redis = new Redis(config.REDIS_URL, {
  lazyConnect: true,
  connectTimeout: 1_000,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
  keepAlive: 10_000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  // Fewer round trips on a cold start: no CLIENT SETINFO, no INFO readiness probe before the first command.
  disableClientInfo: true,
  enableReadyCheck: false,
});

onLocalInvocationEnd(() => redis.disconnect());

let lastErrorLoggedAt = 0;
redis.on('error', (error: Error) => {
  // Without a listener ioredis would throw; log at most once a second so an outage does not flood the log.
  if (Date.now() - lastErrorLoggedAt < 1_000) return;
  lastErrorLoggedAt = Date.now();
  logger.warn('redis unavailable', { errorMessage: error.message });
});
