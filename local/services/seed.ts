import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName, type TableKey } from '../../shared/config/tables';
import { seedCouponTemplates, seedProducts, seedStores } from '../seed-data';

async function putIfAbsent(client: DynamoDBDocumentClient, table: TableKey, item: Record<string, unknown>, key: string): Promise<boolean> {
  try {
    await client.send(new PutCommand({ TableName: tableName(table), Item: item, ConditionExpression: `attribute_not_exists(${key})` }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Loads the seed stores, products and coupon templates, leaving alone anything that exists (an operator may have edited it). */
export async function seed(client: DynamoDBDocumentClient): Promise<number> {
  const writes = [
    ...seedStores.map(({ id, ...store }) => putIfAbsent(client, 'stores', { storeId: id, ...store }, 'storeId')),
    ...seedProducts.map(({ id, ...product }) => putIfAbsent(client, 'products', { productId: id, ...product }, 'productId')),
    ...seedCouponTemplates.map((template) => putIfAbsent(client, 'couponTemplates', template, 'templateId')),
  ];
  return (await Promise.all(writes)).filter(Boolean).length;
}
