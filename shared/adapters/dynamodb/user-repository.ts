import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { User, UserRepository } from '../../ports/users';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { outboxPut } from './outbox';
import { sessionPut } from './session-store';
import { transactWrite } from './transactions';

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

  async register(user, session, announce) {
    const outcome = await transactWrite(
      [
        { Put: { TableName: tableName('users'), Item: user, ConditionExpression: 'attribute_not_exists(openid)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { Put: sessionPut(session) },
        outboxPut(announce),
      ],
      (index, existing) => {
        // The user exists: the refused put hands back the stored user, so a returning login needs no other read.
        if (index === 0 && existing) return { created: false as const, existing: existing as User };
        throw new Error(`first login of a user: condition of transaction item ${index} failed`);
      },
    );
    return outcome ?? { created: true };
  },
};
