import type Redis from 'ioredis';

/**
 * Whether a Redis command is worth trying now. While ioredis is reconnecting after a failure, a command would only
 * wait for its timeout; callers treat Redis as a miss instead and go to DynamoDB. A lazy client that has not
 * connected yet ('wait') is tried: the command opens the connection.
 */
export function redisUsable(client: Redis): boolean {
  return client.status === 'ready' || client.status === 'wait' || client.status === 'connecting' || client.status === 'connect';
}
