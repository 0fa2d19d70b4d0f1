import { createHash } from 'node:crypto';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { orderStatuses, type Order, type OrderStatus } from '../../domain/ordering/order';
import type { OrderFilter, OrderSearch } from '../../ports/admin';
import { DependencyUnavailableError } from '../../ports/errors';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { decodeCursor, encodeCursor, isStoredTime } from './cursor';
import { fromOrderItem } from './order-repository';

/**
 * The operators' order list, from two indexes of the orders table, both sorted by createdAt and projecting only keys
 * (byStore adds status), so that an order's later writes (prepay, refunds) never rewrite them:
 * - `byStore` (storeId, createdAt): a store's orders; with a status too, the status is a filter on it;
 * - `byStatus` (status, createdAt): the orders in one status; every order is the merge of its seven partitions.
 * The page's orders are then read whole from the table (BatchGetItem, strongly consistent). docs/admin.md says why
 * these keys and what they cost.
 */
type Position = { createdAt: string; orderId: string };
type Partition = { index: 'byStore' | 'byStatus'; key: 'storeId' | 'status'; value: string; status?: OrderStatus };

/** Reads of one partition per request: enough for a page unless a filter drops most of what is read. */
const MAX_ROUNDS = 4;
/** Index items read per round when a filter may drop them (keys only: about 100 bytes each). */
const FILTERED_READ = 200;
const MAX_BATCH_GET_ATTEMPTS = 3;

const newer = (a: Position, b: Position) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.orderId > b.orderId);
const newestFirst = (a: Position, b: Position) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0);
const positionOf = (item: Record<string, unknown>): Position => ({ createdAt: item.createdAt as string, orderId: item.orderId as string });

function partitionsFor({ storeId, status }: OrderFilter): Partition[] {
  if (storeId) return [{ index: 'byStore', key: 'storeId', value: storeId, status }];
  const statuses = status ? [status] : orderStatuses;
  return statuses.map((value) => ({ index: 'byStatus', key: 'status', value }));
}

/** The sort key condition: createdAt within [from, upper]; undefined when nothing can match. */
function createdAtCondition(from: string | undefined, upper: string | undefined): { expression: string; values: Record<string, string> } | undefined {
  if (from !== undefined && upper !== undefined) {
    return from <= upper ? { expression: ' AND createdAt BETWEEN :from AND :upper', values: { ':from': from, ':upper': upper } } : undefined;
  }
  if (from !== undefined) return { expression: ' AND createdAt >= :from', values: { ':from': from } };
  if (upper !== undefined) return { expression: ' AND createdAt <= :upper', values: { ':upper': upper } };
  return { expression: '', values: {} };
}

/**
 * Positions in one partition strictly older than `after`, newest first, until `need` are found or the rounds are
 * spent. `coveredTo` (when the partition may hold more): every order of the partition at or after its time was read;
 * only older ones may be missing (undefined: read to its end).
 */
async function readPartition(partition: Partition, filter: OrderFilter, after: Position | undefined, need: number): Promise<{ items: Position[]; coveredTo?: Position }> {
  const upper = [filter.to, after?.createdAt].filter((time): time is string => time !== undefined).sort()[0];
  const range = createdAtCondition(filter.from, upper);
  if (!range) return { items: [] };
  const statusFilter = partition.status ? { FilterExpression: '#status = :status' } : {};
  const items: Position[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName('orders'),
        IndexName: partition.index,
        KeyConditionExpression: `#key = :key${range.expression}`,
        ...statusFilter,
        ExpressionAttributeNames: { '#key': partition.key, ...(partition.status ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: { ':key': partition.value, ...range.values, ...(partition.status ? { ':status': partition.status } : {}) },
        ScanIndexForward: false,
        Limit: partition.status ? FILTERED_READ : need + 1,
        ExclusiveStartKey: startKey,
      }),
    );
    // Orders created in the same millisecond share the upper bound: those at or before `after` were shown already.
    items.push(...(page.Items ?? []).map(positionOf).filter((position) => !after || newer(after, position)));
    startKey = page.LastEvaluatedKey;
    if (!startKey || items.length >= need) break;
  }
  if (!startKey) return { items };
  // The index orders orders of the same millisecond in no particular way, so a read that stops inside such a run
  // cannot say which of them it missed: read the whole run at the last time read, and promise only what is older.
  const last = positionOf(startKey).createdAt;
  const ties = await readRun(partition, last);
  const seen = new Set(items.map((position) => position.orderId));
  items.push(...ties.filter((position) => !seen.has(position.orderId) && (!after || newer(after, position))));
  return { items, coveredTo: { createdAt: last, orderId: '' } };
}

