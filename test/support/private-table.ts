import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { tableEnvName, type TableKey } from '../../shared/config/tables';
import { overrideEnv } from './env';

/**
 * A table of this test file's own, defined as resources/dynamodb-tables.yml defines it, with the environment naming
 * it (call before anything reads the tables' configuration). For tests of code that reads a whole table, such as
 * the outbox relay, which would otherwise take the rows other test files write at the same time.
 */
export async function privateTable(key: TableKey): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `wx-shop-test-${key}-${randomUUID().slice(0, 8)}`;
  const restoreEnv = overrideEnv({ [tableEnvName(key)]: name });
  const { localDynamoClient } = await import('../../local/services/dynamodb-local');
  const { tableDefinitions } = await import('../../local/services/tables');
  const client = localDynamoClient(process.env.DYNAMODB_ENDPOINT as string);
  const { input } = tableDefinitions().find((table) => table.key === key)!;
  await client.send(new CreateTableCommand({ ...input, TableName: name }));
  return {
    name,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: name }));
      restoreEnv();
    },
  };
}
