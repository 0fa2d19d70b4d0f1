import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { logger } from '../../logging/logger';
import type { Clock } from '../../ports/clock';
import { systemClock } from '../system/clock';
import { WxUnavailableError } from '../../ports/wechat';
import { callWxApi, wxApiUrl } from './wx-api';

/** The one WeChat access token all functions share (for subscribe messages and other server APIs). */
export interface SharedAccessToken {
  /** A token valid now. */
  current(): Promise<string>;
  /**
   * A replacement for `rejected`, which WeChat just refused (40001/40014/42001). Whoever first reports a token
   * refreshes it; callers that report the same token later get that refresher's result, so one bad token costs
   * one refresh however many callers saw it fail.
   */
  replaceRejected(rejected: string): Promise<string>;
}

export type SharedAccessTokenDeps = {
  redis: Redis;
  appid: string;
  appSecret: string;
  apiBaseUrl: string;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
  /**
   * Refresh when less than this is left. Keep it at or under 300 s: stable_token in normal mode hands out the same
   * token until 5 minutes before its expiry, so an earlier refresh would just fetch the same token again.
   */
  refreshAheadMs?: number;
  /** How long a refresher may hold the lock; a refresher that crashed blocks the others this long at most. */
  lockTtlMs?: number;
  /** How long a caller waits for another refresher before fetching on its own. */
  waitTimeoutMs?: number;
  pollIntervalMs?: number;
};

/** WeChat errcodes meaning "this access token is no good": refresh once and retry once. */
const ACCESS_TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

export function isAccessTokenErrcode(errcode: number | undefined): boolean {
  return errcode !== undefined && ACCESS_TOKEN_ERRCODES.has(errcode);
}

/** `version` tells two writes of the same token apart, so that waiters recognise a refresh that returned it again. */
type HeldToken = { token: string; expiresAtMs: number; version: string };

/** A token this close to expiry is not handed out: the call using it could arrive after it expired. */
const EXPIRY_MARGIN_MS = 30_000;

const RELEASE_LOCK_IF_OWNED = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

class RedisUnavailable extends Error {
  override readonly name = 'RedisUnavailable';
}

async function viaRedis<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    throw new RedisUnavailable(error instanceof Error ? error.message : String(error));
  }
}

