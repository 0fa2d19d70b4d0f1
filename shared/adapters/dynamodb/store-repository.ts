import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { StoreNotFoundError } from '../../domain/errors';
import type { Product, Store } from '../../domain/catalog/store';
import type { StoreRepository } from '../../ports/store-repository';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { outboxPut } from './outbox';
import { readAllPages } from './pages';

type StoreItem = Omit<Store, 'id'> & { storeId: string };
type ProductItem = Omit<Product, 'id'> & { productId: string };

const toStore = ({ storeId, name, address, location, openHours, status }: StoreItem): Store => ({
  id: storeId,
  name,
  address,
  location,
  openHours,
  status,
});
const toProduct = ({ productId, storeId, name, priceFen, stock }: ProductItem): Product => ({ id: productId, storeId, name, priceFen, stock });

/** Stores in one table keyed by storeId; products in another keyed by (storeId, productId). */
export const dynamoStoreRepository: StoreRepository = {
  async listStores() {
    // A chain has tens of stores, not millions: a paginated scan is the simplest correct read, and it is cached.
    const items = await readAllPages<StoreItem>((startKey) =>
      dynamo().send(new ScanCommand({ TableName: tableName('stores'), ExclusiveStartKey: startKey, ConsistentRead: true })),
    );
    return items.map(toStore);
  },

  async getStore(storeId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('stores'), Key: { storeId }, ConsistentRead: true }));
    return Item ? toStore(Item as StoreItem) : undefined;
  },

  async listProducts(storeId) {
    const items = await readAllPages<ProductItem>((startKey) =>
      dynamo().send(
        new QueryCommand({
          TableName: tableName('products'),
          KeyConditionExpression: 'storeId = :storeId',
          ExpressionAttributeValues: { ':storeId': storeId },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      ),
    );
    return items.map(toProduct);
  },

  async findProducts(storeId, productIds) {
    const found: ProductItem[] = [];
    // BatchGetItem may leave keys unprocessed under load: ask again for those (an order names at most 20).
    let keys: Array<Record<string, unknown>> = [...new Set(productIds)].map((productId) => ({ storeId, productId }));
    while (keys.length > 0) {
      const { Responses, UnprocessedKeys } = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [tableName('products')]: { Keys: keys, ConsistentRead: true } } }),
      );
      found.push(...((Responses?.[tableName('products')] ?? []) as ProductItem[]));
      keys = (UnprocessedKeys?.[tableName('products')]?.Keys ?? []) as Array<Record<string, unknown>>;
    }
    return found.map(toProduct);
  },

  async putStore({ id, ...rest }, announce) {
    await dynamo().send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName('stores'), Item: { storeId: id, ...rest } } }, outboxPut(announce)] }),
    );
  },

  async putProduct({ id, ...rest }, announce) {
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: tableName('stores'), Key: { storeId: rest.storeId }, ConditionExpression: 'attribute_exists(storeId)' } },
            { Put: { TableName: tableName('products'), Item: { productId: id, ...rest } } },
            outboxPut(announce),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new StoreNotFoundError(rest.storeId);
      }
      throw error;
    }
  },
};
