import type { MessageProperties } from '@aliyunmq/mq-http-sdk';
import { messageContracts, topics, type MessageBody, type MessageName } from '../../messages/contracts';
import { MessageRejectedError, MqUnavailableError, type MessagePublisher, type PublishOptions } from '../../ports/messaging';
import { instanceId, mqClient, mqSdk, topicName } from './client';
import { toPublishError } from './errors';

/** Serialises a message body after checking it against its contract (a wrong body is a bug, caught before it ships). */
export function encodeBody<N extends MessageName>(name: N, body: MessageBody<N>): string {
  return JSON.stringify(messageContracts[name].body.parse(body));
}

/** Properties travel as `k:v|k:v`; the SDK silently drops a pair whose value holds ':' or '|'. */
function propertyValue(value: string): string {
  if (/[:|]/.test(value)) throw new Error(`message property value "${value}" must not contain ':' or '|'`);
  return value;
}

/** The properties every message carries: its key, and the sharding key or delivery time its kind needs. */
export async function messageProperties<N extends MessageName>(name: N, body: MessageBody<N>, options: PublishOptions = {}): Promise<MessageProperties> {
  const contract = messageContracts[name] as (typeof messageContracts)[MessageName];
  const properties = new (await mqSdk()).MessageProperties();
  properties.messageKey(propertyValue((contract.key as (b: MessageBody<N>) => string)(body)));
  const kind = topics[contract.topic].kind;
  if (kind === 'ordered' && 'shardingKey' in contract) properties.shardingKey(propertyValue((contract.shardingKey as (b: MessageBody<N>) => string)(body)));
  if (options.deliverAt) {
    if (kind !== 'delayed') throw new Error(`${name} goes to a ${kind} topic, which cannot delay delivery`);
    properties.startDeliverTime(options.deliverAt.getTime());
  }
  return properties;
}

/** Publishes through the Aliyun MQ HTTP API. The SDK resolves some failures instead of throwing: check for 201. */
export const rocketmqPublisher: MessagePublisher = {
  async publish(name, body, options) {
    const contract = messageContracts[name];
    let encoded: string;
    let properties: MessageProperties;
    try {
      encoded = encodeBody(name, body);
      properties = await messageProperties(name, body, options);
    } catch (error) {
      throw new MessageRejectedError(`publish ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const producer = (await mqClient()).getProducer(instanceId, topicName(contract.topic));
    let response;
    try {
      response = await producer.publishMessage(encoded, contract.tag, properties);
    } catch (error) {
      throw toPublishError(`publish ${name}`, error);
    }
    if (response.code !== 201 || !response.body?.MessageId) throw new MqUnavailableError(`publish ${name}: answered ${response.code} without a message id`);
    return { messageId: response.body.MessageId };
  },
};
