// POST /orders/{orderId}/finish (API Gateway HTTP API, payload v2, Bearer session): the shopper finishes a confirmed order.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import { txDeps } from '../../shared/composition/transactions';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { orderIdPath } from '../../shared/schemas/ordering';
import { finishOrder } from '../../shared/use-cases/refunds/finish-order';

const deps = { orders: dynamoOrderRepository, announce, dispatch: dispatchAll, clock: systemClock, ...txDeps };

export const handler = httpHandler({ auth: userAuth, path: orderIdPath }, async ({ auth, path }) => ({
  statusCode: 200,
  body: await finishOrder(deps, { orderId: path.orderId, userId: auth.userId }),
}));
