// `npm start`: the whole system on this machine. Ctrl-C stops everything it started.
import { join } from 'node:path';
import { autoCreateTopicsFromEnv } from './services/mq-topology';
import type { ServiceExit } from './services/child-process';
import { startStack, type RunningStack } from './stack';
import { ensureConsoleBuilt } from './console/build';
import { PROJECT_ROOT } from './gateway/routes';

const log = (line: string) => console.log(`[local] ${line}`);

function intFromEnv(name: string, fallback: number, max = 65535): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  return value;
}

/** How a dependency ended, for the one line that says why the stack stopped. */
const describeExit = (exit: ServiceExit) => `${exit.name} exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`})`;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const dataDir = join(PROJECT_ROOT, '.local-data');
  const apiPort = intFromEnv('API_PORT', 3000);
  // The operators' console is served from its build: made here when missing or older than its sources.
  await ensureConsoleBuilt(log);
  // Filled once started; a dependency may die while the rest is still starting.
  const running: { stack?: RunningStack } = {};
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log(reason);
    await running.stack?.stop();
    log('stopped');
    process.exit(exitCode);
  };
  running.stack = await startStack({
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
    // The other backing services are already stopped when this is called; a half-working stack would mislead.
    onDependencyExit: (exit) => void stop(`${describeExit(exit)} while the stack was running: stopping everything. Run npm start again.`, 1),
    writeEnvFile: true,
    log,
  });
  log(`operators' console: http://localhost:${apiPort}/console/`);
  log(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s. Try: curl localhost:${apiPort}/stores  (Ctrl-C stops everything)`);
  process.on('SIGINT', () => void stop('SIGINT: stopping', 0));
  process.on('SIGTERM', () => void stop('SIGTERM: stopping', 0));
}

main().catch((error: unknown) => {
  console.error(`[local] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
