import Redis, { type RedisOptions } from 'ioredis';

/** The breaker is open: Redis timed out or failed repeatedly, so it is skipped for a while without being asked. */
export class RedisCircuitOpenError extends Error {
  override readonly name = 'RedisCircuitOpenError';
}

export type BreakerOptions = {
  /** Consecutive failed commands (timeouts, connection errors) that open the breaker. */
  failureThreshold: number;
  /** How long Redis is skipped once open; then one command at a time is let through to probe it. */
  openMs: number;
  now?: () => number;
};

/** Redis's own answers to a bad command (WRONGTYPE, NOSCRIPT...) say nothing about its health; these do. */
const unhealthy = (error: unknown) => error instanceof Error && /timed out|ECONNREFUSED|ECONNRESET|EPIPE|Connection is closed|Stream isn't writeable/i.test(error.message);

type SentCommand = { promise: Promise<unknown>; reject(error: Error): void };

/**
 * An ioredis client with a circuit breaker in front of every command (pipelines and MULTI included, since they go
 * through `sendCommand` too). Redis is only a fast path here, so a frozen Redis must cost the first requests their
 * command timeout and the later ones nothing: after `failureThreshold` failures in a row, commands fail at once with
 * RedisCircuitOpenError for `openMs`, then a probe decides whether to close the breaker again. Callers already treat
 * a failed command as a miss and fall back to DynamoDB.
 */
export class GuardedRedis extends Redis {
  private failures = 0;
  private openUntil = 0;
  private probing = false;
  private readonly breaker: Required<BreakerOptions>;

  constructor(url: string, options: RedisOptions & { breaker: BreakerOptions }) {
    const { breaker, ...redisOptions } = options;
    super(url, redisOptions);
    this.breaker = { now: Date.now, ...breaker };
  }

  /** False while the breaker is open: callers skip Redis instead of waiting for an error. */
  get circuitClosed(): boolean {
    return this.breaker.now() >= this.openUntil;
  }

  override sendCommand(...args: Parameters<Redis['sendCommand']>): ReturnType<Redis['sendCommand']> {
    const command = args[0] as unknown as SentCommand;
    const halfOpen = this.openUntil > 0;
    if (!this.circuitClosed || (halfOpen && this.probing)) {
      command.reject(new RedisCircuitOpenError('redis is being skipped after repeated failures'));
      return command.promise as ReturnType<Redis['sendCommand']>;
    }
    if (halfOpen) this.probing = true;
    const sent = super.sendCommand(...args);
    command.promise.then(
      () => this.record(true),
      (error: unknown) => this.record(!unhealthy(error)),
    );
    return sent;
  }

  private record(healthy: boolean): void {
    this.probing = false;
    if (healthy) {
      this.failures = 0;
      this.openUntil = 0;
      return;
    }
    this.failures += 1;
    if (this.failures >= this.breaker.failureThreshold) this.openUntil = this.breaker.now() + this.breaker.openMs;
  }
}
