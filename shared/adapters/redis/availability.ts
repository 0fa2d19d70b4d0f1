import type Redis from 'ioredis';
import { GuardedRedis } from './guarded-redis';

/**
 * Whether a Redis command is worth trying now. While ioredis is reconnecting after a failure, or while the breaker
 * is open after repeated timeouts, a command would only wait or fail; callers treat Redis as a miss instead and go
 * to DynamoDB. A lazy client that has not connected yet ('wait') is tried: the command opens the connection.
 */
export function redisUsable(client: Redis): boolean {
  const connected = client.status === 'ready' || client.status === 'wait' || client.status === 'connecting' || client.status === 'connect';
  return connected && (!(client instanceof GuardedRedis) || client.circuitClosed);
}
