import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { emptyBucket, type HourBucket } from '../../domain/admin/order-stats';
import type { OrderStats } from '../../ports/admin';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { readAllPages } from './pages';
import { transactWrite } from './transactions';

/**
 * The `order-stats` table holds two kinds of item under (pk, sk):
 * - hour counters: pk `HOURS#<UTC day>`, sk `<hourStart>#<slot>`, with `created`, `paid`, `cancelled`, `refunded`,
 *   `revenueFen` (ADDed) and `hourStart`. An hour is split over SLOTS items, the slot picked by the order id, because
 *   DynamoDB cancels a transaction that touches an item another transaction holds (TransactionConflict): with one
 *   item per hour every concurrent count would collide on it. A day is one partition, so a 7-day range is 8 queries.
 * - counted markers: pk `COUNTED#<orderId>`, sk the status; the proof that (order, status) was counted, written in the
 *   same transaction as the counter so that a redelivery counts nothing. They expire long after any redelivery.
 */
const SLOTS = 8;
const MARKER_RETENTION_SECONDS = 180 * 86_400;
const COUNTERS = ['created', 'paid', 'cancelled', 'refunded', 'revenueFen'] as const;

const dayPartition = (hourStart: string) => `HOURS#${hourStart.slice(0, 10)}`;
const slotOf = (orderId: string) => createHash('sha256').update(orderId).digest().readUInt8(0) % SLOTS;

/** Every UTC day from the one holding `fromHour` to the one holding `toHour`. */
function daysBetween(fromHour: string, toHour: string): string[] {
  const days: string[] = [];
  for (let day = new Date(fromHour.slice(0, 10)); day.toISOString() <= toHour; day = new Date(day.getTime() + 86_400_000)) days.push(day.toISOString());
  return days;
}

function addTo(sums: Map<string, HourBucket>, item: Record<string, unknown>): void {
  const hourStart = item.hourStart as string;
  const bucket = sums.get(hourStart) ?? emptyBucket(hourStart);
  for (const counter of COUNTERS) bucket[counter] += Number(item[counter] ?? 0);
  sums.set(hourStart, bucket);
}

export const dynamoOrderStats: OrderStats = {
  async countOnce({ orderId, status, hourStart, counter, revenueFen, countedAt }) {
    const table = tableName('orderStats');
    const outcome = await transactWrite(
      [
        {
          Put: {
            TableName: table,
            Item: { pk: `COUNTED#${orderId}`, sk: status, hourStart, countedAt: countedAt.toISOString(), ttl: Math.floor(countedAt.getTime() / 1000) + MARKER_RETENTION_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: table,
            Key: { pk: dayPartition(hourStart), sk: `${hourStart}#${slotOf(orderId)}` },
            UpdateExpression: 'ADD #counter :one, revenueFen :revenue SET hourStart = :hourStart',
            ExpressionAttributeNames: { '#counter': counter },
            ExpressionAttributeValues: { ':one': 1, ':revenue': revenueFen, ':hourStart': hourStart },
          },
        },
      ],
      () => false,
    );
    return outcome ?? true;
  },

  async buckets(fromHour, toHour) {
    const sums = new Map<string, HourBucket>();
    const days = await Promise.all(
      daysBetween(fromHour, toHour).map((day) =>
        readAllPages<Record<string, unknown>>((startKey) =>
          dynamo().send(
            new QueryCommand({
              TableName: tableName('orderStats'),
              KeyConditionExpression: 'pk = :day AND sk BETWEEN :from AND :to',
              // `~` sorts after every digit, so `<toHour>#~` comes after each slot of the last hour.
              ExpressionAttributeValues: { ':day': dayPartition(day), ':from': fromHour, ':to': `${toHour}#~` },
              ExclusiveStartKey: startKey,
              ConsistentRead: true,
            }),
          ),
        ),
      ),
    );
    for (const item of days.flat()) addTo(sums, item);
    return [...sums.values()];
  },
};
