// `npm start`: the whole system on this machine. Ctrl-C stops everything it started.
import { join } from 'node:path';
import { autoCreateTopicsFromEnv } from './services/mq-topology';
import { startStack } from './stack';
import { PROJECT_ROOT } from './gateway/routes';

const log = (line: string) => console.log(`[local] ${line}`);

function intFromEnv(name: string, fallback: number, max = 65535): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const dataDir = join(PROJECT_ROOT, '.local-data');
  const apiPort = intFromEnv('API_PORT', 3000);
  const stack = await startStack({
    apiPort,
    dynamoPort: intFromEnv('DYNAMODB_PORT', 8000),
    dynamoDataDir: join(dataDir, 'dynamodb'),
    redisUrl: process.env.REDIS_URL || undefined,
    mqPort: intFromEnv('MQ_BROKER_PORT', 3200),
    mqDataDir: join(dataDir, 'mq'),
    mqInvisibilitySeconds: intFromEnv('MQ_INVISIBILITY_SECONDS', 300, 43_200),
    mqCheckBackSeconds: intFromEnv('MQ_CHECKBACK_SECONDS', 10, 3_600),
    mqAutoCreateTopics: autoCreateTopicsFromEnv(process.env),
    wechatPort: intFromEnv('WECHAT_PORT', 3100),
    notifyRetryCompression: intFromEnv('WXPAY_NOTIFY_RETRY_COMPRESSION', 1, 100_000),
    writeEnvFile: true,
    log,
  });
  log(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s. Try: curl localhost:${apiPort}/stores  (Ctrl-C stops everything)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await stack.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[local] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
