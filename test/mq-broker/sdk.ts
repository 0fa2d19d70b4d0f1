// The real @aliyunmq/mq-http-sdk, typed locally. It ships no types, and a second `declare module` for it would clash
// with the production adapter's (tsc sees test/ and shared/ in one program), so it is loaded with a typed require.
import { createRequire } from 'node:module';

export type SdkResponse<B> = { code: number; requestId?: string; body?: B };

/** A received message after the SDK's own post-processing: numbers stay strings, KEYS becomes MessageKey, ... */
export type SdkMessage = {
  MessageId: string;
  ReceiptHandle: string;
  MessageBodyMD5: string;
  MessageBody: string;
  MessageTag: string;
  PublishTime: string;
  FirstConsumeTime: string;
  NextConsumeTime: string;
  ConsumedTimes: string;
  Properties: Record<string, string>;
  MessageKey?: string;
  ShardingKey?: string;
  StartDeliverTime?: number;
};

export type SdkHandleError = { ErrorCode: string; ErrorMessage: string; ReceiptHandle: string };
export type SdkPublished = { MessageId: string; MessageBodyMD5: string; ReceiptHandle?: string };

export type SdkMessageProperties = {
  messageKey(key: string): void;
  startDeliverTime(epochMillis: number | string): void;
  transCheckImmunityTime(seconds: number): void;
  shardingKey(key: string): void;
  putProperty(key: string, value: string): void;
};

export type SdkProducer = {
  publishMessage(body: string, tag?: string, properties?: SdkMessageProperties): Promise<SdkResponse<SdkPublished>>;
};

export type SdkTransProducer = SdkProducer & {
  consumeHalfMessage(numOfMessages: number, waitSeconds?: number): Promise<SdkResponse<SdkMessage[]>>;
  commit(receiptHandle: string): Promise<SdkResponse<SdkHandleError[]>>;
  rollback(receiptHandle: string): Promise<SdkResponse<SdkHandleError[]>>;
};

export type SdkConsumer = {
  consumeMessage(numOfMessages?: number, waitSeconds?: number): Promise<SdkResponse<SdkMessage[]>>;
  consumeMessageOrderly(numOfMessages: number, waitSeconds?: number): Promise<SdkResponse<SdkMessage[]>>;
  ackMessage(receiptHandles: string[]): Promise<SdkResponse<SdkHandleError[]>>;
};

export type SdkClient = {
  getProducer(instanceId: string | undefined, topic: string): SdkProducer;
  getTransProducer(instanceId: string | undefined, topic: string, groupId: string): SdkTransProducer;
  getConsumer(instanceId: string | undefined, topic: string, groupId: string, messageTag?: string): SdkConsumer;
};

type SdkModule = {
  MQClient: new (endpoint: string, accessKeyId: string, accessKeySecret: string, securityToken?: string) => SdkClient;
  MessageProperties: new () => SdkMessageProperties;
};

const sdk = createRequire(__filename)('@aliyunmq/mq-http-sdk') as SdkModule;

export const MQClient = sdk.MQClient;
export const MessageProperties = sdk.MessageProperties;

/** Builds a MessageProperties with the given setters applied. */
export function props(apply: (p: SdkMessageProperties) => void): SdkMessageProperties {
  const properties = new MessageProperties();
  apply(properties);
  return properties;
}
