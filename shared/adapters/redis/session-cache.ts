import type Redis from 'ioredis';
import type { Session } from '../../domain/identity/session';
import type { SessionStore } from '../../ports/users';
import { describeError, logger } from '../../logging/logger';
import { redisUsable } from './availability';

/** Lookups are cached at most this long, so that a session removed from DynamoDB stops working soon after. */
const MAX_CACHE_SECONDS = 3600;

/**
 * Sessions read through Redis, with DynamoDB as the truth. The WeChat session key is never put in Redis. With Redis
 * down every lookup goes to DynamoDB: users stay logged in and can log in.
 */
export function redisCachedSessionStore(redis: Redis, truth: SessionStore, prefix = 'wx-shop:session'): SessionStore {
  const key = (tokenHash: string) => `${prefix}:${tokenHash}`;
  const remember = async (tokenHash: string, session: Session) => {
    const seconds = Math.min(MAX_CACHE_SECONDS, Math.floor((new Date(session.expiresAt).getTime() - Date.now()) / 1000));
    if (seconds <= 0 || !redisUsable(redis)) return;
    const { userId, openid, expiresAt } = session;
    await redis.set(key(tokenHash), JSON.stringify({ userId, openid, expiresAt }), 'EX', seconds).catch((error: unknown) => {
      logger.debug('session not cached', describeError(error));
    });
  };
  return {
    // Not cached at creation: the first lookup fills the cache, and login saves a round trip.
    create: (tokenHash, session) => truth.create(tokenHash, session),
    async find(tokenHash) {
      if (redisUsable(redis)) {
        try {
          const cached = await redis.get(key(tokenHash));
          if (cached) return JSON.parse(cached) as Session;
        } catch (error) {
          logger.warn('session cache unavailable; reading DynamoDB', describeError(error));
        }
      }
      const session = await truth.find(tokenHash);
      // Filling the cache is not the caller's business: it does not wait for it (remember never throws).
      if (session) void remember(tokenHash, session);
      return session;
    },
  };
}
