import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startMqBroker } from '../mq-broker';
import { generateLocalMerchantIdentity, startWechatStandIn } from '../wechat-stand-in';
import type { RunningService, ServiceExit } from './child-process';
import { localDynamoClient, startDynamoLocal } from './dynamodb-local';
import { localMqTopology } from './mq-topology';
import { startRedis } from './redis';
import { preferredOrFreePort } from './free-port';
import { createTables } from './tables';
import { seed } from './seed';

/** Local credentials: test-only values, never production ones. */
export const LOCAL_MQ_ACCESS_KEY_ID = 'local-access-key';
export const LOCAL_MQ_ACCESS_KEY_SECRET = 'local-secret-key';
export const LOCAL_MQ_INSTANCE_ID = 'MQ_INST_local_wxshop';
/** The local broker dead-letters after this many deliveries (RocketMQ's TCP default; Aliyun's HTTP limit is 1 + 288). */
export const LOCAL_MQ_MAX_DELIVERIES = 16;
export const LOCAL_ADMIN_API_KEY = 'local-admin-key';

export type BackingOptions = {
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  dynamoEndpoint?: string;
  dynamoPort?: number;
  /** Where DynamoDB Local and the broker keep data; in memory when absent. */
  dynamoDataDir?: string;
  mqDataDir?: string;
  /** Use this Redis instead of starting a private redis-server. */
  redisUrl?: string;
  mqPort?: number;
  wechatPort?: number;
  mqInvisibilitySeconds?: number;
  mqCheckBackSeconds?: number;
  /** Create unknown MQ topics and groups on first use (`MQ_AUTO_CREATE_TOPICS`); off: only the contracts' exist. */
  mqAutoCreateTopics?: boolean;
  /** WeChat Pay's notification retry schedule is divided by this. */
  notifyRetryCompression?: number;
  quiet?: boolean;
  /**
   * When given, a dependency child (redis-server, DynamoDB Local) that exits while the services run stops all the
   * others first; then this is called, naming it. Without it, nobody watches (the test harness).
   */
  onDependencyExit?: (exit: ServiceExit) => void;
};

export type Backing = { env: Record<string, string>; services: RunningService[]; stop(): Promise<void> };

const silent = () => undefined;

/**
 * Starts what the functions talk to: DynamoDB Local (tables created, seed loaded), Redis, the RocketMQ HTTP broker
 * and the WeChat stand-in. Returns the environment that points the functions at them.
 */
export async function startBacking(options: BackingOptions = {}): Promise<Backing> {
  const services: RunningService[] = [];
  const stop = async () => {
    for (const service of services.splice(0).reverse()) await service.stop().catch(() => undefined);
  };
  try {
    const dynamoPort = options.dynamoPort && (await preferredOrFreePort(options.dynamoPort));
    const [dynamoUrl, redisUrl] = await Promise.all([
      options.dynamoEndpoint ?? startDynamoLocal({ port: dynamoPort, dataDir: options.dynamoDataDir }).then((s) => (services.push(s), s.url)),
      options.redisUrl ?? startRedis().then((s) => (services.push(s), s.url)),
    ]);
    const broker = await startMqBroker({
      port: options.mqPort ?? 0,
      accessKeys: { [LOCAL_MQ_ACCESS_KEY_ID]: LOCAL_MQ_ACCESS_KEY_SECRET },
      // The functions read their topic and group names from this process's environment, with the instance below.
      topology: localMqTopology({ ...process.env, MQ_INSTANCE_ID: LOCAL_MQ_INSTANCE_ID }, options.mqAutoCreateTopics),
      dataDir: options.mqDataDir,
      invisibilitySeconds: options.mqInvisibilitySeconds,
      halfCheckIntervalSeconds: options.mqCheckBackSeconds,
      maxDeliveries: LOCAL_MQ_MAX_DELIVERIES,
      ...(options.quiet ? { log: silent } : {}),
    });
    services.push({ name: 'mq-broker', url: broker.url, port: broker.port, stop: () => broker.close() });

    const identity = generateLocalMerchantIdentity();
    const wechat = await startWechatStandIn({
      ...identity,
      port: options.wechatPort ?? 0,
      notifyRetryCompression: options.notifyRetryCompression ?? 1,
      ...(options.quiet ? { log: silent } : {}),
    });
    services.push({ name: 'wechat-stand-in', url: wechat.url, port: wechat.port, stop: () => wechat.close() });

    const env: Record<string, string> = {
      DYNAMODB_ENDPOINT: dynamoUrl,
      REDIS_URL: redisUrl,
      MQ_ENDPOINT: broker.url,
      MQ_INSTANCE_ID: LOCAL_MQ_INSTANCE_ID,
      MQ_ACCESS_KEY_ID: LOCAL_MQ_ACCESS_KEY_ID,
      MQ_ACCESS_KEY_SECRET: LOCAL_MQ_ACCESS_KEY_SECRET,
      // The consumers warn at the last deliveries before the broker dead-letters (shared/lambda/mq-consumer.ts).
      MQ_MAX_DELIVERIES: String(LOCAL_MQ_MAX_DELIVERIES),
      ADMIN_API_KEY: LOCAL_ADMIN_API_KEY,
      WX_APPID: identity.appid,
      WX_APP_SECRET: identity.appSecret,
      WX_API_BASE_URL: wechat.url,
      WXPAY_BASE_URL: wechat.url,
      WXPAY_MCHID: identity.mchid,
      WXPAY_MERCHANT_SERIAL_NO: identity.merchantSerialNo,
      WXPAY_MERCHANT_PRIVATE_KEY: identity.merchantPrivateKeyPem,
      WXPAY_API_V3_KEY: identity.apiV3Key,
      WXPAY_PUBLIC_KEY_ID: wechat.config.wechatpayPublicKeyId,
      WXPAY_PUBLIC_KEY: wechat.config.wechatpayPublicKeyPem,
      // The order notices' template ids (NOTICE_TEMPLATE_WAIT_PAY, ...), as registered in the stand-in.
      ...Object.fromEntries(wechat.templates.map((template) => [`NOTICE_TEMPLATE_${template.type}`, template.templateId])),
    };

    const client = localDynamoClient(dynamoUrl);
    try {
      await createTables(client);
      await seed(DynamoDBDocumentClient.from(client));
    } finally {
      client.destroy();
    }
    if (options.onDependencyExit) watchDependencies(services, stop, options.onDependencyExit);
    return { env, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The stack cannot serve without its dependencies: the first that dies stops the rest, cleanly, then is reported. */
function watchDependencies(services: RunningService[], stop: () => Promise<void>, report: (exit: ServiceExit) => void): void {
  for (const service of services) {
    void service.died?.then(async (exit) => {
      await stop();
      report(exit);
    });
  }
}
