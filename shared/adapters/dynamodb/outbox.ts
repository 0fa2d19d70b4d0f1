import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageBody, MessageName } from '../../messages/contracts';
import type { Outbox, OutboxEvent } from '../../ports/outbox';
import { tableName } from '../../config/tables';
import { dynamo } from './client';

/** All pending events share one partition of the sparse `pending` index; the outbox holds minutes of events, not millions. */
const PENDING_SHARD = 'pending';
/** Published events are kept a week for inspection, then DynamoDB's TTL removes them. */
const KEEP_PUBLISHED_SECONDS = 7 * 24 * 3600;

/** A new outbox event, ready to be written in the transaction of the change it announces. */
export function newOutboxEvent<N extends MessageName>(name: N, body: MessageBody<N>, now: Date, deliverAt?: Date): OutboxEvent {
  return { eventId: randomUUID(), name, body, createdAt: now.toISOString(), deliverAt: deliverAt?.toISOString() };
}

/** The TransactWriteItems entry that stores an outbox event as pending. */
export function outboxPut(event: OutboxEvent) {
  return {
    Put: {
      TableName: tableName('outbox'),
      Item: { ...event, pendingShard: PENDING_SHARD },
      ConditionExpression: 'attribute_not_exists(eventId)',
    },
  };
}

export const dynamoOutbox: Outbox = {
  async pending(limit, createdBefore, after) {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: tableName('outbox'),
        IndexName: 'pending',
        KeyConditionExpression: 'pendingShard = :shard AND createdAt < :before',
        ExpressionAttributeValues: { ':shard': PENDING_SHARD, ':before': createdBefore.toISOString() },
        Limit: limit,
        // An index position is the item's table key and index key.
        ExclusiveStartKey: after ? { eventId: after.eventId, pendingShard: PENDING_SHARD, createdAt: after.createdAt } : undefined,
      }),
    );
    return (Items ?? []).map(({ eventId, name, body, createdAt, deliverAt }) => ({ eventId, name, body, createdAt, deliverAt }) as OutboxEvent);
  },

  markPublished: (eventId, publishedAt) =>
    leavePending(eventId, 'SET publishedAt = :at, #ttl = :ttl', { ':at': publishedAt.toISOString(), ':ttl': Math.floor(publishedAt.getTime() / 1000) + KEEP_PUBLISHED_SECONDS }, { '#ttl': 'ttl' }),

  // No TTL: a parked event stays until an operator has dealt with it (find them with a scan on parkedAt).
  park: (eventId, reason, parkedAt) => leavePending(eventId, 'SET parkedAt = :at, parkedReason = :reason', { ':at': parkedAt.toISOString(), ':reason': reason }),
};

/** Takes a pending event off the pending index with `set`; false when it was not pending any more. */
async function leavePending(eventId: string, set: string, values: Record<string, unknown>, names?: Record<string, string>): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('outbox'),
        Key: { eventId },
        UpdateExpression: `REMOVE pendingShard ${set}`,
        ConditionExpression: 'attribute_exists(pendingShard)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
