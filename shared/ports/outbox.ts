import type { MessageBody, MessageName } from '../messages/contracts';

/**
 * An event written to DynamoDB in the same transaction as the change it announces, then published. If the MQ is
 * down, or the function dies between the write and the publish, the relay publishes it later: never lost, possibly
 * published twice (consumers are idempotent).
 */
export type OutboxEvent = {
  eventId: string;
  name: MessageName;
  body: unknown;
  createdAt: string;
  /** Delayed messages: when to deliver (ISO time). */
  deliverAt?: string;
};

export interface Outbox {
  /** Events not yet published that were created before `createdBefore`, oldest first; after `after` when given. */
  pending(limit: number, createdBefore: Date, after?: Pick<OutboxEvent, 'eventId' | 'createdAt'>): Promise<OutboxEvent[]>;
  /** Marks an event published; false when it already was (another relay got there first). */
  markPublished(eventId: string, publishedAt: Date): Promise<boolean>;
  /**
   * Takes an event the MQ will never accept off the pending index, keeping it (with the reason) for an operator, so
   * that it cannot hold up the events behind it. False when it was no longer pending.
   */
  park(eventId: string, reason: string, parkedAt: Date): Promise<boolean>;
}

/** Builds an outbox event (its id and time come from outside, so tests control them). */
export type Announce = <N extends MessageName>(name: N, body: MessageBody<N>, deliverAt?: Date) => OutboxEvent;

/** Publishes outbox events now and marks them published; never throws (what fails is left to the relay). */
export type Dispatch = (events: readonly OutboxEvent[]) => Promise<void>;
