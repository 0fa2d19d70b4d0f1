import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
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

/** How long a warm container trusts a session it looked up, and how many it keeps (about 200 bytes each). */
export const IN_PROCESS_SESSION_TTL_MS = 60_000;
export const IN_PROCESS_SESSION_MAX = 5_000;

/**
 * Sessions a warm container looked up in the last minute, kept in its memory: a shopper's next request (the pay after
 * the order) authenticates with no round trip. Redis already serves a session for up to an hour after it was looked
 * up, so this adds no staleness that matters; sessions are never revoked before they expire, and an expired one is
 * refused by `authenticate` whatever the cache says. Only sessions found are kept (a token unknown now may be a login
 * that has not been written yet); the bound keeps memory flat however many tokens are tried.
 */
export function inProcessSessionCache(
  store: SessionStore,
  options: { ttlMs?: number; max?: number } = {},
): SessionStore & { cached(): number } {
  const cache = new LRUCache<string, Session>({ max: options.max ?? IN_PROCESS_SESSION_MAX, ttl: options.ttlMs ?? IN_PROCESS_SESSION_TTL_MS });
  return {
    create: (tokenHash, session) => store.create(tokenHash, session),
    async find(tokenHash) {
      const cached = cache.get(tokenHash);
      if (cached) return cached;
      const session = await store.find(tokenHash);
      if (session) cache.set(tokenHash, session);
      return session;
    },
    cached: () => cache.size,
  };
}
