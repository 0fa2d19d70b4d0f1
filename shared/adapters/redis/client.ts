import { configSection, envPositiveInt } from '../../config/env';
import { logger } from '../../logging/logger';
import * as z from '../../schemas/zod';
import { GuardedRedis } from './guarded-redis';

const redisConfig = configSection('Redis', {
  REDIS_URL: z.string().check(z.regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')),
  /** Budget of one command (docs/dependencies.md); a slower answer counts as a failure towards the breaker. */
  REDIS_COMMAND_TIMEOUT_MS: z._default(envPositiveInt, 300),
  /** How long Redis is skipped after two failed commands in a row. */
  REDIS_BREAKER_OPEN_MS: z._default(envPositiveInt, 5_000),
});

const config = redisConfig();

/**
 * The container's one Redis connection. Redis is only ever a fast path here, so every command must fail within a
 * fraction of a second when Redis is down or frozen, letting the caller fall back to DynamoDB instead of using up
 * the Lambda's time: a short connect and command timeout, one retry per command, a bounded reconnect backoff, and
 * a breaker that skips Redis for a while after repeated failures.
 */
export const redis = new GuardedRedis(config.REDIS_URL, {
  lazyConnect: true,
  connectTimeout: 1_000,
  commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  keepAlive: 10_000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  // Fewer round trips on a cold start: no CLIENT SETINFO, no INFO readiness probe before the first command.
  disableClientInfo: true,
  enableReadyCheck: false,
  breaker: { failureThreshold: 2, openMs: config.REDIS_BREAKER_OPEN_MS },
});

let lastErrorLoggedAt = 0;
redis.on('error', (error: Error) => {
  // Without a listener ioredis would throw; log at most once a second so an outage does not flood the log.
  if (Date.now() - lastErrorLoggedAt < 1_000) return;
  lastErrorLoggedAt = Date.now();
  logger.warn('redis unavailable', { errorMessage: error.message });
});
