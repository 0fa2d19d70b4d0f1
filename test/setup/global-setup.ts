// Starts the servers the tests talk to, once per `jest` run, unless they are given:
//   DYNAMODB_ENDPOINT  an existing DynamoDB Local (tables are created in it)
//   REDIS_URL          an existing redis-server
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDefaults } from '../../local/stack';
import { localDynamoClient, startDynamoLocal } from '../../local/services/dynamodb-local';
import { startRedis } from '../../local/services/redis';
import { createTables } from '../../local/services/tables';
import { seed } from '../../local/services/seed';
import type { RunningService } from '../../local/services/child-process';

declare global {
  var __testServices: RunningService[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  Object.assign(process.env, localDefaults);
  const services: RunningService[] = [];
  globalThis.__testServices = services;

  const [dynamoUrl, redisUrl] = await Promise.all([
    process.env.DYNAMODB_ENDPOINT || startDynamoLocal().then((s) => (services.push(s), s.url)),
    process.env.REDIS_URL || startRedis().then((s) => (services.push(s), s.url)),
  ]);
  process.env.DYNAMODB_ENDPOINT = dynamoUrl;
  process.env.REDIS_URL = redisUrl;

  const client = localDynamoClient(dynamoUrl);
  await createTables(client);
  await seed(DynamoDBDocumentClient.from(client));
  client.destroy();
}
