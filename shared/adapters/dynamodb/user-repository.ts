import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { User, UserRepository } from '../../ports/users';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { outboxPut } from './outbox';

export const dynamoUserRepository: UserRepository = {
  async touch(openid, now) {
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          TableName: tableName('users'),
          Key: { openid },
          UpdateExpression: 'SET lastLoginAt = :now',
          ConditionExpression: 'attribute_exists(openid)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as User;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  },

  async register(user, announce) {
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName('users'), Item: user, ConditionExpression: 'attribute_not_exists(openid)' } },
            outboxPut(announce),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },
};