/** Every position of a partition created at exactly `createdAt` (a run of orders placed in the same millisecond). */
async function readRun(partition: Partition, createdAt: string): Promise<Position[]> {
  const run: Position[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName('orders'),
        IndexName: partition.index,
        KeyConditionExpression: '#key = :key AND createdAt = :at',
        ...(partition.status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: { '#key': partition.key, ...(partition.status ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: { ':key': partition.value, ':at': createdAt, ...(partition.status ? { ':status': partition.status } : {}) },
        ExclusiveStartKey: startKey,
      }),
    );
    run.push(...(page.Items ?? []).map(positionOf));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return run;
}

/**
 * The newest `limit` positions over the partitions, and where the next page starts. A partition read only down to
 * `coveredTo` may hold unseen orders older than that, so nothing older than the newest such bound is shown yet.
 */
async function pagePositions(filter: OrderFilter, after: Position | undefined, limit: number): Promise<{ shown: Position[]; next?: Position }> {
  const reads = await Promise.all(partitionsFor(filter).map((partition) => readPartition(partition, filter, after, limit)));
  const cutoff = reads
    .map((read) => read.coveredTo)
    .filter((bound): bound is Position => bound !== undefined)
    .sort(newestFirst)[0];
  // While the index catches up with a status change, one order may sit in two status partitions: show it once.
  const unique = new Map(reads.flatMap((read) => read.items).map((position) => [position.orderId, position]));
  const candidates = [...unique.values()].filter((position) => !cutoff || !newer(cutoff, position)).sort(newestFirst);
  const shown = candidates.slice(0, limit);
  const full = shown.length === limit && (candidates.length > limit || cutoff !== undefined);
  return { shown, next: full ? shown[shown.length - 1] : cutoff };
}

/** Whole orders by id, strongly consistent; keys DynamoDB leaves unprocessed (throttling) are asked for again. */
async function readOrders(orderIds: string[]): Promise<Map<string, Order>> {
  const table = tableName('orders');
  const found = new Map<string, Order>();
  let keys: Array<Record<string, unknown>> = orderIds.map((orderId) => ({ orderId }));
  for (let attempt = 1; keys.length > 0; attempt++) {
    if (attempt > MAX_BATCH_GET_ATTEMPTS) throw new DependencyUnavailableError('dynamodb', `${keys.length} orders left unprocessed (throttled)`);
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const { Responses, UnprocessedKeys } = await dynamo().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of Responses?.[table] ?? []) found.set(item.orderId as string, fromOrderItem(item));
    keys = UnprocessedKeys?.[table]?.Keys ?? [];
  }
  return found;
}

/** Binds a cursor to the filter it was issued for. */
function filterDigest({ status, storeId, from, to }: OrderFilter): string {
  return createHash('sha256')
    .update(JSON.stringify([status ?? null, storeId ?? null, from ?? null, to ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

const ORDER_ID = /^[0-9A-Za-z_-]{6,32}$/;

function decodePosition(cursor: string | undefined, digest: string): Position | undefined {
  if (cursor === undefined) return undefined;
  // An empty order id: every order of that millisecond was shown (a page that ended where a read's coverage did).
  const { c, o } = decodeCursor(cursor, { f: (value) => value === digest, c: isStoredTime, o: (value) => value === '' || ORDER_ID.test(value) });
  return { createdAt: c, orderId: o };
}

export const dynamoOrderSearch: OrderSearch = {
  async search(filter, { limit, cursor }) {
    const digest = filterDigest(filter);
    const { shown, next } = await pagePositions(filter, decodePosition(cursor, digest), limit);
    const orders = shown.length > 0 ? await readOrders(shown.map((position) => position.orderId)) : new Map<string, Order>();
    // The indexes lag the table a little: an order whose status moved on since is left out of a status filter.
    const items = shown.map((position) => orders.get(position.orderId)).filter((order): order is Order => order !== undefined && (!filter.status || order.status === filter.status));
    return { items, nextCursor: next ? encodeCursor({ f: digest, c: next.createdAt, o: next.orderId }) : undefined };
  },
};
