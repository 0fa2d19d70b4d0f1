import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CouponTemplate, UserCoupon } from '../../domain/coupons/coupon';
import type { CouponRepository } from '../../ports/coupons';
import { tableName } from '../../config/tables';
import { dynamo } from './client';
import { readAllPages } from './pages';

type CouponItem = Omit<UserCoupon, 'id'> & { couponId: string };

export const dynamoCouponRepository: CouponRepository = {
  async getTemplate(templateId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('couponTemplates'), Key: { templateId } }));
    return Item as CouponTemplate | undefined;
  },

  async grant({ id, ...coupon }) {
    try {
      // The coupon id is derived from the grant's reason: a second grant of the same reason hits the same key.
      await dynamo().send(
        new PutCommand({ TableName: tableName('userCoupons'), Item: { couponId: id, ...coupon }, ConditionExpression: 'attribute_not_exists(couponId)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async giveBack(userId, couponId, orderId, to) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName('userCoupons'),
          Key: { userId, couponId },
          UpdateExpression: 'SET #status = :to REMOVE orderId',
          ConditionExpression: '#status = :used AND orderId = :orderId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': to, ':used': 'USED', ':orderId': orderId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async find(userId, couponId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('userCoupons'), Key: { userId, couponId }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { couponId: id, ...rest } = Item as CouponItem;
    return { id, ...rest };
  },

  async listForUser(userId) {
    const items = await readAllPages<CouponItem>((startKey) =>
      dynamo().send(
        new QueryCommand({
          TableName: tableName('userCoupons'),
          KeyConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    return items.map(({ couponId, ...rest }) => ({ id: couponId, ...rest }));
  },
};
