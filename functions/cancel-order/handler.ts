// POST /orders/{orderId}/cancel (API Gateway HTTP API, payload v2, Bearer session): the shopper cancels an unpaid order.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { cancelOrderDeps } from '../../shared/composition/ordering';
import { orderIdPath } from '../../shared/schemas/ordering';
import { cancelOrderByUser } from '../../shared/use-cases/ordering/cancel-order';

export const handler = httpHandler({ auth: userAuth, path: orderIdPath }, async ({ auth, path }) => ({
  statusCode: 200,
  body: await cancelOrderByUser(await cancelOrderDeps(), { userId: auth.userId, orderId: path.orderId }),
}));
