// POST /admin/orders/{orderId}/confirm (API Gateway HTTP API, payload v2, X-Admin-Key): the merchant confirms a paid order.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { orderIdPath } from '../../shared/schemas/ordering';
import { confirmOrder } from '../../shared/use-cases/ordering/confirm-order';

const deps = { orders: dynamoOrderRepository, announce, dispatch: dispatchAll, clock: systemClock };

export const handler = httpHandler({ auth: adminAuth, path: orderIdPath }, async ({ path }) => ({
  statusCode: 200,
  body: await confirmOrder(deps, { orderId: path.orderId }),
}));
