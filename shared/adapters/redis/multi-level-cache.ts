import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { describeError, logger } from '../../logging/logger';
import { redisUsable } from './availability';
import { singleFlight } from './single-flight';

export type MultiLevelCacheOptions = {
  redis: Redis;
  /** Prefix of every Redis key of this cache. */
  namespace: string;
  /** The in-process level re-checks the shared version key at most this often; it is the staleness bound. */
  checkIntervalMs: number;
  /** Redis TTL of a value, before jitter. */
  ttlSeconds: number;
  /** Redis TTL of "does not exist", so that unknown ids do not reach DynamoDB on every request. */
  negativeTtlSeconds: number;
  /** How long a caller that lost the Redis fill lease waits for the winner's value before reading the source itself (default 300). */
  leaseWaitMs?: number;
  /**
   * Bounds of the in-process level (defaults 1,000 entries, 8 MiB of JSON): least recently used entries go first, and
   * "does not exist" entries count like any other, so a warm container cannot be grown by requests for unknown ids.
   */
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
};

type Envelope<T> = { value: T | null };
const NOT_FOUND = JSON.stringify({ value: null } satisfies Envelope<unknown>);

/** A loader holds the fill lease at most this long; longer than any healthy DynamoDB read. */
const LEASE_MS = 2_000;
type LocalEntry = { envelope: Envelope<unknown>; version: string | null; fetchedAt: number; bytes: number };

