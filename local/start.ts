// `npm start`: the whole system on this machine. Ctrl-C stops everything it started.
import { join } from 'node:path';
import { startStack } from './stack';
import { PROJECT_ROOT } from './gateway/routes';

const log = (line: string) => console.log(`[local] ${line}`);

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${name} must be a TCP port, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const stack = await startStack({
    apiPort: intFromEnv('API_PORT', 3000),
    dynamoPort: intFromEnv('DYNAMODB_PORT', 8000),
    redisUrl: process.env.REDIS_URL || undefined,
    dataDir: join(PROJECT_ROOT, '.local-data', 'dynamodb'),
    writeEnvFile: true,
    log,
  });
  log(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s. Try: curl localhost:${intFromEnv('API_PORT', 3000)}/stores  (Ctrl-C stops everything)`);

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
