// POST /orders/{orderId}/refund (API Gateway HTTP API, payload v2, Bearer session): the shopper asks for a full refund.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { announce, dispatchAll } from '../../shared/composition/outbox';
import { txDeps } from '../../shared/composition/transactions';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoRefundRepository } from '../../shared/adapters/dynamodb/payment-ledger';
import { systemClock } from '../../shared/adapters/system/clock';
import { orderIdPath } from '../../shared/schemas/ordering';
import { requestRefund } from '../../shared/use-cases/refunds/request-refund';
import { refundBody } from './schema';

const deps = { orders: dynamoOrderRepository, refunds: dynamoRefundRepository, announce, dispatch: dispatchAll, clock: systemClock, ...txDeps };

export const handler = httpHandler({ auth: userAuth, path: orderIdPath, body: refundBody }, async ({ auth, path, body }) => ({
  statusCode: 202,
  body: await requestRefund(deps, { orderId: path.orderId, userId: auth.userId, reason: 'USER_REQUESTED', note: body?.reason }),
}));
