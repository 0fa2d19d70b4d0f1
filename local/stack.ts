import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_STACK_ENV_FILE } from '../shared/config/env';
import { freePort } from './services/free-port';
import type { RunningService } from './services/child-process';
import { localDynamoClient, startDynamoLocal } from './services/dynamodb-local';
import { startRedis } from './services/redis';
import { createTables } from './services/tables';
import { seed } from './services/seed';
import { PROJECT_ROOT } from './gateway/routes';

export type StackOptions = {
  apiPort: number;
  /** DynamoDB Local's port; a free one when the preferred port is taken. */
  dynamoPort: number;
  /** An existing Redis to use instead of starting a private one. */
  redisUrl?: string;
  /** Where DynamoDB Local keeps its data; in memory when absent. */
  dataDir?: string;
  /** Write .local-data/stack-env.json so that `serverless invoke local` finds this stack. */
  writeEnvFile: boolean;
  log: (line: string) => void;
};

export type RunningStack = { env: Record<string, string>; services: RunningService[]; stop(): Promise<void> };

async function portOrFree(preferred: number): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(freePort()));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

/** Local defaults: what the handlers need besides the endpoints, so that `npm start` needs no configuration. */
export const localDefaults: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_SERVICE_NAME: 'wx-shop',
  // The SDK warns that it will want Node 22 from 2027; Lambda runs 22 already, so the warning is noise here.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Starts the whole system on this machine: DynamoDB Local (tables created and seeded), Redis, and the HTTP API
 * with the real handlers. Later parts (MQ broker, WeChat stand-in, consumers) join here.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  Object.assign(process.env, localDefaults);
  const services: RunningService[] = [];
  const stopAll = async () => {
    for (const service of [...services].reverse()) await service.stop().catch((e: unknown) => options.log(`could not stop ${service.name}: ${String(e)}`));
  };
  try {
    const dynamo = await startDynamoLocal({ port: await portOrFree(options.dynamoPort), dataDir: options.dataDir });
    services.push(dynamo);
    let redisUrl = options.redisUrl;
    if (!redisUrl) {
      const redis = await startRedis();
      services.push(redis);
      redisUrl = redis.url;
    }

    const env: Record<string, string> = { ...localDefaults, DYNAMODB_ENDPOINT: dynamo.url, REDIS_URL: redisUrl };
    Object.assign(process.env, env);

    const client = localDynamoClient(dynamo.url);
    const created = await createTables(client);
    const seeded = await seed(DynamoDBDocumentClient.from(client));
    client.destroy();
    options.log(`DynamoDB Local  ${dynamo.url}  (${options.dataDir ? `data in ${options.dataDir}` : 'in memory'}; ${created.length} tables created, ${seeded} seed items added)`);
    options.log(`Redis           ${redisUrl}${options.redisUrl ? ' (from REDIS_URL)' : ' (private redis-server)'}`);

    const { startGateway } = await import('./gateway/server');
    const gateway = await startGateway(options.apiPort);
    services.push({ name: 'http-api', url: gateway.url, port: options.apiPort, stop: gateway.close });
    options.log(`HTTP API        ${gateway.url.replace('127.0.0.1', 'localhost')}  (routes of serverless.yml, real handlers)`);

    const envFile = join(PROJECT_ROOT, LOCAL_STACK_ENV_FILE);
    if (options.writeEnvFile) {
      mkdirSync(join(PROJECT_ROOT, '.local-data'), { recursive: true });
      writeFileSync(envFile, `${JSON.stringify(env, null, 2)}\n`);
    }
    return {
      env,
      services,
      stop: async () => {
        if (options.writeEnvFile) rmSync(envFile, { force: true });
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
