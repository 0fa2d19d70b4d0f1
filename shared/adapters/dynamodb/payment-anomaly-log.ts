import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentAnomaly } from '../../domain/payment/payment';
import type { PaymentAnomalyLog } from '../../ports/admin';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { decodeCursor, encodeCursor, isStoredTime } from './cursor';

/** Every anomaly is in the one `all` partition of the `byTime` index: they are rare (see dynamoPaymentAnomalies). */
const LIST_SHARD = 'all';
const ANOMALY_ID = /^[^\s]{1,200}$/;

function startKey(cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const { at, id } = decodeCursor(cursor, { at: isStoredTime, id: (value) => ANOMALY_ID.test(value) });
  return { listShard: LIST_SHARD, at, id };
}

function toAnomaly(item: Record<string, unknown>): PaymentAnomaly {
  const { listShard: _shard, ...anomaly } = item;
  return anomaly as PaymentAnomaly;
}

export const dynamoPaymentAnomalyLog: PaymentAnomalyLog = {
  async newestFirst({ limit, cursor }) {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName('paymentAnomalies'),
        IndexName: 'byTime',
        KeyConditionExpression: 'listShard = :all',
        ExpressionAttributeValues: { ':all': LIST_SHARD },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey(cursor),
      }),
    );
    const last = page.LastEvaluatedKey;
    return { items: (page.Items ?? []).map(toAnomaly), nextCursor: last ? encodeCursor({ at: last.at as string, id: last.id as string }) : undefined };
  },
};
