import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBacking, type BackingOptions } from './services/backing';
import { PROJECT_ROOT } from './gateway/routes';

/** Read by serverless.yml's `local` stage params, so that `serverless invoke local` reaches this stack. */
export const STACK_ENV_FILE = join('.local-data', 'stack-env.json');

export type StackOptions = BackingOptions & {
  apiPort: number;
  /** Write .local-data/stack-env.json so that `serverless invoke local` finds this stack. */
  writeEnvFile: boolean;
  /** Pause between runs of short scheduled jobs (the outbox relay). */
  schedulePauseMs?: number;
  log: (line: string) => void;
};

export type RunningStack = { env: Record<string, string>; apiUrl: string; stop(): Promise<void> };

/** Local defaults the functions need besides endpoints and keys, so that `npm start` needs no configuration. */
export const localDefaults: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_SERVICE_NAME: 'wx-shop',
  // The SDK warns that it will want Node 22 from 2027; Lambda runs 22 already, so the warning is noise here.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Starts the whole system on this machine: DynamoDB Local, Redis, the MQ broker, the WeChat stand-in, the HTTP API
 * with the real handlers, and every scheduled function (MQ consumers, outbox relay) running continuously.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  Object.assign(process.env, localDefaults);
  const backing = await startBacking(options);
  const { env } = backing;
  Object.assign(process.env, env);
  const url = (name: string) => backing.services.find((s) => s.name === name)?.url ?? '?';
  options.log(`DynamoDB Local  ${env.DYNAMODB_ENDPOINT}  (${options.dynamoDataDir ? `data in ${options.dynamoDataDir}` : 'in memory'}; tables and seed data ready)`);
  options.log(`Redis           ${env.REDIS_URL}${options.redisUrl ? ' (from REDIS_URL)' : ' (private redis-server)'}`);
  options.log(`MQ broker       ${url('mq-broker')}  (Aliyun RocketMQ HTTP protocol, instance ${env.MQ_INSTANCE_ID}; dead letters: ${url('mq-broker')}/__admin/dead-letters)`);
  options.log(`WeChat          ${url('wechat-stand-in')}  (stand-in: login, subscribe messages, WeChat Pay; control routes under /__sandbox)`);

  let stopScheduler = () => {};
  let closeGateway = async () => {};
  try {
    const { startGateway } = await import('./gateway/server');
    const gateway = await startGateway(options.apiPort);
    closeGateway = gateway.close;
    // WeChat Pay (the stand-in) calls the API back on loopback; the functions read these at their first payment.
    Object.assign(env, { WXPAY_NOTIFY_URL: `${gateway.url}/wxpay/notify`, WXPAY_REFUND_NOTIFY_URL: `${gateway.url}/wxpay/refund-notify` });
    Object.assign(process.env, env);
    options.log(`HTTP API        ${gateway.url.replace('127.0.0.1', 'localhost')}  (routes of serverless.yml, real handlers; admin key "${env.ADMIN_API_KEY}")`);

    const { runScheduledFunctions } = await import('./scheduler');
    const scheduler = runScheduledFunctions({ pauseMs: options.schedulePauseMs ?? 2_000, log: options.log });
    stopScheduler = scheduler.stop;
    options.log(`Scheduled       ${scheduler.functions.join(', ')} (running continuously)`);

    const envFile = join(PROJECT_ROOT, STACK_ENV_FILE);
    if (options.writeEnvFile) {
      mkdirSync(join(PROJECT_ROOT, '.local-data'), { recursive: true });
      writeFileSync(envFile, `${JSON.stringify({ ...localDefaults, ...env }, null, 2)}\n`, { mode: 0o600 });
    }
    return {
      env,
      apiUrl: gateway.url,
      stop: async () => {
        stopScheduler();
        if (options.writeEnvFile) rmSync(envFile, { force: true });
        await closeGateway();
        await backing.stop();
      },
    };
  } catch (error) {
    stopScheduler();
    await closeGateway();
    await backing.stop();
    throw error;
  }
}
