import type { MqReceivedMessage, MqResponse } from '@aliyunmq/mq-http-sdk';
import { messageContracts, type ConsumerGroupKey, type TopicKey } from '../../messages/contracts';
import type { MessageName } from '../../messages/contracts';
import type { MessageSource, ReceivedMessage } from '../../ports/messaging';
import { groupName, instanceId, mqClient, topicName } from './client';
import { errorCode, toMqUnavailable } from './errors';

export function toReceived(message: MqReceivedMessage): ReceivedMessage {
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    tag: message.MessageTag || undefined,
    key: message.MessageKey,
    shardingKey: message.ShardingKey,
    body: message.MessageBody,
    consumedTimes: Number(message.ConsumedTimes),
    publishedAt: new Date(Number(message.PublishTime)),
  };
}

export type SourceOptions = {
  group: ConsumerGroupKey;
  /** The messages this consumer handles; all must share one topic. Their tags become the server-side filter. */
  messages: readonly MessageName[];
  /** Ordered consumption: per sharding key, the next message only after the previous one is acked. */
  ordered?: boolean;
};

function topicOf(messages: readonly MessageName[]): TopicKey {
  const topicKeys = new Set(messages.map((name) => messageContracts[name].topic));
  if (topicKeys.size !== 1) throw new Error(`a consumer reads one topic, got ${[...topicKeys].join(', ')}`);
  return [...topicKeys][0] as TopicKey;
}

/** A consumer group's pull source on the Aliyun MQ HTTP API. */
export function rocketmqSource(options: SourceOptions): MessageSource {
  const topic = topicName(topicOf(options.messages));
  const tags = options.messages.map((name) => messageContracts[name].tag).join('||');
  const consumer = mqClient().then((client) => client.getConsumer(instanceId, topic, groupName(options.group), tags));
  consumer.catch(() => undefined);

  return {
    async receive(max, waitSeconds) {
      const mq = await consumer;
      let response: MqResponse<MqReceivedMessage[]>;
      try {
        response = options.ordered ? await mq.consumeMessageOrderly(max, waitSeconds) : await mq.consumeMessage(max, waitSeconds);
      } catch (error) {
        // The HTTP API reports an empty poll as an error.
        if (errorCode(error) === 'MessageNotExist') return [];
        throw toMqUnavailable(`receive from ${topic}`, error);
      }
      return (response.body ?? []).map(toReceived);
    },

    async ack(receiptHandles) {
      if (receiptHandles.length === 0) return [];
      const mq = await consumer;
      let response;
      try {
        response = await mq.ackMessage(receiptHandles);
      } catch (error) {
        throw toMqUnavailable(`ack on ${topic}`, error);
      }
      if (response.code === 204) return [];
      // Partial failure: only the listed handles failed, the others were acknowledged.
      return (response.body ?? []).map((e) => ({ receiptHandle: e.ReceiptHandle, errorCode: e.ErrorCode }));
    },
  };
}
