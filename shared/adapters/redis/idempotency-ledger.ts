import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { IdempotencyLedger } from '../../ports/coupons';
import { describeError, logger } from '../../logging/logger';
import { redisUsable } from './availability';

const DONE = 'done';

/**
 * The Redis fast path of an idempotent effect (the seed's SETNX), made safe: `begin` takes a lease that expires
 * after `leaseSeconds`, and only `complete`, called after the effect, writes the permanent "done" mark. A crash in
 * between costs a delay, never the effect; Redis flushed or down costs a DynamoDB conditional write, never a duplicate.
 */
export function redisIdempotencyLedger(redis: Redis, options: { prefix: string; leaseSeconds: number; doneSeconds: number }): IdempotencyLedger {
  const key = (k: string) => `${options.prefix}:${k}`;
  return {
    async begin(k) {
      if (!redisUsable(redis)) return 'UNAVAILABLE';
      try {
        const acquired = await redis.set(key(k), `lease:${randomUUID()}`, 'EX', options.leaseSeconds, 'NX');
        if (acquired === 'OK') return 'ACQUIRED';
        return (await redis.get(key(k))) === DONE ? 'DONE' : 'IN_PROGRESS';
      } catch (error) {
        logger.warn('idempotency fast path unavailable; relying on DynamoDB alone', { idempotencyKey: k, ...describeError(error) });
        return 'UNAVAILABLE';
      }
    },
    async complete(k) {
      try {
        await redis.set(key(k), DONE, 'EX', options.doneSeconds);
      } catch (error) {
        logger.warn('could not mark the effect done in Redis; a duplicate will be stopped by DynamoDB', { idempotencyKey: k, ...describeError(error) });
      }
    },
  };
}
