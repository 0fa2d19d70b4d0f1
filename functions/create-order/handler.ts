// POST /orders (API Gateway HTTP API, payload v2, Bearer session): places an order, idempotent on requestId.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { storeCatalog } from '../../shared/composition/catalog';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoCartRepository } from '../../shared/adapters/dynamodb/cart-repository';
import { dynamoStoreRepository } from '../../shared/adapters/dynamodb/store-repository';
import { dynamoCouponRepository } from '../../shared/adapters/dynamodb/coupon-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { cryptoIds } from '../../shared/adapters/system/ids';
import { orderConfig } from '../../shared/config/orders';
import { createOrder } from '../../shared/use-cases/ordering/create-order';
import { createOrderBody } from './schema';

const deps = {
  orders: dynamoOrderRepository,
  carts: dynamoCartRepository,
  products: dynamoStoreRepository,
  coupons: dynamoCouponRepository,
  stockCache: storeCatalog,
  announce,
  dispatch: dispatchAll,
  clock: systemClock,
  ids: cryptoIds,
  payTimeoutSeconds: orderConfig().ORDER_PAY_TIMEOUT_SECONDS,
};

export const handler = httpHandler({ auth: userAuth, body: createOrderBody }, async ({ auth, body }) => {
  const { order, created } = await createOrder(deps, { userId: auth.userId, openid: auth.openid, ...body });
  return { statusCode: created ? 201 : 200, body: order };
});
