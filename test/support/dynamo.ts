import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, type TableKey } from '../../shared/config/tables';

let client: DynamoDBDocumentClient | undefined;

/** A document client on the test DynamoDB, for looking at what the code under test wrote. */
function db(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  return client;
}

export async function getItem(table: TableKey, key: Record<string, unknown>): Promise<Record<string, any> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(table), Key: key, ConsistentRead: true }))).Item;
}

export async function queryByPartition(table: TableKey, name: string, value: string): Promise<Record<string, any>[]> {
  const { Items } = await db().send(
    new QueryCommand({ TableName: tableName(table), KeyConditionExpression: '#k = :v', ExpressionAttributeNames: { '#k': name }, ExpressionAttributeValues: { ':v': value }, ConsistentRead: true }),
  );
  return Items ?? [];
}

export async function scanWhere(table: TableKey, predicate: (item: Record<string, any>) => boolean): Promise<Record<string, any>[]> {
  const found: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new ScanCommand({ TableName: tableName(table), ExclusiveStartKey: startKey, ConsistentRead: true }));
    found.push(...(page.Items ?? []).filter(predicate));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/** UserRegistered events in the outbox for an openid. */
export const outboxEventsFor = (openid: string) => scanWhere('outbox', (item) => item.name === 'UserRegistered' && item.body?.openid === openid);

/** Items of a global secondary index's partition (eventually consistent, as GSIs are: DynamoDB Local is immediate). */
export async function queryIndex(table: TableKey, index: string, name: string, value: string): Promise<Record<string, any>[]> {
  const { Items } = await db().send(
    new QueryCommand({ TableName: tableName(table), IndexName: index, KeyConditionExpression: '#k = :v', ExpressionAttributeNames: { '#k': name }, ExpressionAttributeValues: { ':v': value } }),
  );
  return Items ?? [];
}
