import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NewSession, SessionStore } from '../../ports/users';
import { tableName } from '../../config/tables';
import { dynamo } from './client';

/** Sessions in DynamoDB: the truth. DynamoDB's TTL removes expired ones eventually; readers check expiresAt. */
/** A session as stored: DynamoDB's TTL removes it some time after it expires (readers check `expiresAt`). */
export function sessionPut({ tokenHash, session }: NewSession) {
  const ttl = Math.ceil(new Date(session.expiresAt).getTime() / 1000);
  return { TableName: tableName('sessions'), Item: { tokenHash, ...session, ttl }, ConditionExpression: 'attribute_not_exists(tokenHash)' };
}

export const dynamoSessionStore: SessionStore = {
  async create(tokenHash, session) {
    await dynamo().send(new PutCommand(sessionPut({ tokenHash, session })));
  },

  async find(tokenHash) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName('sessions'), Key: { tokenHash }, ProjectionExpression: 'userId, openid, expiresAt' }),
    );
    return Item ? { userId: Item.userId as string, openid: Item.openid as string, expiresAt: Item.expiresAt as string } : undefined;
  },
};
