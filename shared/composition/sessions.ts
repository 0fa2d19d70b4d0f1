import { dynamoSessionStore } from '../adapters/dynamodb/session-store';
import { redis } from '../adapters/redis/client';
import { inProcessSessionCache, redisCachedSessionStore } from '../adapters/redis/session-cache';

/** The container's session store: DynamoDB, with lookups cached in Redis, and the last minute's in the container. */
export const sessionStore = inProcessSessionCache(redisCachedSessionStore(redis, dynamoSessionStore));
