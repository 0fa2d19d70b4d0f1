// GET /orders/{orderId} (API Gateway HTTP API, payload v2, Bearer session): one of the caller's orders.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { orderIdPath } from '../../shared/schemas/ordering';
import { getOrder } from '../../shared/use-cases/ordering/view-orders';

const deps = { orders: dynamoOrderRepository };

export const handler = httpHandler({ auth: userAuth, path: orderIdPath }, async ({ auth, path }) => ({
  statusCode: 200,
  body: await getOrder(deps, { userId: auth.userId, orderId: path.orderId }),
}));
