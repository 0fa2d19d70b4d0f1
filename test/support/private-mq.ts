import { randomUUID } from 'node:crypto';
import { startMqBroker, type MqBroker, type MqBrokerOptions } from '../../local/mq-broker';
import { LOCAL_MQ_ACCESS_KEY_ID, LOCAL_MQ_ACCESS_KEY_SECRET } from '../../local/services/backing';
import { localMqTopology } from '../../local/services/mq-topology';
import { topics, consumerGroups } from '../../shared/messages/contracts';
import { overrideEnv } from './env';

export type PrivateMq = { broker: MqBroker; logs: Array<Record<string, unknown>>; restart(): Promise<void>; stop(): Promise<void>; restoreEnv(): void };

/**
 * A broker of this test file's own, with short durations, and the environment pointing the MQ adapters at it
 * (import the adapters after calling this). Topic and group names get a unique suffix, so nothing published by
 * another test file can reach this one's consumers; the broker declares exactly those names, as the local stack does.
 */
export async function startPrivateMq(options: Partial<MqBrokerOptions> = {}): Promise<PrivateMq> {
  const logs: Array<Record<string, unknown>> = [];
  const suffix = randomUUID().slice(0, 8);
  const names = Object.fromEntries([...Object.values(topics), ...Object.values(consumerGroups)].map(({ env, defaultName }) => [env, `${defaultName}_${suffix}`]));
  const brokerOptions: MqBrokerOptions = {
    accessKeys: { [LOCAL_MQ_ACCESS_KEY_ID]: LOCAL_MQ_ACCESS_KEY_SECRET },
    topology: localMqTopology({ ...process.env, ...names }),
    invisibilitySeconds: 1,
    orderlyInvisibilitySeconds: 1,
    halfCheckIntervalSeconds: 1,
    maxDeliveries: 5,
    log: (entry) => logs.push(entry),
    ...options,
  };
  let broker = await startMqBroker(brokerOptions);
  // The consumers are told the broker's dead-letter limit, as the local stack tells them.
  const restoreEnv = overrideEnv({ MQ_ENDPOINT: broker.url, MQ_MAX_DELIVERIES: String(brokerOptions.maxDeliveries ?? 16), ...names });
  const handle: PrivateMq = {
    broker,
    logs,
    // Same port, same data (when the options give a data folder): the MQ coming back after an outage.
    async restart() {
      broker = await startMqBroker({ ...brokerOptions, port: broker.port });
      handle.broker = broker;
    },
    stop: () => broker.close(),
    restoreEnv,
  };
  return handle;
}
