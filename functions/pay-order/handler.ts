// POST /orders/{orderId}/pay (API Gateway HTTP API, payload v2, Bearer session): wx.requestPayment parameters.
import { httpHandler } from '../../shared/lambda/http-handler';
import { userAuth } from '../../shared/composition/user-auth';
import { wechatPay } from '../../shared/composition/payment';
import { dynamoOrderRepository } from '../../shared/adapters/dynamodb/order-repository';
import { dynamoPaymentLedger } from '../../shared/adapters/dynamodb/payment-ledger';
import { systemClock } from '../../shared/adapters/system/clock';
import { paymentCallbackConfig } from '../../shared/config/payments';
import { orderIdPath } from '../../shared/schemas/ordering';
import { startPayment } from '../../shared/use-cases/payment/start-payment';

export const handler = httpHandler({ auth: userAuth, path: orderIdPath }, async ({ auth, path }) => {
  const { gateway } = await wechatPay();
  const deps = { orders: dynamoOrderRepository, ledger: dynamoPaymentLedger, gateway, clock: systemClock, notifyUrl: paymentCallbackConfig().WXPAY_NOTIFY_URL };
  return { statusCode: 200, body: await startPayment(deps, { userId: auth.userId, orderId: path.orderId }) };
});
