import { messageContracts, type MessageName } from '../../messages/contracts';
import { MqUnavailableError, type HalfMessageChecks, type TxMessagePublisher } from '../../ports/messaging';
import { logger } from '../../logging/logger';
import { groupName, instanceId, mqClient, topicName } from './client';
import { errorCode, toMqUnavailable } from './errors';
import { encodeBody, messageProperties } from './publisher';
import { toReceived } from './source';

/** The topic's transactional producer; its group is the one the check-back function polls with `trans=pop`. */
async function transProducer(name: MessageName) {
  return (await mqClient()).getTransProducer(instanceId, topicName(messageContracts[name].topic), groupName('orderTxProducer'));
}

async function decide(name: MessageName, receiptHandle: string, decision: 'commit' | 'rollback'): Promise<boolean> {
  const producer = await transProducer(name);
  let response;
  try {
    response = await producer[decision](receiptHandle);
  } catch (error) {
    throw toMqUnavailable(`${decision} ${name}`, error);
  }
  if (response.code === 204) return true;
  // 404 with per-handle errors: the handle expired or was already used; the check-back settles the message then.
  logger.warn(`transactional ${decision} refused`, { errors: response.body?.map((e) => e.ErrorCode) });
  return false;
}

/** Transactional (half) messages through the Aliyun MQ HTTP API. */
export const rocketmqTxPublisher: TxMessagePublisher = {
  async publishHalf(name, body, { checkBackAfterSeconds }) {
    const encoded = encodeBody(name, body);
    const properties = await messageProperties(name, body);
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
  commit: (half) => decide(half.name, half.receiptHandle, 'commit'),
  rollback: (half) => decide(half.name, half.receiptHandle, 'rollback'),
};

/**
 * The check-back's side of the transactional topic (`trans=pop` with the producer's group): every transactional
 * message shares the one topic, so one checker serves OrderRefunded and OrderFinished.
 */
export const rocketmqHalfChecks: HalfMessageChecks = {
  async receive(max, waitSeconds) {
    try {
      const response = await (await transProducer('OrderRefunded')).consumeHalfMessage(max, waitSeconds);
      return (response.body ?? []).map(toReceived);
    } catch (error) {
      if (errorCode(error) === 'MessageNotExist') return [];
      throw toMqUnavailable('receive half messages', error);
    }
  },
  commit: (receiptHandle) => decide('OrderRefunded', receiptHandle, 'commit'),
  rollback: (receiptHandle) => decide('OrderRefunded', receiptHandle, 'rollback'),
};