function parseHeld(raw: string | null): HeldToken | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<HeldToken>;
    if (typeof value.token === 'string' && typeof value.expiresAtMs === 'number' && typeof value.version === 'string') return value as HeldToken;
  } catch {
    // an unreadable entry is treated as absent and overwritten by the next refresh
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The access token, cached in Redis for every function and in memory for this container. One caller at a time
 * refreshes it (a Redis lock with an expiry), ahead of its expiry and through stable_token in normal mode; the others
 * keep using the still-valid token or wait for the refresher's. When Redis is down each container fetches for itself,
 * which stable_token tolerates.
 */
export function createSharedAccessToken(deps: SharedAccessTokenDeps): SharedAccessToken {
  const { redis, appid } = deps;
  const fetchImpl = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const refreshAheadMs = deps.refreshAheadMs ?? 240_000;
  const lockTtlMs = deps.lockTtlMs ?? 10_000;
  const waitTimeoutMs = deps.waitTimeoutMs ?? 5_000;
  const pollIntervalMs = deps.pollIntervalMs ?? 50;
  const key = `wx:access-token:${appid}`;
  const lockKey = `${key}:refresh-lock`;

  let held: HeldToken | undefined;
  const inflight = new Map<string, Promise<HeldToken>>();

  const remainingMs = (token: HeldToken) => token.expiresAtMs - clock.now().getTime();
  const usable = (token: HeldToken) => remainingMs(token) > EXPIRY_MARGIN_MS;
  const fresh = (token: HeldToken) => remainingMs(token) > refreshAheadMs;

  async function fetchFromWechat(): Promise<HeldToken> {
    const reply = await callWxApi({
      fetch: fetchImpl,
      timeoutMs,
      url: wxApiUrl(deps.apiBaseUrl, '/cgi-bin/stable_token'),
      json: { grant_type: 'client_credential', appid, secret: deps.appSecret, force_refresh: false },
    });
    const { errcode, errmsg, access_token: token, expires_in: expiresIn } = reply;
    if (errcode) {
      logger.error('stable_token failed', { errcode, errmsg });
      throw new WxUnavailableError(`stable_token errcode ${errcode}`);
    }
    if (typeof token !== 'string' || typeof expiresIn !== 'number') throw new WxUnavailableError('stable_token: answer without a token');
    logger.info('access token fetched', { expiresInSeconds: expiresIn });
    return { token, expiresAtMs: clock.now().getTime() + expiresIn * 1_000, version: randomUUID() };
  }

  const readShared = async () => parseHeld(await viaRedis(() => redis.get(key)));
  const tryLock = async (owner: string) => (await viaRedis(() => redis.set(lockKey, owner, 'PX', lockTtlMs, 'NX'))) === 'OK';

  async function writeShared(token: HeldToken): Promise<void> {
    // The token is already fetched: failing to share it must not fail the caller.
    await redis.set(key, JSON.stringify(token), 'PX', Math.max(1_000, remainingMs(token))).catch((error: unknown) => {
      logger.warn('could not cache the access token in Redis', { errorMessage: String(error) });
    });
  }

  async function releaseLock(owner: string): Promise<void> {
    // Best effort: the lock expires on its own.
    await redis.eval(RELEASE_LOCK_IF_OWNED, 1, lockKey, owner).catch(() => undefined);
  }

  async function refreshUnderLock(owner: string, acceptable: (token: HeldToken | undefined) => token is HeldToken): Promise<HeldToken> {
    try {
      // Another refresher may have finished between our read and our lock.
      const shared = await readShared();
      if (acceptable(shared) && fresh(shared)) return shared;
      const token = await fetchFromWechat();
      await writeShared(token);
      return token;
    } finally {
      await releaseLock(owner);
    }
  }

  async function fromShared(rejected: string | undefined): Promise<HeldToken> {
    const owner = randomUUID();
    const deadline = Date.now() + waitTimeoutMs;
    let staleVersion: string | undefined;
    const acceptable = (token: HeldToken | undefined): token is HeldToken => {
      if (!token || !usable(token)) return false;
      if (token.token !== rejected) return true;
      staleVersion ??= token.version;
      return token.version !== staleVersion;
    };
    for (;;) {
      const shared = await readShared();
      if (acceptable(shared) && fresh(shared)) return shared;
      if (await tryLock(owner)) {
        // A refresh ahead of expiry that fails is not the caller's problem while the old token is still valid.
        return refreshUnderLock(owner, acceptable).catch((error: unknown) => {
          if (!acceptable(shared)) throw error;
          logger.warn('access token refresh failed; using the current token until it expires', { errorMessage: String(error) });
          return shared;
        });
      }
      // Someone else is refreshing: a token still valid serves meanwhile, otherwise wait for theirs.
      if (acceptable(shared)) return shared;
      if (Date.now() >= deadline) {
        logger.warn('gave up waiting for the access token refresher; fetching directly');
        return fetchFromWechat();
      }
      await sleep(pollIntervalMs);
    }
  }

  async function obtain(rejected: string | undefined): Promise<HeldToken> {
    try {
      return await fromShared(rejected);
    } catch (error) {
      if (!(error instanceof RedisUnavailable)) throw error;
      logger.warn('access token cache unavailable; fetching from WeChat directly', { errorMessage: error.message });
      return fetchFromWechat();
    }
  }

  /** Concurrent callers in this container share one attempt. */
  function obtainOnce(rejected?: string): Promise<HeldToken> {
    const flightKey = rejected ?? '';
    let flight = inflight.get(flightKey);
    if (!flight) {
      flight = obtain(rejected)
        .then((token) => (held = token))
        .finally(() => inflight.delete(flightKey));
      inflight.set(flightKey, flight);
    }
    return flight;
  }

  return {
    async current() {
      if (held && fresh(held)) return held.token;
      return (await obtainOnce()).token;
    },
    async replaceRejected(rejected) {
      if (held && held.token !== rejected && usable(held)) return held.token;
      return (await obtainOnce(rejected)).token;
    },
  };
}
