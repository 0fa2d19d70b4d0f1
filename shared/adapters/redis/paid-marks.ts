import type Redis from 'ioredis';
import { describeError, logger } from '../../logging/logger';
import type { PaidMarks } from '../../ports/payments';
import { redisUsable } from './availability';

/** A week: WeChat Pay stops redelivering a notification after about a day. */
const KEEP_SECONDS = 7 * 86_400;

/**
 * The seed's Redis key on the order number, as a fast path only: it is written after the DynamoDB commit, so a
 * flushed or unreachable Redis costs a DynamoDB conditional write, never a second payment.
 */
export function redisPaidMarks(redis: Redis, prefix = 'wx-shop:paid'): PaidMarks {
  const key = (outTradeNo: string) => `${prefix}:${outTradeNo}`;
  return {
    async isPaid(outTradeNo) {
      if (!redisUsable(redis)) return false;
      try {
        return (await redis.exists(key(outTradeNo))) === 1;
      } catch (error) {
        logger.warn('paid-mark fast path unavailable; DynamoDB decides', { orderId: outTradeNo, ...describeError(error) });
        return false;
      }
    },
    async markPaid(outTradeNo) {
      if (!redisUsable(redis)) return;
      await redis.set(key(outTradeNo), '1', 'EX', KEEP_SECONDS).catch((error: unknown) => {
        logger.warn('could not set the paid mark; DynamoDB still refuses a duplicate', { orderId: outTradeNo, ...describeError(error) });
      });
    },
  };
}
