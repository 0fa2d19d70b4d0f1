import { dynamoSessionStore } from '../adapters/dynamodb/session-store';
import { redis } from '../adapters/redis/client';
import { redisCachedSessionStore } from '../adapters/redis/session-cache';

/** The container's session store: DynamoDB, with lookups cached in Redis. */
export const sessionStore = redisCachedSessionStore(redis, dynamoSessionStore);
