import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config/tables';
import { dynamo } from './client';

/** An outbox event the relay parked because the MQ refused it for what it is (see dispatch-outbox.ts). */
export type ParkedEvent = { eventId: string; name: string; createdAt: string; parkedAt: string; parkedReason: string };

/**
 * The operators' side of parked outbox events (`npm run outbox:parked`): list them, and hand one back to the relay
 * once its cause is fixed. Parked events are rare and kept without a TTL, so a filtered scan of the outbox (a week of
 * published events at most) is the whole cost; no index is kept for them.
 */
export async function listParkedEvents(): Promise<ParkedEvent[]> {
  const found: ParkedEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName('outbox'),
        FilterExpression: 'attribute_exists(parkedAt)',
        ProjectionExpression: 'eventId, #name, createdAt, parkedAt, parkedReason',
        ExpressionAttributeNames: { '#name': 'name' },
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...((page.Items ?? []) as ParkedEvent[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Puts a parked event back on the pending index (its original createdAt keeps its place in the order), noting when;
 * the relay's next run publishes it, or parks it again if the MQ still refuses it. False when it was not parked.
 */
export async function requeueParkedEvent(eventId: string, at: Date): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('outbox'),
        Key: { eventId },
        UpdateExpression: 'SET pendingShard = :pending, requeuedAt = :at REMOVE parkedAt, parkedReason',
        ConditionExpression: 'attribute_exists(parkedAt)',
        ExpressionAttributeValues: { ':pending': 'pending', ':at': at.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
