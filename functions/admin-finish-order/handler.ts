// POST /admin/orders/{orderId}/finish (API Gateway HTTP API, payload v2, X-Admin-Key): an operator finishes a confirmed order.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import { txDeps } from '../../shared/composition/transactions';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { systemClock } from '../../shared/adapters/system/clock';
import { orderIdPath } from '../../shared/schemas/ordering';
import { finishOrder } from '../../shared/use-cases/refunds/finish-order';

const deps = { orders: dynamoOrderRepository, announce, dispatch: dispatchAll, clock: systemClock, ...txDeps };

export const handler = httpHandler({ auth: adminAuth, path: orderIdPath }, async ({ path }) => ({ statusCode: 200, body: await finishOrder(deps, { orderId: path.orderId }) }));
