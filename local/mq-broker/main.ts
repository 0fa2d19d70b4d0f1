// `npx tsx local/mq-broker/main.ts`: the local RocketMQ HTTP broker on its own. Ctrl-C (or SIGTERM) stops it.
import * as z from 'zod';
import { localMqTopology } from '../services/mq-topology';
import { startMqBroker } from './index';

const seconds = z.coerce.number().positive().optional();

const Env = z.object({
  MQ_BROKER_PORT: z.coerce.number().int().min(0).max(65535).default(3200),
  MQ_BROKER_HOST: z.string().min(1).default('127.0.0.1'),
  MQ_ACCESS_KEY_ID: z.string().min(1).default('local-access-key'),
  MQ_ACCESS_KEY_SECRET: z.string().min(1).default('local-secret-key'),
  MQ_BROKER_DATA_DIR: z.string().min(1).optional(),
  MQ_INVISIBILITY_SECONDS: seconds,
  MQ_ORDERLY_INVISIBILITY_SECONDS: seconds,
  MQ_CHECKBACK_SECONDS: seconds,
  MQ_MAX_DELIVERIES: z.coerce.number().int().positive().optional(),
  MQ_AUTO_CREATE_TOPICS: z.enum(['true', 'false']).optional(),
});

/** Empty variables count as unset, so `MQ_BROKER_DATA_DIR=` means "in memory". */
const setVariables = () => Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ''));

async function main(): Promise<void> {
  const variables = setVariables();
  const parsed = Env.safeParse(variables);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  const env = parsed.data;
  const broker = await startMqBroker({
    port: env.MQ_BROKER_PORT,
    host: env.MQ_BROKER_HOST,
    accessKeys: { [env.MQ_ACCESS_KEY_ID]: env.MQ_ACCESS_KEY_SECRET },
    // The contracts' topics and groups (MQ_TOPIC_*, MQ_GROUP_*) in MQ_INSTANCE_ID, or the default instance.
    topology: localMqTopology(variables, env.MQ_AUTO_CREATE_TOPICS === 'true'),
    dataDir: env.MQ_BROKER_DATA_DIR,
    invisibilitySeconds: env.MQ_INVISIBILITY_SECONDS,
    orderlyInvisibilitySeconds: env.MQ_ORDERLY_INVISIBILITY_SECONDS,
    halfCheckIntervalSeconds: env.MQ_CHECKBACK_SECONDS,
    maxDeliveries: env.MQ_MAX_DELIVERIES,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await broker.close();
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', event: 'mq.broker-stopped', signal })}\n`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', event: 'mq.broker-failed', error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exit(1);
});
