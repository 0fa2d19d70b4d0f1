import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { overrideEnv } from '../support/env';

// A table kept in .local-data from an older checkout gets the indexes added since when the stack starts, and they can
// be queried at once: an orders table from before the admin console's indexes, with an order in it.
const ordersTable = `wx-shop-test-orders-${randomUUID().slice(0, 8)}`;
const restoreEnv = overrideEnv({ ORDERS_TABLE: ordersTable });
afterAll(restoreEnv);

const ADDED = ['byStatus', 'byStore'];

it('adds the missing indexes to an existing orders table, backfilled from its items and ready to query', async () => {
  const { localDynamoClient } = await import('../../local/services/dynamodb-local');
  const { createTables, tableDefinitions } = await import('../../local/services/tables');
  const { putOrder } = await import('../support/admin');
  const { dynamoOrderSearch } = await import('../../shared/adapters/dynamodb/order-search');
  const client = localDynamoClient(process.env.DYNAMODB_ENDPOINT as string);
  const { input } = tableDefinitions().find((table) => table.key === 'orders')!;
  const before = input.GlobalSecondaryIndexes!.filter((index) => !ADDED.includes(index.IndexName!));
  const used = new Set([...input.KeySchema!, ...before.flatMap((index) => index.KeySchema!)].map((key) => key.AttributeName));
  await client.send(new CreateTableCommand({ ...input, GlobalSecondaryIndexes: before, AttributeDefinitions: input.AttributeDefinitions!.filter((d) => used.has(d.AttributeName)) }));
  try {
    const storeId = `s-${randomUUID().slice(0, 8)}`;
    const order = await putOrder({ statuses: [['WAIT_PAY', new Date()]], storeId });

    await createTables(client);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: ordersTable }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual([
      ['awaitingPayment', 'ACTIVE'],
      ['byStatus', 'ACTIVE'],
      ['byStore', 'ACTIVE'],
      ['byUser', 'ACTIVE'],
    ]);
    expect((await dynamoOrderSearch.search({ storeId }, { limit: 10 })).items.map((o) => o.id)).toEqual([order.id]);
    expect((await dynamoOrderSearch.search({ status: 'WAIT_PAY' }, { limit: 10 })).items.map((o) => o.id)).toEqual([order.id]);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: ordersTable }));
  }
});
