// Starts what the tests talk to, once per `jest` run: DynamoDB Local, redis-server, the MQ broker and the WeChat
// stand-in, on free ports. Given DYNAMODB_ENDPOINT or REDIS_URL, it uses those instead of starting its own.
import { localDefaults } from '../../local/stack';
import { startBacking, type Backing } from '../../local/services/backing';

declare global {
  var __testBacking: Backing | undefined;
}

export default async function globalSetup(): Promise<void> {
  Object.assign(process.env, localDefaults);
  const backing = await startBacking({
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    quiet: true,
  });
  globalThis.__testBacking = backing;
  // Jest's workers are started after this and inherit the environment.
  Object.assign(process.env, backing.env);
}
