import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { tableKeys, tableName, type TableKey } from '../../shared/config/tables';

type TableResource = {
  Type: string;
  Properties: Omit<CreateTableCommandInput, 'TableName'> & {
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  };
};

const TABLES_FILE = join(__dirname, '..', '..', 'resources', 'dynamodb-tables.yml');

/** `UserCouponsTable` -> `userCoupons` */
function keyOf(logicalId: string): TableKey {
  const key = logicalId.replace(/Table$/, '').replace(/^./, (c) => c.toLowerCase());
  if (!(tableKeys as readonly string[]).includes(key)) throw new Error(`${logicalId} in ${TABLES_FILE} is not listed in shared/config/tables.ts`);
  return key as TableKey;
}

/** The tables as serverless.yml deploys them, read from the same file. */
export function tableDefinitions(): Array<{ key: TableKey; input: CreateTableCommandInput; ttlAttribute?: string }> {
  const doc = parse(readFileSync(TABLES_FILE, 'utf8')) as { Resources: Record<string, TableResource> };
  return Object.entries(doc.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, { Properties }]) => {
      const key = keyOf(logicalId);
      const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode, TimeToLiveSpecification } = Properties;
      const input: CreateTableCommandInput = { TableName: tableName(key), AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode };
      return { key, input, ttlAttribute: TimeToLiveSpecification?.Enabled ? TimeToLiveSpecification.AttributeName : undefined };
    });
}

/**
 * A table kept in `.local-data` from an older checkout lacks the indexes added since: adds each missing one (the
 * local stand-in for the CloudFormation update a deploy would make).
 */
async function addMissingIndexes(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (existing.has(index.IndexName)) continue;
    const used = new Set(index.KeySchema?.map((key) => key.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: input.TableName,
        AttributeDefinitions: input.AttributeDefinitions?.filter((definition) => used.has(definition.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
      }),
    );
    await untilIndexActive(client, input.TableName as string, index.IndexName as string);
  }
}

/** A new index is backfilled from the table's items (CREATING) and fails every query until it is ACTIVE. */
async function untilIndexActive(client: DynamoDBClient, tableName: string, indexName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === indexName)?.IndexStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`index ${indexName} of ${tableName} is not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates every table that does not exist yet (the local data folder may already hold them). Returns the names created. */
export async function createTables(client: DynamoDBClient): Promise<string[]> {
  const created: string[] = [];
  for (const { input, ttlAttribute } of tableDefinitions()) {
    try {
      await client.send(new CreateTableCommand(input));
      created.push(input.TableName as string);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await addMissingIndexes(client, input);
      continue;
    }
    if (ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }));
    }
  }
  return created;
}
