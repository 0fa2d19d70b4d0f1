import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CreateTableCommand,
  ResourceInUseException,
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

/** Creates every table that does not exist yet (the local data folder may already hold them). Returns the names created. */
export async function createTables(client: DynamoDBClient): Promise<string[]> {
  const created: string[] = [];
  for (const { input, ttlAttribute } of tableDefinitions()) {
    try {
      await client.send(new CreateTableCommand(input));
      created.push(input.TableName as string);
    } catch (error) {
      if (error instanceof ResourceInUseException) continue;
      throw error;
    }
    if (ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }));
    }
  }
  return created;
}
