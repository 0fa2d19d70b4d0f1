// GET /orders (API Gateway HTTP API, payload v2, Bearer session): the caller's orders, newest first, paged.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { listOrders } from '../../shared/use-cases/ordering/view-orders';
import { listOrdersQuery } from './schema';

const deps = { orders: dynamoOrderRepository };

export const handler = httpHandler({ auth: userAuth, query: listOrdersQuery }, async ({ auth, query }) => ({
  statusCode: 200,
  body: await listOrders(deps, { userId: auth.userId, ...query }),
}));
