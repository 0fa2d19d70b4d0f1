import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../shared/config/tables';
import { newLoginCode, type ApiResponse } from './api';

type Call = (method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }) => Promise<ApiResponse>;

let client: DynamoDBDocumentClient | undefined;
const db = () =>
  (client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  ));

export type TestStore = { storeId: string; products: Record<string, { priceFen: number; stock: number }> };

/** A store of the test's own (so that tests running in parallel never share stock), written straight to DynamoDB. */
export async function newStore(products: Record<string, { priceFen: number; stock: number }>, status: 'OPEN' | 'CLOSED' = 'OPEN'): Promise<TestStore> {
  const storeId = `s-${randomUUID().slice(0, 12)}`;
  await db().send(
    new PutCommand({
      TableName: tableName('stores'),
      Item: { storeId, name: '测试门店', address: '上海市测试路1号', location: { lat: 31.2, lng: 121.4 }, openHours: '08:00-22:00', status },
    }),
  );
  await Promise.all(
    Object.entries(products).map(([productId, { priceFen, stock }]) =>
      db().send(new PutCommand({ TableName: tableName('products'), Item: { storeId, productId, name: `商品${productId}`, priceFen, stock } })),
    ),
  );
  return { storeId, products };
}

/** A coupon of `userId`, UNUSED, written straight to DynamoDB (the grant flow has its own tests). */
export async function giveCoupon(userId: string, options: { discountFen?: number; thresholdFen?: number; expiresAt?: string; couponId?: string } = {}): Promise<string> {
  const couponId = options.couponId ?? `c-${randomUUID().slice(0, 12)}`;
  await db().send(
    new PutCommand({
      TableName: tableName('userCoupons'),
      Item: {
        userId,
        couponId,
        templateId: 'tpl-test',
        name: '测试券',
        discountFen: options.discountFen ?? 500,
        thresholdFen: options.thresholdFen ?? 2000,
        status: 'UNUSED',
        grantedAt: new Date().toISOString(),
        expiresAt: options.expiresAt ?? new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  );
  return couponId;
}

/** Logs a new shopper in through the API: their token, user id and openid. */
export async function newShopper(call: Call): Promise<{ token: string; userId: string; openid: string }> {
  const { code, openid } = await newLoginCode(`shopper-${randomUUID()}`);
  const { body } = await call('POST', '/auth/login', { body: { code } });
  return { token: body.token as string, userId: body.user.id as string, openid };
}

export const newRequestId = () => randomUUID();
