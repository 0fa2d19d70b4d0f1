import { DomainError } from '../domain/errors';
import type { MessageBody, MessageName } from '../messages/contracts';

/**
 * The MQ could not be reached or refused the request; nothing was published. `missing`: the MQ answered that the
 * topic (or group) does not exist on the instance, a deployment mistake rather than an outage: it lasts until an
 * operator creates it, and it holds up only that topic's messages.
 */
export class MqUnavailableError extends DomainError {
  override readonly name = 'MqUnavailableError';
  readonly code = 'MQ_UNAVAILABLE';
  constructor(
    readonly detail: string,
    readonly missing?: 'TOPIC' | 'GROUP',
  ) {
    super('the message queue is unavailable; try again shortly');
  }
}

/**
 * The MQ refused this message itself (its body, properties or delivery time), or it could not even be encoded:
 * sending it again can never succeed. A bug to fix, not an outage to wait out.
 */
export class MessageRejectedError extends DomainError {
  override readonly name = 'MessageRejectedError';
  readonly code = 'MESSAGE_REJECTED';
  constructor(readonly detail: string) {
    super(`the message queue refused the message: ${detail}`);
  }
}

export type PublishOptions = {
  /** Delayed messages: when the message becomes visible to consumers. */
  deliverAt?: Date;
};

/** Publishes normal, delayed and ordered messages (the contract of each name says which). */
export interface MessagePublisher {
  /**
   * Throws MqUnavailableError when the MQ could not take the message now (worth retrying), MessageRejectedError when
   * it never will (worth retrying never).
   */
  publish<N extends MessageName>(name: N, body: MessageBody<N>, options?: PublishOptions): Promise<{ messageId: string }>;
}

/** A half (prepared) transactional message: invisible to consumers until committed. */
export type HalfMessage = { name: MessageName; messageId: string; receiptHandle: string };

/** Transactional messages: publish half, run the local transaction, then commit or roll back. */
export interface TxMessagePublisher {
  /** `checkBackAfterSeconds` (10-300): when the MQ starts asking the check-back function if no decision came. */
  publishHalf<N extends MessageName>(name: N, body: MessageBody<N>, options: { checkBackAfterSeconds: number }): Promise<HalfMessage>;
  /** False when the handle is no longer valid (expired, or already decided); the check-back settles it then. */
  commit(half: HalfMessage): Promise<boolean>;
  rollback(half: HalfMessage): Promise<boolean>;
}

/** The check-back's view of transactional messages: half messages the MQ asks about, and the decision on each. */
export interface HalfMessageChecks {
  /** Long-polls for half messages whose producer did not decide in time (`trans=pop`). */
  receive(max: number, waitSeconds: number): Promise<ReceivedMessage[]>;
  /** False when the handle is no longer valid (another check-back decided, or it expired): asked again later. */
  commit(receiptHandle: string): Promise<boolean>;
  rollback(receiptHandle: string): Promise<boolean>;
}

/** A message as a consumer receives it. */
export type ReceivedMessage = {
  messageId: string;
  receiptHandle: string;
  tag?: string;
  key?: string;
  shardingKey?: string;
  body: string;
  /** 1 on first delivery, then +1 on each redelivery. */
  consumedTimes: number;
  publishedAt: Date;
};

export type AckFailure = { receiptHandle: string; errorCode: string };

/** One consumer group's view of one topic. */
export interface MessageSource {
  /** Long-polls for up to `max` messages (1-16), waiting up to `waitSeconds` (0-30). Empty when none came. */
  receive(max: number, waitSeconds: number): Promise<ReceivedMessage[]>;
  /** Acknowledges; handles that failed (expired, unknown) are returned and their messages will be redelivered. */
  ack(receiptHandles: string[]): Promise<AckFailure[]>;
}