// Fills Redis only when the version has not moved since the caller read it: a reader that fetched the old value
// from DynamoDB just before an edit must not overwrite the edit's fresh Redis value with it.
const FILL_IF_VERSION = `
local current = redis.call('GET', KEYS[1]) or ''
if current == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

// Releases the fill lease only if it is still ours (it may have expired and been taken by another loader).
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** ±20 % on every TTL, so that keys filled together do not all expire together. */
function jittered(seconds: number): number {
  return Math.round(seconds * 1000 * (0.8 + Math.random() * 0.4));
}

/**
 * A read-through cache in two levels in front of a source of truth: a per-container in-process map, then Redis.
 *
 * Consistency: a Lambda container cannot be told about an edit, so the in-process level bounds its own staleness.
 * Every write bumps a version key in Redis; a container re-reads that key at most every `checkIntervalMs` and drops
 * its entries when it moved. When Redis cannot be reached, entries live only `checkIntervalMs` after their fetch.
 * Either way a reader sees an edit at most `checkIntervalMs` after the edit's Redis update.
 *
 * Stampedes: concurrent misses on one key in a container share one load (single flight), and across containers a
 * Redis lease lets one loader read the source while the others wait briefly for its value.
 */
export class MultiLevelCache {
  private readonly local: LRUCache<string, LocalEntry>;
  private readonly inFlight = singleFlight<Envelope<unknown>>();
  private readonly versionCheck = singleFlight<void>();
  private version: string | null = null;
  private versionCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly versionKey: string;

  constructor(private readonly options: MultiLevelCacheOptions) {
    this.now = options.now ?? Date.now;
    this.versionKey = `${options.namespace}:version`;
    this.local = new LRUCache<string, LocalEntry>({
      max: options.maxEntries ?? 1_000,
      maxSize: options.maxBytes ?? 8 * 1024 * 1024,
      sizeCalculation: (entry, key) => entry.bytes + key.length,
    });
  }

  /** What the in-process level holds now (its bounds are `maxEntries` and `maxBytes`). */
  localUsage(): { entries: number; bytes: number } {
    return { entries: this.local.size, bytes: this.local.calculatedSize };
  }

  /** The value for `key` from the nearest level that has it; `load` reads the source of truth. */
  async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    await this.refreshVersion();
    const entry = this.local.get(key);
    if (entry && this.isFresh(entry)) return (entry.envelope.value ?? undefined) as T | undefined;
    const envelope = await this.inFlight(key, () => this.loadShared(key, load));
    return (envelope.value ?? undefined) as T | undefined;
  }

  /**
   * After a write to the source: replaces (or, with `undefined`, deletes) Redis entries and bumps the version in one
   * MULTI, so that every container drops its copies within the staleness bound. Throws when Redis is unreachable.
   */
  async publish(entries: Array<{ key: string; value: unknown }>): Promise<void> {
    const multi = this.options.redis.multi();
    for (const { key, value } of entries) {
      if (value === undefined) multi.del(this.redisKey(key));
      else multi.set(this.redisKey(key), JSON.stringify({ value }), 'PX', jittered(this.options.ttlSeconds));
    }
    multi.incr(this.versionKey);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('redis MULTI was discarded');
    this.local.clear();
  }

  /** Forgets this container's in-process entries (the long-running local stack's StoreUpdated consumer calls it). */
  clearLocal(): void {
    this.local.clear();
    this.versionCheckedAt = Number.NEGATIVE_INFINITY;
  }

  private redisKey(key: string): string {
    return `${this.options.namespace}:${key}`;
  }

  private isFresh(entry: LocalEntry): boolean {
    const now = this.now();
    const confirmed = entry.version !== null && entry.version === this.version && now - this.versionCheckedAt < this.options.checkIntervalMs;
    return confirmed || now - entry.fetchedAt < this.options.checkIntervalMs;
  }

  private async refreshVersion(): Promise<void> {
    if (this.now() - this.versionCheckedAt < this.options.checkIntervalMs || !redisUsable(this.options.redis)) return;
    await this.versionCheck('version', async () => {
      try {
        const version = await this.options.redis.get(this.versionKey);
        if (version !== this.version) this.local.clear();
        this.version = version;
        this.versionCheckedAt = this.now();
      } catch (error) {
        logger.debug('cache version check failed; in-process entries now expire by age', describeError(error));
      }
    });
  }

  private async loadShared<T>(key: string, load: () => Promise<T | undefined>): Promise<Envelope<unknown>> {
    const shared = await this.readRedis(key);
    if (shared.raw) return this.remember(key, shared.raw, shared.version);
    const lease = shared.redisUp ? await this.takeLease(key) : undefined;
    if (shared.redisUp && !lease) {
      const filled = await this.awaitOtherLoader(key);
      if (filled) return this.remember(key, filled.raw, filled.version);
    }
    const raw = JSON.stringify({ value: (await load()) ?? null } satisfies Envelope<T>);
    if (shared.redisUp) await this.fill(key, raw, shared.version ?? '', lease);
    return this.remember(key, raw, shared.version);
  }

  /** Keeps the value in-process; it is parsed from its JSON form, so callers never share a mutable object. */
  private remember(key: string, raw: string, version: string | null): Envelope<unknown> {
    const envelope = JSON.parse(raw) as Envelope<unknown>;
    this.local.set(key, { envelope, version, fetchedAt: this.now(), bytes: raw.length });
    return envelope;
  }

  private async readRedis(key: string): Promise<{ redisUp: boolean; version: string | null; raw?: string }> {
    if (!redisUsable(this.options.redis)) return { redisUp: false, version: null };
    try {
      const [version, raw] = await this.options.redis.mget(this.versionKey, this.redisKey(key));
      return { redisUp: true, version: version ?? null, raw: raw ?? undefined };
    } catch (error) {
      logger.warn('redis read failed; reading the source', { cacheKey: key, ...describeError(error) });
      return { redisUp: false, version: null };
    }
  }

  /** A token when this caller may load `key` from the source for everyone; undefined when another caller holds it. */
  private async takeLease(key: string): Promise<string | undefined> {
    const token = randomUUID();
    try {
      return (await this.options.redis.set(this.leaseKey(key), token, 'PX', LEASE_MS, 'NX')) === 'OK' ? token : undefined;
    } catch {
      // Redis failed between two commands: load without a lease rather than not at all.
      return token;
    }
  }

  private leaseKey(key: string): string {
    return `${this.redisKey(key)}:lease`;
  }

  private async awaitOtherLoader(key: string): Promise<{ raw: string; version: string | null } | undefined> {
    const deadline = this.now() + (this.options.leaseWaitMs ?? 300);
    while (this.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      const shared = await this.readRedis(key);
      if (shared.raw) return { raw: shared.raw, version: shared.version };
      if (!shared.redisUp) return undefined;
    }
    return undefined;
  }

  private async fill(key: string, raw: string, version: string, lease: string | undefined): Promise<void> {
    const ttl = raw === NOT_FOUND ? jittered(this.options.negativeTtlSeconds) : jittered(this.options.ttlSeconds);
    try {
      await this.options.redis.eval(FILL_IF_VERSION, 2, this.versionKey, this.redisKey(key), version, raw, String(ttl));
      if (lease) await this.options.redis.eval(RELEASE_LEASE, 1, this.leaseKey(key), lease);
    } catch (error) {
      logger.warn('redis fill failed', { cacheKey: key, ...describeError(error) });
    }
  }
}
