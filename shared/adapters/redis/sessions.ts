import { dynamoSessionStore } from '../dynamodb/session-store';
import { redis } from './client';
import { redisCachedSessionStore } from './session-cache';

/** The container's session store: DynamoDB, with lookups cached in Redis. */
export const sessionStore = redisCachedSessionStore(redis, dynamoSessionStore);
