// GET /admin/orders/{orderId} (API Gateway HTTP API, payload v2, X-Admin-Key): any order with its payment, its
// notices and its history.
import { httpHandler } from '../../shared/lambda/http-handler';
import { adminAuth } from '../../shared/composition/admin-auth';
import { dynamoNoticeRepository } from '../../shared/adapters/dynamodb/notice-repository';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoPaymentLedger } from '../../shared/adapters/dynamodb/payment-ledger';
import { orderIdPath } from '../../shared/schemas/ordering';
import { orderDetail } from '../../shared/use-cases/admin/order-detail';

const deps = { orders: dynamoOrderRepository, payments: dynamoPaymentLedger, notices: dynamoNoticeRepository };

export const handler = httpHandler({ auth: adminAuth, path: orderIdPath }, async ({ path }) => ({
  statusCode: 200,
  body: await orderDetail(deps, { orderId: path.orderId }),
}));
