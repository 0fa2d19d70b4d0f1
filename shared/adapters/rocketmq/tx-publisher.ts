import { messageContracts, type MessageName } from '../../messages/contracts';
import { MqUnavailableError, type HalfMessage, type TxMessagePublisher } from '../../ports/messaging';
import { logger } from '../../logging/logger';
import { groupName, instanceId, mqClient, topicName } from './client';
import { toMqUnavailable } from './errors';
import { encodeBody, messageProperties } from './publisher';

/** The topic's transactional producer; its group is the one the check-back function polls with `trans=pop`. */
async function transProducer(name: MessageName) {
  return (await mqClient()).getTransProducer(instanceId, topicName(messageContracts[name].topic), groupName('orderTxProducer'));
}

async function decide(half: HalfMessage, decision: 'commit' | 'rollback'): Promise<boolean> {
  const producer = await transProducer(half.name);
  let response;
  try {
    response = await producer[decision](half.receiptHandle);
  } catch (error) {
    throw toMqUnavailable(`${decision} ${half.name}`, error);
  }
  if (response.code === 204) return true;
  // 404 with per-handle errors: the handle expired or was already used; the check-back settles the message then.
  logger.warn(`transactional ${decision} refused`, { messageId: half.messageId, errors: response.body?.map((e) => e.ErrorCode) });
  return false;
}

/** Transactional (half) messages through the Aliyun MQ HTTP API. */
export const rocketmqTxPublisher: TxMessagePublisher = {
  async publishHalf(name, body, { checkBackAfterSeconds }) {
    const encoded = encodeBody(name, body);
    const properties = messageProperties(name, body);
    properties.transCheckImmunityTime(checkBackAfterSeconds);
    let response;
    try {
      response = await (await transProducer(name)).publishMessage(encoded, messageContracts[name].tag, properties);
    } catch (error) {
      throw toMqUnavailable(`publish half ${name}`, error);
    }
    const { MessageId, ReceiptHandle } = response.body ?? {};
    if (response.code !== 201 || !MessageId || !ReceiptHandle) {
      throw new MqUnavailableError(`publish half ${name}: answered ${response.code} without a receipt handle`);
    }
    return { name, messageId: MessageId, receiptHandle: ReceiptHandle };
  },
  commit: (half) => decide(half, 'commit'),
  rollback: (half) => decide(half, 'rollback'),
};
