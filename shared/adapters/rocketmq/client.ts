import type { MQClient } from '@aliyunmq/mq-http-sdk';
import { configSection, envString } from '../../config/env';
import * as z from '../../schemas/zod';
import { loadSecrets } from '../../config/secrets';
import { consumerGroups, topics, type ConsumerGroupKey, type TopicKey } from '../../messages/contracts';

const mqConfig = configSection('RocketMQ', {
  // The SDK concatenates endpoint + '/topics/...' but signs '/topics/...': a trailing slash breaks every signature.
  MQ_ENDPOINT: z.url().check(z.refine((url) => !url.endsWith('/'), 'must not end with "/"')),
  /** Namespaced instances only (MQ_INST_...); absent for old default instances. */
  MQ_INSTANCE_ID: z.optional(envString),
  MQ_ACCESS_KEY_ID: envString,
});

const namesConfig = configSection(
  'RocketMQ topics and groups',
  Object.fromEntries(
    [...Object.values(topics), ...Object.values(consumerGroups)].map(({ env, defaultName }) => [env, z._default(z.string().check(z.regex(/^[\w-]{3,64}$/)), defaultName)]),
  ),
);

const config = mqConfig();
const names = namesConfig() as Record<string, string>;

let client: Promise<MQClient> | undefined;

/**
 * The MQ SDK (with its XML stack, about a quarter of a bundle) is loaded at its first use, not at cold start: a login
 * publishes only for a new user. The configuration above is still checked at cold start.
 */
type MqSdk = typeof import('@aliyunmq/mq-http-sdk');

export async function mqSdk(): Promise<MqSdk> {
  const sdk: MqSdk & { default?: MqSdk } = await import('@aliyunmq/mq-http-sdk');
  // A CommonJS package: Node's own import() (tsx, `npm start`) sees its exports only as `default`; bundlers and jest
  // see them by name.
  return sdk.MQClient ? sdk : (sdk.default as MqSdk);
}

/** The container's one MQ client; its secret comes from SSM (or the environment locally), read once. */
export function mqClient(): Promise<MQClient> {
  client ??= Promise.all([loadSecrets(['MQ_ACCESS_KEY_SECRET']), mqSdk()])
    .then(([{ MQ_ACCESS_KEY_SECRET }, { MQClient }]) => new MQClient(config.MQ_ENDPOINT, config.MQ_ACCESS_KEY_ID, MQ_ACCESS_KEY_SECRET))
    .catch((error: unknown) => {
      client = undefined;
      throw error;
    });
  return client;
}

/** The configured name of a topic (`MQ_TOPIC_*`), defaulting to the contract's name. */
export function topicName(topic: TopicKey): string {
  return names[topics[topic].env] as string;
}

/** The configured name of a consumer group (`MQ_GROUP_*`). */
export function groupName(group: ConsumerGroupKey): string {
  return names[consumerGroups[group].env] as string;
}

/** The instance id to pass to the SDK (undefined: default instance, no `ns`). */
export const instanceId = config.MQ_INSTANCE_ID;
