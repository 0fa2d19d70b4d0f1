import { MessageRejectedError, MqUnavailableError } from '../../ports/messaging';

/** SDK errors carry `.Code` when the broker answered with an XML error; network errors and timeouts do not. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'Code' in error ? String((error as { Code: unknown }).Code) : undefined;
}

/** What the MQ answers when the instance has no such topic or group (protocol note 7.2): a configuration mistake. */
const MISSING: Record<string, 'TOPIC' | 'GROUP'> = { TopicNotExist: 'TOPIC', SubscriptionNotExist: 'GROUP' };

/** Turns anything the SDK threw into the port's error, keeping a short reason for the log. */
export function toMqUnavailable(action: string, error: unknown): MqUnavailableError {
  const code = errorCode(error);
  const reason = code ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  return new MqUnavailableError(`${action}: ${reason}`, code === undefined ? undefined : MISSING[code]);
}

/** Error codes with which the MQ refuses a message for what it is (protocol note 7.2): no retry changes the answer. */
const MESSAGE_REFUSED_CODES = new Set(['InvalidArgument', 'MalformedXML']);

/** A failed publish as the port's error: rejected for what the message is, or unavailable (worth retrying). */
export function toPublishError(action: string, error: unknown): MqUnavailableError | MessageRejectedError {
  const code = errorCode(error);
  if (code !== undefined && MESSAGE_REFUSED_CODES.has(code)) {
    const message = typeof error === 'object' && error !== null && 'Message' in error ? String((error as { Message: unknown }).Message) : '';
    return new MessageRejectedError(`${action}: ${code}${message ? ` (${message})` : ''}`);
  }
  return toMqUnavailable(action, error);
}
