import { createHash } from 'node:crypto';
import { LIMITS, type BrokerConfig } from './config';
import { invalidArgument } from './errors';
import { newMessageId } from './ids';
import { SHARDING_KEY, START_DELIVER_TIME, TRANS_CHECK_SECONDS, formatProperties, parseProperties, propertyValue } from './properties';
import type { MessageRecord } from './store/model';
import type { PublishRequest } from './xml';

/** Uppercase hex MD5 of the UTF-8 body, as the service reports it (protocol note 6). */
export const bodyMd5 = (body: string): string => createHash('md5').update(body, 'utf8').digest('hex').toUpperCase();

export type Address = { key: string; instanceId: string; topic: string };
export type NewMessage = { record: MessageRecord; transCheckSeconds?: number };

const integerProperty = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidArgument(`The value of ${name} should be an integer, got "${raw}".`);
  return Number(raw);
};

function checkSizes(body: string, properties: string, special: boolean): void {
  const limit = special ? LIMITS.maxSpecialBodyBytes : LIMITS.maxBodyBytes;
  if (Buffer.byteLength(body, 'utf8') > limit) throw invalidArgument(`The message body is larger than ${limit} bytes.`);
  if (Buffer.byteLength(properties, 'utf8') > LIMITS.maxPropertiesBytes) throw invalidArgument(`The message properties are larger than ${LIMITS.maxPropertiesBytes} bytes.`);
}

function transCheckSecondsOf(raw: string | undefined, config: BrokerConfig): number | undefined {
  const seconds = integerProperty(TRANS_CHECK_SECONDS, raw);
  if (seconds !== undefined && (seconds < config.minTransCheckSeconds || seconds > LIMITS.maxTransCheckSeconds)) {
    throw invalidArgument(`The value of ${TRANS_CHECK_SECONDS} should between ${config.minTransCheckSeconds} and ${LIMITS.maxTransCheckSeconds}.`);
  }
  return seconds;
}

/** Validates a publish and builds the stored message; `transCheckSeconds` marks a transactional half message. */
export function newMessage(address: Address, request: PublishRequest, config: BrokerConfig, now: number): NewMessage {
  if (request.body === undefined || request.body === '') throw invalidArgument('MessageBody is required and must not be empty.');
  const pairs = parseProperties(request.properties);
  const startDeliverTime = integerProperty(START_DELIVER_TIME, propertyValue(pairs, START_DELIVER_TIME));
  const transCheckSeconds = transCheckSecondsOf(propertyValue(pairs, TRANS_CHECK_SECONDS), config);
  if (startDeliverTime !== undefined && startDeliverTime > now + LIMITS.maxDelayMs) {
    throw invalidArgument(`The value of ${START_DELIVER_TIME} should not be more than 40 days ahead.`);
  }
  if (startDeliverTime !== undefined && transCheckSeconds !== undefined) {
    throw invalidArgument(`A transactional message cannot also be delayed (${START_DELIVER_TIME} with ${TRANS_CHECK_SECONDS}).`);
  }
  const properties = formatProperties(pairs);
  checkSizes(request.body, properties, startDeliverTime !== undefined || transCheckSeconds !== undefined);
  const shardingKey = propertyValue(pairs, SHARDING_KEY);
  const record: MessageRecord = {
    key: address.key,
    instanceId: address.instanceId,
    topic: address.topic,
    id: newMessageId(),
    body: request.body,
    bodyMd5: bodyMd5(request.body),
    tag: request.tag,
    properties,
    publishTime: now,
    // A start time in the past means immediate delivery (protocol note 8.5).
    deliverAt: Math.max(now, startDeliverTime ?? now),
    seq: 0,
    ...(shardingKey === undefined || shardingKey === '' ? {} : { shardingKey }),
  };
  return transCheckSeconds === undefined ? { record } : { record, transCheckSeconds };
}
