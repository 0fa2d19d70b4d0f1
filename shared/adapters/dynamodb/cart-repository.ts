import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Cart } from '../../domain/ordering/cart';
import type { CartRepository } from '../../ports/ordering';
import { tableName } from '../../config/tables';
import { dynamo } from './client';

/** One cart per user, keyed by userId; `updatedAt` is the version an order checks before emptying the cart. */
export const dynamoCartRepository: CartRepository = {
  async get(userId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('carts'), Key: { userId }, ConsistentRead: true }));
    return Item as Cart | undefined;
  },

  async put(cart) {
    await dynamo().send(new PutCommand({ TableName: tableName('carts'), Item: cart }));
  },
};
