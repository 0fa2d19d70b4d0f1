import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Product, Store } from '../../domain/store';
import type { StoreRepository } from '../../ports/store-repository';
import { tableName } from '../../config/tables';
import { dynamo } from './client';

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
    const stores: Store[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(new ScanCommand({ TableName: tableName('stores'), ExclusiveStartKey: startKey, ConsistentRead: true }));
      stores.push(...((page.Items ?? []) as StoreItem[]).map(toStore));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return stores;
  },

  async getStore(storeId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('stores'), Key: { storeId }, ConsistentRead: true }));
    return Item ? toStore(Item as StoreItem) : undefined;
  },

  async putStore({ id, ...rest }) {
    await dynamo().send(new PutCommand({ TableName: tableName('stores'), Item: { storeId: id, ...rest } }));
  },

  async listProducts(storeId) {
    const products: Product[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName('products'),
          KeyConditionExpression: 'storeId = :storeId',
          ExpressionAttributeValues: { ':storeId': storeId },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      products.push(...((page.Items ?? []) as ProductItem[]).map(toProduct));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return products;
  },

  async putProduct({ id, ...rest }) {
    await dynamo().send(new PutCommand({ TableName: tableName('products'), Item: { productId: id, ...rest } }));
  },
};
