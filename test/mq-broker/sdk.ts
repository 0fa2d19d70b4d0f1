// The real @aliyunmq/mq-http-sdk, with the production adapter's typing (shared/adapters/rocketmq/sdk.d.ts) under the
// names these tests use.
import { MQClient, MessageProperties, type MqReceivedMessage, type MqResponse } from '@aliyunmq/mq-http-sdk';

export { MQClient, MessageProperties };
export type SdkClient = MQClient;
export type SdkMessage = MqReceivedMessage;
export type SdkResponse<B> = MqResponse<B>;

/** Builds a MessageProperties with the given setters applied (they return undefined, so they cannot be chained). */
export function props(apply: (p: MessageProperties) => void): MessageProperties {
  const properties = new MessageProperties();
  apply(properties);
  return properties;
}
