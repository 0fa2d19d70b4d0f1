// Types for @aliyunmq/mq-http-sdk 1.0.4, which ships none. Only what shared/adapters/rocketmq uses; SDK shapes stay
// inside this folder. Quirks (docs/protocols/aliyun-mq-http-protocol.md, section 3.1): the SDK never looks
// at HTTP status codes, so publish/ack/commit/rollback failures come back as resolved values that must be checked,
// and "no message" is a thrown error with Code 'MessageNotExist'. Numbers in message fields are strings.
declare module '@aliyunmq/mq-http-sdk' {
  export type MqResponse<B> = { code: number; requestId?: string; body?: B };

  export type MqReceivedMessage = {
    MessageId: string;
    ReceiptHandle: string;
    MessageBodyMD5: string;
    MessageBody: string;
    MessageTag?: string;
    PublishTime: string;
    FirstConsumeTime: string;
    NextConsumeTime: string;
    ConsumedTimes: string;
    Properties: Record<string, string>;
    MessageKey?: string;
    ShardingKey?: string;
    StartDeliverTime?: number;
  };

  export type MqAckError = { ErrorCode: string; ErrorMessage: string; ReceiptHandle: string };

  // The setters return undefined, not the instance: they cannot be chained.
  export class MessageProperties {
    messageKey(key: string): void;
    startDeliverTime(epochMillis: number | string): void;
    transCheckImmunityTime(seconds: number): void;
    shardingKey(key: string): void;
    putProperty(key: string, value: string): void;
  }

  export class MQProducer {
    publishMessage(body: string, tag?: string, properties?: MessageProperties): Promise<MqResponse<{ MessageId: string; MessageBodyMD5: string }>>;
  }

  export class MQTransProducer {
    publishMessage(
      body: string,
      tag?: string,
      properties?: MessageProperties,
    ): Promise<MqResponse<{ MessageId: string; MessageBodyMD5: string; ReceiptHandle: string }>>;
    consumeHalfMessage(numOfMessages: number, waitSeconds?: number): Promise<MqResponse<MqReceivedMessage[]>>;
    commit(receiptHandle: string): Promise<MqResponse<MqAckError[]>>;
    rollback(receiptHandle: string): Promise<MqResponse<MqAckError[]>>;
  }

  export class MQConsumer {
    /** Sends `numOfMessages=undefined` when omitted: the SDK checks nothing, the server must. */
    consumeMessage(numOfMessages?: number, waitSeconds?: number): Promise<MqResponse<MqReceivedMessage[]>>;
    consumeMessageOrderly(numOfMessages: number, waitSeconds?: number): Promise<MqResponse<MqReceivedMessage[]>>;
    ackMessage(receiptHandles: string[]): Promise<MqResponse<MqAckError[]>>;
  }

  export class MQClient {
    constructor(endpoint: string, accessKeyId: string, accessKeySecret: string, securityToken?: string);
    getProducer(instanceId: string | undefined, topic: string): MQProducer;
    getTransProducer(instanceId: string | undefined, topic: string, groupId: string): MQTransProducer;
    getConsumer(instanceId: string | undefined, topic: string, groupId: string, messageTag?: string): MQConsumer;
  }
}
