import type { MessageName } from '../messages/contracts';

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
  /** Events not yet published, oldest first. */
  pending(limit: number): Promise<OutboxEvent[]>;
  /** Marks an event published; false when it already was (another relay got there first). */
  markPublished(eventId: string, publishedAt: Date): Promise<boolean>;
}
