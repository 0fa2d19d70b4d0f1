// POST /admin/orders/{orderId}/refund (API Gateway HTTP API, payload v2, X-Admin-Key): the shopper's refund path, by an operator.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import { txDeps } from '../../shared/composition/transactions';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoRefundRepository } from '../../shared/adapters/dynamodb/payment-ledger';
import { systemClock } from '../../shared/adapters/system/clock';
import { orderIdPath } from '../../shared/schemas/ordering';
import { requestRefund } from '../../shared/use-cases/refunds/request-refund';
import { adminRefundBody } from '../refund-order/schema';

const deps = { orders: dynamoOrderRepository, refunds: dynamoRefundRepository, announce, dispatch: dispatchAll, clock: systemClock, ...txDeps };

export const handler = httpHandler({ auth: adminAuth, path: orderIdPath, body: adminRefundBody }, async ({ path, body }) => ({
  statusCode: 202,
  body: await requestRefund(deps, { orderId: path.orderId, reason: 'OPERATOR', note: body.reason }),
}));
